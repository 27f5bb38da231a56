// Test helpers for the post-mortem document tests: where the primer and the fixtures are, and
// the primer's worked post-mortem cut out of the reference text by its markers.
#ifndef INQUEST_POSTMORTEM_PM_TEST_UTIL_H_
#define INQUEST_POSTMORTEM_PM_TEST_UTIL_H_

#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/test_files.h"

namespace inquest {

inline std::string PrimerPath() {
  return TestFixturesDir() + "/../reference/post-mortem-analysis-primer.txt";
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The worked example: from its title line up to the sentence after it ("Notice the shape").
// Empty when the reference file is not there.
inline std::string PrimerWorkedExample() {
  std::string text = ReadWholeFile(PrimerPath());
  size_t begin = text.find("# Post-Mortem: Checkout cache stampede");
  size_t end = text.find("Notice the shape", begin);
  if (begin == std::string::npos || end == std::string::npos) return {};
  return text.substr(begin, end - begin);
}

}  // namespace inquest

#endif  // INQUEST_POSTMORTEM_PM_TEST_UTIL_H_
