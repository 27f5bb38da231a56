// Where the unit tests find the checkout and the shared fixtures, and how they read a file.
//
// The paths come from the environment at run time (ctest sets INQUEST_SOURCE_DIR and
// INQUEST_FIXTURES_DIR for every test), never from the compile line: a test object then holds
// no absolute path and ccache gives the same object to every clone of the repository. Run by
// hand without them, a test binary takes the folder above its build folder as the checkout
// (scripts/dev builds in <checkout>/build*) and ../shared/fixtures beside it.
#ifndef INQUEST_TESTS_SUPPORT_TEST_FILES_H_
#define INQUEST_TESTS_SUPPORT_TEST_FILES_H_

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace inquest {

namespace test_paths_internal {
inline std::string CheckoutFromExecutable() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string exe(buf, static_cast<size_t>(n));
  for (int up = 0; up < 2; ++up) {  // the binary, then its build folder
    size_t slash = exe.rfind('/');
    if (slash == std::string::npos) return ".";
    exe.resize(slash);
  }
  return exe.empty() ? "/" : exe;
}
}  // namespace test_paths_internal

// The repository checkout (README.md, examples/, tests/golden/ ...).
inline std::string TestSourceDir() {
  const char* env = std::getenv("INQUEST_SOURCE_DIR");
  return env && *env ? std::string(env) : test_paths_internal::CheckoutFromExecutable();
}

// ../shared/fixtures beside the checkout: the third-party files with their oracles.
inline std::string TestFixturesDir() {
  const char* env = std::getenv("INQUEST_FIXTURES_DIR");
  return env && *env ? std::string(env) : TestSourceDir() + "/../shared/fixtures";
}

// A fixture under one folder of the shared fixtures: TestFixture("cores", "billing/core").
inline std::string TestFixture(std::string_view folder, std::string_view rel) {
  return TestFixturesDir() + "/" + std::string(folder) + "/" + std::string(rel);
}

// The whole file, bytes as they are; empty when it cannot be read (the test's own checks on
// the content then fail and name the file).
inline std::string ReadTestFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace inquest

#endif  // INQUEST_TESTS_SUPPORT_TEST_FILES_H_
