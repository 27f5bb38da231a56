#include "dumps/java/hs_err.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "base/strings.h"
#include "dumps/java/hs_err_report.h"
#include "dumps/java/java_readers.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kJniCrash =
    "#\n"
    "# A fatal error has been detected by the Java Runtime Environment:\n"
    "#\n"
    "#  SIGSEGV (0xb) at pc=0x00007f3a1c2d5119, pid=4242, tid=4243\n"
    "#\n"
    "# JRE version: OpenJDK Runtime Environment (17.0.15+6) (build 17.0.15+6-Debian-1deb12u1)\n"
    "# Java VM: OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1, mixed mode, sharing, "
    "tiered, compressed oops, compressed class ptrs, g1 gc, linux-amd64)\n"
    "# Problematic frame:\n"
    "# C  [libcrash.so+0x1119]  Java_Crash_boom+0x10\n"
    "#\n"
    "\n"
    "---------------  S U M M A R Y ------------\n"
    "\n"
    "Command Line: -Djava.library.path=. -Ddb.password=hunter2 Crash\n"
    "\n"
    "Time: Mon Nov 24 03:40:00 2026 UTC elapsed time: 0.1 seconds (0d 0h 0m 0s)\n"
    "\n"
    "---------------  T H R E A D  ---------------\n"
    "\n"
    "Current thread (0x00007f3a14029000):  JavaThread \"main\" [_thread_in_native, "
    "id=4243, stack(0x00007f3a1a0f5000,0x00007f3a1a1f6000)]\n"
    "\n"
    "Native frames: (J=compiled Java code, j=interpreted, Vv=VM code, C=native code)\n"
    "C  [libcrash.so+0x1119]  Java_Crash_boom+0x10\n"
    "j  Crash.boom()V+0\n"
    "j  Crash.main([Ljava/lang/String;)V+0\n"
    "v  ~StubRoutines::call_stub\n"
    "\n"
    "Java frames: (J=compiled Java code, j=interpreted, Vv=VM code)\n"
    "j  Crash.boom()V+0\n"
    "j  Crash.main([Ljava/lang/String;)V+0\n"
    "v  ~StubRoutines::call_stub\n"
    "\n"
    "siginfo: si_signo: 11 (SIGSEGV), si_code: 1 (SEGV_MAPERR), si_addr: 0x0000000000000000\n"
    "\n"
    "Heap:\n"
    " garbage-first heap   total 258048K, used 1024K\n"
    "  region size 1024K, 2 young (2048K), 0 survivors (0K)\n"
    "\n"
    "END.\n";

TEST(HsErrTest, ReadsEveryField) {
  std::vector<std::string> diags;
  HsErrLog log = ParseHsErr(kJniCrash, &diags);
  EXPECT_TRUE(diags.empty());
  EXPECT_TRUE(log.has_header);
  EXPECT_TRUE(log.complete);
  EXPECT_EQ(log.error, "SIGSEGV (0xb)");
  EXPECT_EQ(log.signal, "SIGSEGV");
  EXPECT_EQ(log.pc, "0x00007f3a1c2d5119");
  EXPECT_EQ(log.pid, "4242");
  EXPECT_EQ(log.tid, "4243");
  EXPECT_EQ(log.error_line, 4u);
  EXPECT_EQ(log.jre_version,
            "OpenJDK Runtime Environment (17.0.15+6) (build 17.0.15+6-Debian-1deb12u1)");
  EXPECT_TRUE(log.vm_version.starts_with("OpenJDK 64-Bit Server VM (17.0.15+6"));
  ASSERT_TRUE(log.has_problematic);
  EXPECT_EQ(log.problematic.kind, 'C');
  EXPECT_EQ(log.problematic.library, "libcrash.so");
  EXPECT_EQ(log.problematic.offset, "0x1119");
  EXPECT_EQ(log.problematic.symbol, "Java_Crash_boom+0x10");
  EXPECT_EQ(log.problematic.line, 9u);
  EXPECT_EQ(log.thread_type, "JavaThread");
  EXPECT_EQ(log.thread_name, "main");
  EXPECT_EQ(log.thread_state, "_thread_in_native");
  ASSERT_EQ(log.native_frames.size(), 4u);
  ASSERT_EQ(log.java_frames.size(), 3u);
  EXPECT_EQ(log.java_frames[1].symbol, "Crash.main([Ljava/lang/String;)V");
  EXPECT_EQ(log.siginfo_line, 33u);
  ASSERT_EQ(log.heap.size(), 2u);
  EXPECT_EQ(log.command_line, "-Djava.library.path=. -Ddb.password=hunter2 Crash");
  EXPECT_EQ(FormatTime(log.time, 0), "2026-11-24T03:40:00Z");
  EXPECT_EQ(log.elapsed, "0.1 seconds (0d 0h 0m 0s)");
}

