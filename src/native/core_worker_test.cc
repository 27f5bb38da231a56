// The worker AnalyzeCore reads a core in (`inquest core --worker`, the inquest built beside this
// test): stopped at its CPU-time, memory and output limits with a message naming the limit, a
// crash named by its signal, and the report identical to the one read in this process.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "native/core_analysis.h"
#include "native/core_output.h"
#include "native/core_record.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

const std::string kCore = "elfutils/testfiledwarfinlines.core";
const std::string kExe = "elfutils/testfiledwarfinlines";

bool HaveCores() {
  struct stat st;
  return ::stat(TestFixture("cores", kCore).c_str(), &st) == 0;
}

#define REQUIRE_CORES() \
  if (!HaveCores()) GTEST_SKIP() << "no fixtures at " << TestFixture("cores", "")

CoreOptions Options() {
  CoreOptions o;
  o.search.exe = TestFixture("cores", kExe);
  o.locals = LocalsScope::kNone;  // one attempt, not a second without variables
  return o;
}

// A drill needs no core: the worker misbehaves before it reads one.
Status Drill(CoreWorkerDrill drill, CoreWorkerLimits limits) {
  CoreOptions o = Options();
  limits.drill = drill;
  o.worker = limits;
  Result<CoreReport> r = AnalyzeCore("/nonexistent/core", o);
  EXPECT_FALSE(r.ok());
  return r.status();
}

bool Says(const Status& s, std::string_view what) {
  return s.message().find(what) != std::string::npos;
}

TEST(CoreWorkerTest, StoppedAtItsCpuLimit) {
  Status s = Drill(CoreWorkerDrill::kSpin, {.cpu_seconds = 1});
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_TRUE(Says(s, "CPU-time limit (1 s)")) << s.message();
}

TEST(CoreWorkerTest, StoppedAtItsMemoryLimit) {
  Status s = Drill(CoreWorkerDrill::kAllocate, {.memory_bytes = uint64_t{256} << 20});
  if (Says(s, "needs a memory limit")) GTEST_SKIP() << "no address-space limit in this build";
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_TRUE(Says(s, "memory limit (256 MiB")) << s.message();
}

TEST(CoreWorkerTest, StoppedAtItsOutputLimit) {
  Status s = Drill(CoreWorkerDrill::kFlood, {.output_bytes = 100000});
  EXPECT_TRUE(Says(s, "output limit (100000 bytes)")) << s.message();
}

TEST(CoreWorkerTest, ACrashIsNamedBySignal) {
  Status s = Drill(CoreWorkerDrill::kCrash, {});
  EXPECT_TRUE(Says(s, "crashed the reader process (SIGSEGV")) << s.message();
}

TEST(CoreWorkerTest, ARealCoreMeetsTinyLimits) {
  REQUIRE_CORES();
  CoreOptions o = Options();
  o.worker.output_bytes = 1000;
  Result<CoreReport> r = AnalyzeCore(TestFixture("cores", kCore), o);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Says(r.status(), "output limit (1000 bytes)")) << r.status().message();
  // The worker's limits hold past a first attempt with variables: the second, without them,
  // meets the same limit and the first error is the one reported.
  o.locals = LocalsScope::kCrashingThread;
  r = AnalyzeCore(TestFixture("cores", kCore), o);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Says(r.status(), "output limit")) << r.status().message();

  o = Options();
  o.worker.memory_bytes = 8 << 20;  // less than the worker's own program
  r = AnalyzeCore(TestFixture("cores", kCore), o);
  // A sanitizer build applies no address-space limit, so there the analysis goes through.
  if (!r.ok()) {
    EXPECT_TRUE(Says(r.status(), "memory limit (8 MiB")) << r.status().message();
  }
}

TEST(CoreWorkerTest, TheWorkersReportIsTheInProcessReport) {
  REQUIRE_CORES();
  CoreOptions o = Options();
  o.locals = LocalsScope::kAllThreads;
  Result<CoreReport> here = AnalyzeCoreInProcess(TestFixture("cores", kCore), o);
  Result<CoreReport> there = AnalyzeCore(TestFixture("cores", kCore), o);
  ASSERT_TRUE(here.ok()) << here.status().ToString();
  ASSERT_TRUE(there.ok()) << there.status().ToString();
  EXPECT_EQ(EncodeCoreReport(*here), EncodeCoreReport(*there));
}

TEST(CoreWorkerTest, AMissingWorkerProgramIsAClearError) {
  SetCoreWorkerProgram("/nonexistent/inquest");
  Result<CoreReport> r = AnalyzeCore("/nonexistent/core", Options());
  SetCoreWorkerProgram("");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Says(r.status(), "cannot start the core reader (/nonexistent/inquest)"))
      << r.status().message();
}

TEST(CoreRequestTest, RoundTripsAndRejectsDamage) {
  CoreRequest q;
  q.path = "core.1";
  q.options.search.exe = "/bin/x";
  q.options.search.debug_dirs = {"/a", "/b"};
  q.options.source_dirs = {"/src"};
  q.options.locals = LocalsScope::kAllThreads;
  q.options.worker = {
      .cpu_seconds = 3, .memory_bytes = 5, .output_bytes = 7, .drill = CoreWorkerDrill::kFlood};
  std::string bytes = EncodeCoreRequest(q);
  Result<CoreRequest> back = DecodeCoreRequest(bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->path, "core.1");
  EXPECT_EQ(back->options.search.debug_dirs, q.options.search.debug_dirs);
  EXPECT_EQ(back->options.source_dirs, q.options.source_dirs);
  EXPECT_EQ(back->options.locals, LocalsScope::kAllThreads);
  EXPECT_EQ(back->options.worker.cpu_seconds, 3);
  EXPECT_EQ(back->options.worker.output_bytes, 7u);
  EXPECT_EQ(back->options.worker.drill, CoreWorkerDrill::kFlood);
  for (size_t cut = 0; cut < bytes.size(); ++cut)
    EXPECT_FALSE(DecodeCoreRequest(std::string_view(bytes).substr(0, cut)).ok()) << cut;
  EXPECT_FALSE(DecodeCoreRequest(bytes + "x").ok());
}

}  // namespace
}  // namespace inquest
