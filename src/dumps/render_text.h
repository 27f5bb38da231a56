// Text safe for a terminal, line by line: control bytes and invalid UTF-8 in each line become
// U+FFFD while the line breaks the renderer wrote stay.
#ifndef INQUEST_DUMPS_RENDER_TEXT_H_
#define INQUEST_DUMPS_RENDER_TEXT_H_

#include <string>
#include <string_view>

#include "base/strings.h"

namespace inquest {

inline std::string SanitizeLines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    size_t nl = text.find('\n');
    out += SanitizeForTerminal(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    out += '\n';
    text.remove_prefix(nl + 1);
  }
  return out;
}

}  // namespace inquest

#endif  // INQUEST_DUMPS_RENDER_TEXT_H_
