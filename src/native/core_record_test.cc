#include "native/core_record.h"

#include <gtest/gtest.h>

#include "native/core_output.h"

namespace inquest {
namespace {

CoreReport Sample() {
  CoreReport r;
  r.path = "core.1";
  r.size = 4096;
  r.time = 1700000000000000000;
  r.pid = 7;
  r.command = "billing";
  r.signo = 11;
  r.signal_name = "SIGSEGV";
  r.has_fault_address = true;
  r.fault_address = 8;
  r.walk.attempted = r.walk.concluded = true;
  r.walk.summary = "acct=0x0 came from lookup_account(99812)";
  r.walk.steps = {"one", "two"};
  r.warnings = {"w"};
  r.modules.push_back(
      {"/srv/billing", 0x1000, 0x2000, "abcd", "/srv/billing", "", SymbolStatus::kFull, ""});
  CoreThread& t = r.threads.emplace_back();
  t.tid = 7;
  t.crashing = true;
  t.regs[kRegRip] = 0x1234;
  CoreFrame& f = t.frames.emplace_back();
  f.pc = 0x1234;
  f.function = "apply_refund";
  f.line = 118;
  f.variables.push_back({"acct", "struct account *", "0x0", true, true, true, 0, 110, {}});
  t.frames.push_back(f);
  t.frames.back().inlined = true;
  return r;
}

TEST(CoreRecordTest, RoundTripsEveryField) {
  CoreReport r = Sample();
  std::string bytes = EncodeCoreReport(r);
  auto back = DecodeCoreReport(bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(RenderCore(*back, CoreFormat::kJson, {}).str(),
            RenderCore(r, CoreFormat::kJson, {}).str());
  EXPECT_EQ(back->threads[0].frames[0].variables[0].decl_line, 110);
  EXPECT_EQ(back->time, r.time);
  // A core taken from a live process stays one.
  r.snapshot = true;
  back = DecodeCoreReport(EncodeCoreReport(r));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->snapshot);
}

TEST(CoreRecordTest, EveryTruncationIsAnErrorWithAnOffset) {
  std::string bytes = EncodeCoreReport(Sample());
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = DecodeCoreReport(std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_TRUE(r.status().where().has_offset);
    EXPECT_LE(r.status().where().byte_offset, n);
  }
  EXPECT_FALSE(DecodeCoreReport(bytes + "x").ok());  // trailing bytes
}

TEST(CoreRecordTest, HugeCountsAreRejectedNotAllocated) {
  std::string bytes = EncodeCoreReport(CoreReport{});
  // The walk's step count sits right after the summary: make it absurd.
  size_t steps_at = bytes.size() - 4 * 8;  // steps, warnings, modules, threads counts
  for (int i = 0; i < 8; ++i) bytes[steps_at + i] = '\xff';
  auto r = DecodeCoreReport(bytes);
  EXPECT_FALSE(r.ok());
}

// A JVM's view: every field a Java thread carries survives the worker's record.
TEST(CoreRecordTest, RoundTripsAJvmView) {
  CoreReport r = Sample();
  r.runtime.runtime = "HotSpot";
  r.runtime.version = "17.0.9+9";
  r.runtime.build_id = "97da31b2";
  r.runtime.module = "/opt/jdk/lib/server/libjvm.so";
  RuntimeThread& t = r.runtime.threads.emplace_back();
  t.id = 12;
  t.name = "teller-1";
  t.handle = 0x7f00aa000012;
  t.lwp = 4242;
  t.state = "BLOCKED";
  t.detail = "_thread_blocked";
  t.daemon = true;
  t.last_java_sp = 0x7f0010;
  t.last_java_pc = 0x7f0020;
  t.frames.push_back({"Bank.move(Bank$Acct)", "", "", 18});
  auto back = DecodeCoreReport(EncodeCoreReport(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  const RuntimeThread& b = back->runtime.threads.at(0);
  EXPECT_EQ(back->runtime.build_id, "97da31b2");
  EXPECT_EQ(b.name, "teller-1");
  EXPECT_EQ(b.handle, t.handle);
  EXPECT_EQ(b.detail, "_thread_blocked");
  EXPECT_TRUE(b.daemon);
  EXPECT_EQ(b.last_java_sp, t.last_java_sp);
  EXPECT_EQ(b.last_java_pc, t.last_java_pc);
  EXPECT_EQ(RenderCore(*back, CoreFormat::kJson, {}).str(),
            RenderCore(r, CoreFormat::kJson, {}).str());
}

// JSON emitted in pieces is the same document as JSON rendered whole.
TEST(CoreRecordTest, StreamedJsonIsTheWholeDocument) {
  CoreReport r = Sample();
  r.runtime.runtime = "Go";
  for (int i = 0; i < 20000; ++i) {
    RuntimeThread& t = r.runtime.threads.emplace_back();
    t.id = i;
    t.state = "chan receive";
    for (int k = 0; k < 3; ++k) t.frames.push_back({"main.worker", "", "/srv/main.go", 10 + k});
  }
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  EmitCore(r, CoreFormat::kJson, {}, f);
  std::fflush(f);
  std::string whole = RenderCore(r, CoreFormat::kJson, {}).str();
  ASSERT_GT(whole.size(), 2 * kCoreJsonPiece);
  std::string streamed(std::ftell(f), '\0');
  std::rewind(f);
  ASSERT_EQ(std::fread(streamed.data(), 1, streamed.size(), f), streamed.size());
  std::fclose(f);
  EXPECT_EQ(streamed, whole);
}

}  // namespace
}  // namespace inquest
