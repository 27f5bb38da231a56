// The redactor (base/redact.h) runs over every byte inquest writes, from strangers' evidence:
// it must never crash or go past linear time, and its contract must hold on any text.
//  - Redacting twice changes nothing the first pass left (markers are not secrets).
//  - A text it leaves alone is reported as holding nothing.
//  - A command line redacted element by element never gains elements.
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "base/redact.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const inquest::Redactor redactor;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string once;
  if (redactor.Redact(text, &once, nullptr)) {
    std::string twice;
    if (redactor.Redact(once, &twice, nullptr) && twice != once) std::abort();
  } else if (redactor.Apply(text, nullptr) != text) {
    std::abort();
  }
  // The same bytes as a key and a value, and as an argv split at NUL bytes.
  size_t cut = text.find('=');
  if (cut != std::string_view::npos) {
    std::string out;
    (void)redactor.RedactValue(text.substr(0, cut), text.substr(cut + 1), &out, nullptr);
  }
  std::vector<std::string> argv;
  for (size_t at = 0; at <= text.size();) {
    size_t end = text.find('\0', at);
    if (end == std::string_view::npos) end = text.size();
    argv.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  size_t n = argv.size();
  redactor.RedactArgv(&argv, nullptr);
  if (argv.size() != n) std::abort();
  return 0;
}
