#include "capture/evidence_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "capture/proc_snapshot.h"

namespace inquest {
namespace {

mode_t ModeOf(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

std::string NewTemp() {
  std::string dir = ::testing::TempDir() + "evidence_dir_test_XXXXXX";
  EXPECT_NE(mkdtemp(dir.data()), nullptr);
  return dir;
}

TEST(EvidenceDirTest, ModesAndHashes) {
  std::string root = NewTemp();
  Result<EvidenceDir> dir = EvidenceDir::Create(root + "/a/b");
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  ASSERT_TRUE(dir->Write("proc/status", "abc").ok());
  EXPECT_EQ(ModeOf(root + "/a/b"), 0700u);
  EXPECT_EQ(ModeOf(root + "/a/b/proc"), 0700u);
  EXPECT_EQ(ModeOf(root + "/a/b/proc/status"), 0600u);
  EXPECT_FALSE(dir->Write("proc/status", "again").ok());  // never overwrites
  EXPECT_FALSE(dir->Write("../escape", "x").ok());
  Result<std::vector<EvidenceFile>> files = dir->Hash();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].size, 3u);
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ((*files)[0].sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_FALSE(EvidenceDir::Create(root + "/a/b").ok());  // not empty any more
  std::filesystem::remove_all(root);
}

TEST(EvidenceDirTest, NeverWritesThroughALink) {
  std::string root = NewTemp();
  std::string victim = root + "/victim";
  ASSERT_TRUE(std::filesystem::create_directory(victim));
  // The evidence folder itself a link: refused, nothing written where it points.
  ASSERT_EQ(symlink(victim.c_str(), (root + "/capture").c_str()), 0);
  Result<EvidenceDir> linked = EvidenceDir::Create(root + "/capture");
  ASSERT_FALSE(linked.ok());
  EXPECT_NE(linked.status().message().find("symbolic link"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(victim));
  // A link planted inside (a folder or a file name the capture will use) is not followed.
  Result<EvidenceDir> dir = EvidenceDir::Create(root + "/real");
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  ASSERT_EQ(symlink(victim.c_str(), (root + "/real/proc").c_str()), 0);
  EXPECT_FALSE(dir->Write("proc/status", "x").ok());
  ASSERT_EQ(symlink((victim + "/core").c_str(), (root + "/real/core").c_str()), 0);
  EXPECT_FALSE(dir->OpenNew("core").ok());
  EXPECT_FALSE(dir->Adopt("core").ok());
  EXPECT_TRUE(std::filesystem::is_empty(victim));
  // A file a tool wrote (gcore, jcmd) is adopted at 0600 whatever mode it was written with.
  { std::ofstream(root + "/real/heap.hprof") << "heap"; }
  chmod((root + "/real/heap.hprof").c_str(), 0644);
  ASSERT_TRUE(dir->Adopt("heap.hprof").ok());
  EXPECT_EQ(ModeOf(root + "/real/heap.hprof"), 0600u);
  std::filesystem::remove_all(root);
}

TEST(ProcSnapshotTest, SnapshotOfThisProcessRedactsSecrets) {
  std::string root = NewTemp();
  Result<EvidenceDir> dir = EvidenceDir::Create(root + "/snap");
  ASSERT_TRUE(dir.ok());
  Result<ProcSnapshot> snap = SnapshotProc(getpid(), &*dir);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_GE(snap->threads, 1u);
  // The environment of a process started with secrets is checked end to end in
  // tests/e2e/capture_live_test.py; here the rule for one entry.
  bool hidden = false;
  EXPECT_EQ(RedactEnvEntry("INQUEST_TEST_API_TOKEN=s3cr3t-value-123", &hidden),
            "INQUEST_TEST_API_TOKEN=[REDACTED]");
  EXPECT_TRUE(hidden);
  EXPECT_EQ(RedactEnvEntry("PLAIN=visible-value", &hidden), "PLAIN=visible-value");
  EXPECT_FALSE(hidden);
  for (const char* f : {"proc/status", "proc/maps", "proc/limits", "proc/cmdline", "proc/fds.txt",
                        "proc/threads.txt"}) {
    EXPECT_EQ(ModeOf(root + "/snap/" + f), 0600u) << f;
  }
  Result<std::string> threads = ReadProcFile(root + "/snap/proc/threads.txt", 1 << 20);
  ASSERT_TRUE(threads.ok());
  EXPECT_NE(threads->find(std::to_string(getpid())), std::string::npos);
  std::filesystem::remove_all(root);
}

TEST(ProcSnapshotTest, MissingProcessIsNotFound) {
  std::string root = NewTemp();
  Result<EvidenceDir> dir = EvidenceDir::Create(root + "/snap");
  ASSERT_TRUE(dir.ok());
  // pid_max is at most 2^22 on Linux, so this pid cannot exist.
  Result<ProcSnapshot> snap = SnapshotProc(1 << 23, &*dir);
  ASSERT_FALSE(snap.ok());
  EXPECT_EQ(snap.status().code(), StatusCode::kNotFound);
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace inquest
