#include "analyze/capture_manifest.h"

#include <gtest/gtest.h>

namespace inquest {
namespace {

// The shape live_capture.cc writes, cut to what analyze reads.
constexpr std::string_view kCaptureManifest = R"({
  "inquest_capture": 1, "pid": 4242, "exe": "/srv/billing", "runtime": "jvm",
  "started": "2026-12-07T04:36:14.062813569Z", "finished": "2026-12-07T04:36:15.5Z",
  "steps": [
    {"what": "proc snapshot", "started": "2026-12-07T04:36:14.063Z", "files": ["proc/status"]},
    {"what": "jvm thread dump", "started": "2026-12-07T04:36:14.100Z", "files": ["jvm-threads.txt"]},
    {"what": "core", "started": "2026-12-07T04:36:14.500Z", "files": ["core.4242"]}
  ],
  "files": [{"path": "proc/status", "size": 1, "sha256": "x"},
            {"path": "jvm-threads.txt", "size": 1, "sha256": "x"},
            {"path": "core.4242", "size": 1, "sha256": "x"},
            {"path": "notes.txt", "size": 1, "sha256": "x"}]
})";

TEST(CaptureManifestTest, EachFileWithItsStepAndTime) {
  Result<CaptureManifest> m = ParseCaptureManifest(kCaptureManifest);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->pid, 4242);
  EXPECT_EQ(m->exe, "/srv/billing");
  EXPECT_EQ(m->runtime, "jvm");
  EXPECT_EQ(FormatTime(m->started, 3), "2026-12-07T04:36:14.062Z");
  const CapturedFile* core = m->Find("core.4242");
  ASSERT_NE(core, nullptr);
  EXPECT_EQ(core->step, "core");
  EXPECT_EQ(FormatTime(core->taken, 3), "2026-12-07T04:36:14.500Z");
  EXPECT_EQ(m->Find("proc/status")->step, kProcSnapshotStep);
  // A file only the list names was taken during the capture: at its start.
  const CapturedFile* notes = m->Find("notes.txt");
  ASSERT_NE(notes, nullptr);
  EXPECT_EQ(notes->step, "");
  EXPECT_EQ(notes->taken, m->started);
  EXPECT_EQ(m->Find("nope"), nullptr);
}

TEST(CaptureManifestTest, OtherManifestsAreNotCaptures) {
  EXPECT_FALSE(ParseCaptureManifest(R"({"name": "web", "version": "1.2.0"})").ok());
  EXPECT_FALSE(ParseCaptureManifest(R"({"inquest_capture": 1, "pid": 3})").ok());  // no time
  EXPECT_FALSE(ParseCaptureManifest("[1, 2]").ok());
  EXPECT_FALSE(ParseCaptureManifest("{not json").ok());
  EXPECT_FALSE(ParseCaptureManifest(std::string(kMaxManifestBytes + 1, ' ')).ok());
}

}  // namespace
}  // namespace inquest
