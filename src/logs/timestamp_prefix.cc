// The fallback format: any line that starts with a timestamp ParseTimePrefix knows, optionally
// followed by a level word ("ERROR", "[warn]", "INFO:"), then the message. Lines without a
// timestamp are continuations of the record above (LogReader folds them).
#include "logs/formats.h"
#include "logs/text_scan.h"

namespace inquest {
namespace {

// This format fits every timestamped line; it must lose to any specific format that fits
// nearly as well, so its probe score is scaled down.
constexpr double kGenericPenalty = 0.9;
// Single letters ("I", "E") and two-letter words are too often ordinary words to be levels here.
constexpr size_t kMinBareLevelChars = 3;

class TimestampPrefixFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "timestamped"; }
  std::string_view description() const override {
    return "any line starting with a recognisable timestamp (the fallback)";
  }

  double Probe(std::span<const std::string_view> lines, const ParseContext& ctx) const override {
    return kGenericPenalty * ScoreByParsing(*this, lines, ctx);
  }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    TextScan sc(line);
    if (!sc.Time(
            [&](std::string_view s, ParsedTime* pt) { return ParseTimePrefix(s, ctx.time, pt); },
            event)) {
      *why = "no timestamp at the start";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    sc.Consume("- ");
    sc.SkipSpaces();
    TextScan probe = sc;
    std::string_view word = probe.Word();
    bool bracketed = false;
    if (word.size() > 2 && word.front() == '[' && word.back() == ']') {
      word = word.substr(1, word.size() - 2);
      bracketed = true;
    } else if (word.size() > 1 && word.back() == ':') {
      word.remove_suffix(1);
    }
    Level l = ParseLevel(word);
    if (l != Level::kUnknown && (bracketed || word.size() >= kMinBareLevelChars)) {
      event->level = l;
      sc = probe;
      sc.SkipSpaces();
    }
    event->message = sc.rest();
    return LineKind::kRecord;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewTimestampPrefixFormat() {
  return std::make_unique<TimestampPrefixFormat>();
}

}  // namespace inquest