TEST(HsErrTest, JniVerdictNamesTheLibraryAndRedactsTheCommandLine) {
  Result<DumpAnalysis> a = HsErrReader().analyze("hs_err_pid4242.log", kJniCrash, DumpOptions{});
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->verdicts.size(), 1u);
  const Finding& f = a->verdicts[0];
  EXPECT_EQ(f.kind, "jvm-crash-jni");
  EXPECT_EQ(f.title,
            "SIGSEGV: crash in native library libcrash.so called through JNI, in "
            "Java_Crash_boom+0x10");
  EXPECT_NE(f.explanation.find("called from the Java method Crash.boom()V"), std::string::npos);
  EXPECT_NE(f.explanation.find("null pointer"), std::string::npos);
  ASSERT_GE(f.evidence.size(), 2u);
  EXPECT_EQ(f.evidence[1].source, "hs_err_pid4242.log:9");
  // "UTC" is printed after the time.
  EXPECT_EQ(a->time_source, "the dump's own timestamp, zone UTC (line 16)");
  EXPECT_EQ(a->time, 1795491600 * kNanosPerSecond);  // 2026-11-24T03:40:00Z
  // The text is redacted where it is written (base/output.h), the JSON as it is made.
  EXPECT_EQ(RedactText(a->text).str().find("hunter2"), std::string::npos);
  EXPECT_EQ(a->json.str().find("hunter2"), std::string::npos);
  EXPECT_NE(a->json.str().find("\"problematic_frame\":{\"kind\":\"C\""), std::string::npos);
}

TEST(HsErrTest, CutOffLogKeepsWhatItHas) {
  std::string_view cut = kJniCrash.substr(0, kJniCrash.find("# C  [libcrash"));
  std::vector<std::string> diags;
  HsErrLog log = ParseHsErr(cut, &diags);
  EXPECT_EQ(log.signal, "SIGSEGV");
  EXPECT_FALSE(log.has_problematic);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0], "line 8: the log ends after \"# Problematic frame:\"");
  Result<DumpAnalysis> a = HsErrReader().analyze("cut.log", cut, DumpOptions{});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->verdicts[0].kind, "jvm-crash-vm");
  EXPECT_EQ(a->diagnostics.back(),
            "cut.log: the log has no final \"END.\": it was cut off, later sections are missing");
  EXPECT_FALSE(HsErrReader().analyze("x", "hello world\n", DumpOptions{}).ok());
}

// The line after `marker`, trimmed, or "" when the text has none.
std::string LineAfter(std::string_view text, std::string_view marker) {
  size_t m = text.find(marker);
  if (m == std::string_view::npos) return {};
  size_t b = text.find('\n', m) + 1;
  size_t e = text.find('\n', b);
  return std::string(TrimSpace(text.substr(b, e == std::string_view::npos ? e : e - b)));
}

