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

// The shape the dump handler libraries (handlers/) write: no steps, each file with its own time,
// kind, trigger and process, over a restart.
constexpr std::string_view kHandlerManifest = R"({
  "inquest_capture": 1, "writer": "inquest-dumps-go 1", "runtime": "go", "pid": 4300,
  "exe": "/srv/sessions", "started": "2026-12-08T00:30:15.123456789Z",
  "finished": "2026-12-08T00:41:02Z", "steps": [],
  "files": [
    {"path": "sessions-4242-20261208T003015.123Z-goroutines.txt", "size": 10, "sha256": "x",
     "kind": "goroutines", "time": "2026-12-08T00:30:15.123456789Z", "trigger": "SIGUSR1",
     "pid": 4242, "program": "sessions"},
    {"path": "sessions-4300-20261208T004101.000Z-heap.pb.gz", "size": 10, "sha256": "x",
     "kind": "heap", "time": "2026-12-08T00:41:01Z", "trigger": "watchdog", "pid": 4300,
     "program": "sessions"}
  ], "notes": []
})";

TEST(CaptureManifestTest, HandlerDumpsAtTheirOwnTimes) {
  Result<CaptureManifest> m = ParseCaptureManifest(kHandlerManifest);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->writer, "inquest-dumps-go 1");
  const CapturedFile* g = m->Find("sessions-4242-20261208T003015.123Z-goroutines.txt");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(FormatTime(g->taken, 3), "2026-12-08T00:30:15.123Z");
  EXPECT_EQ(g->kind, "goroutines");
  EXPECT_EQ(g->trigger, "SIGUSR1");
  EXPECT_EQ(g->pid, 4242);
  EXPECT_EQ(g->step, "goroutines dump on SIGUSR1");
  const CapturedFile* h = m->Find("sessions-4300-20261208T004101.000Z-heap.pb.gz");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(FormatTime(h->taken, 0), "2026-12-08T00:41:01Z");  // not the manifest's start
  EXPECT_EQ(h->pid, 4300);
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
