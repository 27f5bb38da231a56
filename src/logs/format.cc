// The default probe and the format-independent continuation-line test.
#include "logs/format.h"

#include "logs/log_reader.h"

namespace inquest {
namespace {

// A record that parses but carries no time is weaker evidence of the format than one with a
// time: a JSON object without a time key is still JSON lines, but half as convincing.
constexpr double kTimelessRecordCredit = 0.5;

bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

}  // namespace

double LogFormat::Probe(std::span<const std::string_view> lines, const ParseContext& ctx) const {
  return ScoreByParsing(*this, lines, ctx);
}

double ScoreByParsing(const LogFormat& format, std::span<const std::string_view> lines,
                      const ParseContext& ctx) {
  Event ev;
  std::string why;
  double score = 0;
  size_t counted = 0;
  size_t records = 0;
  for (std::string_view line : lines) {
    if (line.size() > kMaxParsedLineBytes) line = line.substr(0, kMaxParsedLineBytes);
    ev.Clear();
    why.clear();
    LineKind kind = format.ParseLine(line, ctx, &ev, &why);
    if (kind == LineKind::kContinuation) continue;
    if (kind == LineKind::kMalformed) {
      if (format.allows_continuations() && records > 0 && LooksLikeContinuation(line)) continue;
      ++counted;
      continue;
    }
    ++counted;
    ++records;
    score += ev.time != kNoTime ? 1.0 : kTimelessRecordCredit;
  }
  if (counted == 0) return 0;
  return score / static_cast<double>(counted);
}

bool LooksLikeContinuation(std::string_view line) {
  if (line.empty()) return false;
  char c = line[0];
  if (c == ' ' || c == '\t') return true;  // indented: stack frames, wrapped text
  if (c == '}' || c == ']' || c == ')') return true;
  static constexpr std::string_view kPrefixes[] = {
      "at ",          // Java frame without indentation
      "Caused by:",   // Java cause chain
      "Suppressed:",  //
      "...",          // "... 12 more"
      "Traceback (most recent call last)",
      "File \"",  // Python frame without indentation
      "During handling of the above exception",
      "The above exception was the direct cause",
      "goroutine ",  // Go panic dump
      "panic: ",
      "Exception in thread ",
  };
  for (std::string_view p : kPrefixes)
    if (StartsWith(line, p)) return true;
  // "java.lang.IllegalStateException: boom", "ValueError: bad", "com.foo.BarError"
  size_t colon = line.find(": ");
  std::string_view head = colon == std::string_view::npos ? line : line.substr(0, colon);
  if (head.size() >= 5 && head.find(' ') == std::string_view::npos &&
      (head.ends_with("Exception") || head.ends_with("Error") || head.ends_with("Throwable")))
    return true;
  return false;
}

}  // namespace inquest