// Conformance on krashpad's hs_err files: the fields the file holds are the ones read (checked
// against the raw text), and the verdict kind is the one a reader of the file would give.
TEST(HsErrConformanceTest, EveryFileYieldsItsSummary) {
  std::string dir = TestFixturesDir() + "/dumps/hs_err";
  if (!fs::exists(dir)) GTEST_SKIP() << "fixtures not present: " << dir;
  const std::map<std::string, std::string> kKinds = {
      {"1", "jvm-crash-native"},  {"4", "jvm-crash-vm"},      {"7", "jvm-native-oom"},
      {"10", "jvm-thread-limit"}, {"13", "jvm-native-oom"},   {"16", "jvm-crash-jit"},
      {"19", "jvm-crash-native"}, {"22", "jvm-crash-jni"},    {"25", "hs-err-fragment"},
      {"28", "jvm-native-oom"},   {"31", "jvm-crash-gc"},     {"34", "jvm-crash-vm"},
      {"37", "jvm-crash-jit"},    {"40", "jvm-crash-vm"},     {"43", "jvm-crash-vm"},
      {"46", "jvm-crash-vm"},     {"49", "jvm-native-oom"},   {"52", "jvm-crash-vm"},
      {"55", "jvm-native-oom"},   {"58", "jvm-native-oom"},   {"61", "jvm-native-oom"},
      {"64", "hs-err-fragment"},  {"67", "jvm-native-oom"},   {"70", "jvm-crash-unsafe"},
      {"73", "jvm-crash-vm"},     {"76", "jvm-crash-jit"},    {"79", "jvm-native-oom"},
      {"82", "jvm-crash-vm"},     {"85", "hs-err-fragment"},  {"88", "jvm-native-oom"},
      {"91", "hs-err-fragment"},  {"94", "jvm-crash-unsafe"}, {"97", "hs-err-fragment"},
  };
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    std::string num = name.substr(16, name.size() - 20);  // krashpad-dataset<N>.txt
    SCOPED_TRACE(name);
    std::string text = ReadTestFile(e.path());
    std::vector<std::string> diags;
    HsErrLog log = ParseHsErr(text, &diags);
    // Signal or error, from the header line.
    std::string header = LineAfter(text, "# A fatal error has been detected");
    if (size_t pc = text.find(" at pc="); pc != std::string::npos) {
      size_t b = text.rfind("#  ", pc) + 3;
      EXPECT_EQ(log.signal, text.substr(b, text.find(' ', b) - b));
    } else if (text.find("Out of Memory Error (") != std::string::npos) {
      EXPECT_TRUE(log.error.starts_with("Out of Memory Error ("));
    } else if (text.find("There is insufficient memory") != std::string::npos) {
      EXPECT_TRUE(log.insufficient_memory);
    } else {
      EXPECT_TRUE(log.error.empty());
    }
    // The problematic frame, letter and library or symbol.
    std::string frame = LineAfter(text, "# Problematic frame:");
    EXPECT_EQ(log.has_problematic, !frame.empty());
    if (!frame.empty()) {
      EXPECT_EQ(log.problematic.kind, frame[2]);
      EXPECT_EQ("# " + log.problematic.text, frame);
    }
    // Versions: the header's JRE line, else vm_info.
    if (size_t v = text.find("# JRE version:"); v != std::string::npos) {
      size_t eol = text.find('\n', v);
      EXPECT_EQ(log.jre_version, TrimSpace(text.substr(v + 14, eol - v - 14)));
    } else if (text.find("vm_info:") != std::string::npos) {
      EXPECT_FALSE(log.vm_info.empty());
    }
    Result<DumpAnalysis> a = HsErrReader().analyze(name, text, DumpOptions{});
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(kKinds.contains(num));
    EXPECT_EQ(a->verdicts[0].kind, kKinds.at(num)) << a->verdicts[0].title;
    ++files;
  }
  EXPECT_EQ(files, kKinds.size());
}

}  // namespace
}  // namespace inquest
