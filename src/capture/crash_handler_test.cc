// libinquest_crash end to end inside one test: a child process installs the handler and
// dereferences a null pointer; the parent checks how it died and reads the crash file back.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <inquest/crash.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "capture/crash_file.h"
#include "capture/crash_report.h"

namespace inquest {
namespace {

struct Record {
  long id;
  long balance;  // offset 8
};

// Faults on purpose: not instrumented, so that under the sanitizers it is the hardware fault
// (not a sanitizer report) that reaches the handler.
__attribute__((noinline, no_sanitize("address", "undefined"))) long ReadBalance(
    volatile Record* r) {
  return r->balance;
}

// Under ASan (GCC says so with __SANITIZE_ADDRESS__, clang with __has_feature), the handler
// chains to ASan's, which ends the process its own way (exit 1, or SIGABRT with
// abort_on_error): the crash file is checked, not how the process died.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

TEST(CrashHandlerTest, NullDereferenceWritesCrashFileAndStillDies) {
  std::string dir = ::testing::TempDir() + "crash_handler_test_XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (inquest_crash_install(dir.c_str()) != 0) _exit(90);
    volatile Record* null_record = nullptr;
    _exit(static_cast<int>(ReadBalance(null_record)));
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  if (!kSanitized) {
    ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status;
    EXPECT_EQ(WTERMSIG(status), SIGSEGV);
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(files[0].filename().string().starts_with("crash-" + std::to_string(pid) + "-"));
  struct stat st;
  ASSERT_EQ(stat(files[0].c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  std::ifstream in(files[0]);
  std::stringstream text;
  text << in.rdbuf();
  Result<CrashFile> crash = ParseCrashFile(text.str(), files[0].string());
  ASSERT_TRUE(crash.ok()) << crash.status().ToString();
  EXPECT_TRUE(crash->complete);
  EXPECT_EQ(crash->signal, SIGSEGV);
  EXPECT_EQ(crash->code, 1);  // SEGV_MAPERR
  EXPECT_EQ(crash->fault_addr, 8u);
  EXPECT_EQ(crash->pid, pid);
  ASSERT_FALSE(crash->frames.empty());
  EXPECT_FALSE(crash->registers.empty());
  // This test binary is mapped and has a build-id (the linker's default on Debian).
  std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  bool found = false;
  for (const ModuleMapping& m : crash->mappings) {
    if (m.path == self) found = found || !m.build_id.empty();
  }
  EXPECT_TRUE(found) << "no build-id for " << self;

  Result<CrashReport> report = SymbolizeCrash(*crash, SymbolSearch{});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_NE(report->frames[0].function.find("ReadBalance"), std::string::npos)
      << CrashReportText(*report);
  EXPECT_NE(CrashReportText(*report).find("null pointer"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(CrashHandlerTest, AbortIsRecordedAndTheProcessDiesOfSigabrt) {
  std::string dir = ::testing::TempDir() + "crash_handler_test_XXXXXX";
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (inquest_crash_install(dir.c_str()) != 0) _exit(90);
    std::abort();
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status;
  EXPECT_EQ(WTERMSIG(status), SIGABRT);
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path());
  ASSERT_EQ(files.size(), 1u);
  std::ifstream in(files[0]);
  std::stringstream text;
  text << in.rdbuf();
  Result<CrashFile> crash = ParseCrashFile(text.str(), files[0].string());
  ASSERT_TRUE(crash.ok()) << crash.status().ToString();
  EXPECT_EQ(crash->signal, SIGABRT);
  EXPECT_LE(crash->code, 0);  // sent by the process itself
  std::filesystem::remove_all(dir);
}

TEST(CrashHandlerTest, InstallRejectsBadArguments) {
  EXPECT_EQ(inquest_crash_install(""), -1);
  std::string long_dir(5000, 'x');
  EXPECT_EQ(inquest_crash_install(long_dir.c_str()), -1);
  EXPECT_EQ(errno, ENAMETOOLONG);
}

}  // namespace
}  // namespace inquest
