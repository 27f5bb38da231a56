// Dumps, trace exports and cores read as records of their role for the timeline: real
// third-party files, each verdict an Event on the UTC clock with its kind and source line.
#include "analyze/state_records.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "logs/registry.h"
#include "tests/support/test_files.h"
#include "timeline/log_set.h"

namespace inquest {
namespace {

const Event* FirstOf(const LogSet& set, size_t file) {
  return set.files[file]->events.empty() ? nullptr : &set.files[file]->events.front();
}

TEST(StateRecordsTest, DumpsTracesAndCoresAreRecordsOfTheirRole) {
  std::vector<InputPath> paths = {
      {TestFixture("dumps", "hs_err/krashpad-dataset70.txt"), false},
      {TestFixture("dumps", "java/dumpling/in-object-wait.log"), false},
      {TestFixture("traces", "zipkin/skew.json"), false},
      {TestFixture("cores", "lldb/linux-x86_64.core"), false},
      {TestFixture("logs", "loghub/Apache_2k.log"), false},
  };
  FormatRegistry registry;
  StateRecordReader state = StateRecords(nullptr);
  Result<LogSet> set = LoadLogSet(paths, registry, {}, 2, &state);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->files.size(), paths.size());

  // A JVM crash log: its verdict at the instant its "Time:" line names in EST.
  const Event* crash = FirstOf(*set, 0);
  ASSERT_NE(crash, nullptr);
  EXPECT_EQ(crash->role, RecordRole::kDump);
  EXPECT_EQ(crash->kind, "jvm-crash-unsafe");
  EXPECT_EQ(FormatTime(crash->time, 0), "2021-11-29T11:26:33Z");
  EXPECT_EQ(crash->level, Level::kFatal);
  EXPECT_EQ(crash->line, 4u);
  EXPECT_EQ(set->files[0]->taken_for, "dump");

  // A thread dump written without a zone: read as UTC, and the record says so.
  const Event* threads = FirstOf(*set, 1);
  ASSERT_NE(threads, nullptr);
  EXPECT_EQ(threads->role, RecordRole::kDump);
  EXPECT_NE(threads->Attribute("time").find("without a zone"), std::string_view::npos);

  // A Zipkin export: its trace findings are span records of their service.
  ASSERT_EQ(set->files[2]->events.size(), 3u);
  for (const Event& e : set->files[2]->events) EXPECT_EQ(e.role, RecordRole::kSpan);
  EXPECT_EQ(set->files[2]->events.front().service, "servicea");

  // A core: its crash at the file's modification time, said in the record.
  const Event* core = FirstOf(*set, 3);
  ASSERT_NE(core, nullptr);
  EXPECT_EQ(core->role, RecordRole::kCore);
  EXPECT_EQ(core->kind, "crash");
  struct stat st;
  ASSERT_EQ(::stat(paths[3].path.c_str(), &st), 0);
  EXPECT_EQ(core->time / kNanosPerSecond, st.st_mtim.tv_sec);
  EXPECT_EQ(core->Attribute("time"), "the core file's modification time");

  // The log beside them is still a log.
  EXPECT_NE(set->files[4]->format, nullptr);
  EXPECT_EQ(set->files[4]->events.front().role, RecordRole::kLog);
}

TEST(StateRecordsTest, WithoutTheReaderADumpIsNotRead) {
  FormatRegistry registry;
  Result<LogSet> set =
      LoadLogSet({{TestFixture("dumps", "hs_err/krashpad-dataset70.txt"), false}}, registry, {});
  // Taken for a log or refused, never read as dump records.
  if (set.ok())
    for (const Event& e : set->files[0]->events) EXPECT_EQ(e.role, RecordRole::kLog);
}

}  // namespace
}  // namespace inquest
