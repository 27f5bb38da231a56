// Detection across readers: each real dump is claimed by its own reader, and the Go, Python
// and gdb probes never claim a Java thread dump or an hs_err log.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "base/mapped_file.h"
#include "dumps/dump.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

// The reader whose probe scores highest on the file's first 256 KiB, or "" below 0.5.
std::string Detect(const fs::path& p) {
  Result<MappedFile> f = MappedFile::Open(p.string());
  EXPECT_TRUE(f.ok()) << p;
  if (!f.ok()) return "";
  std::string_view head = f->data().substr(0, 256 << 10);
  double best = 0.5;
  std::string name;
  for (const DumpReader& r : DumpReaders()) {
    double score = r.probe(head);
    if (score > best) best = score, name = std::string(r.name);
  }
  return name;
}

TEST(DumpReaders, EachDumpGoesToItsReader) {
  fs::path golden = fs::path(TestSourceDir()) / "tests" / "golden";
  EXPECT_EQ(Detect(golden / "dump_go_deadlock.txt"), "go-goroutines");
  EXPECT_EQ(Detect(golden / "dump_go_damaged.txt"), "go-goroutines");
  EXPECT_EQ(Detect(golden / "dump_python_segfault.txt"), "python");
  EXPECT_EQ(Detect(golden / "dump_python_pyspy.txt"), "python");
  EXPECT_EQ(Detect(golden / "dump_gdb_null.txt"), "gdb");
  EXPECT_EQ(Detect(golden / "changes-git.log"), "");
}

TEST(DumpReaders, FixturesOfEveryKind) {
  fs::path dumps = fs::path(TestFixturesDir()) / "dumps";
  if (!fs::exists(dumps)) GTEST_SKIP() << "no fixtures at " << dumps;
  size_t checked = 0;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dumps)) {
    if (!e.is_regular_file() || e.path().string().ends_with(".golden.json")) continue;
    std::string kind = e.path().parent_path().filename().string();
    std::string got = Detect(e.path());
    SCOPED_TRACE(e.path().string());
    if (kind == "go") {
      // gostackparse's empty inputs hold no goroutine at all.
      if (e.file_size() > 0 && e.path().filename() != "empty_input.txt")
        EXPECT_EQ(got, "go-goroutines");
    } else if (kind == "gdb") {
      EXPECT_EQ(got, "gdb");
    } else {
      // Java thread dumps and hs_err logs: never taken for another runtime's dump.
      EXPECT_NE(got, "go-goroutines");
      EXPECT_NE(got, "python");
      EXPECT_NE(got, "gdb");
    }
    ++checked;
  }
  EXPECT_GT(checked, 50u);
}

}  // namespace
}  // namespace inquest
