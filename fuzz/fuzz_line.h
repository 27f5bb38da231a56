// Shared driver: feeds the input to one format line by line, as LogReader would, and through
// LogReader itself, so both the single-line parser and the record assembly are exercised.
#ifndef INQUEST_FUZZ_FUZZ_LINE_H_
#define INQUEST_FUZZ_FUZZ_LINE_H_

#include <cstdint>
#include <string_view>

#include "logs/log_reader.h"

namespace inquest {

inline void FuzzFormat(const LogFormat& format, const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Arena arena;
  ParseContext ctx;
  ctx.arena = &arena;
  ctx.time.default_year = 2026;
  IssueLog issues("fuzz");
  LogReader reader(bytes, format, ctx, 0, &issues);
  Event ev;
  uint64_t n = 0;
  while (reader.Next(&ev)) {
    // Every view must lie inside the input or the arena: touch them all.
    for (char c : ev.message) n += static_cast<unsigned char>(c);
    for (const Attr& a : ev.attrs) n += a.key.size() + a.value.size();
    n += ev.raw.size() + ev.service.size() + ev.host.size() + ev.request_id.size();
  }
  if (n == 1) __builtin_trap();  // keeps the loop from being optimised away; never true-ish
  std::string_view lines[kProbeLines];
  size_t k = 0;
  for (size_t pos = 0; pos < bytes.size() && k < kProbeLines;) {
    size_t nl = bytes.find('\n', pos);
    if (nl == std::string_view::npos) nl = bytes.size();
    lines[k++] = bytes.substr(pos, nl - pos);
    pos = nl + 1;
  }
  (void)format.Probe(std::span<const std::string_view>(lines, k), ctx);
}

}  // namespace inquest

#endif  // INQUEST_FUZZ_FUZZ_LINE_H_
