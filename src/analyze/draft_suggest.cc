#include "analyze/draft_suggest.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include "analyze/draft_knowledge.h"
#include "base/strings.h"

namespace inquest {
namespace {

// A path segment that names no feature: a number, a hex or UUID id, a version, "api".
bool IsIdSegment(std::string_view s) {
  static const RE2 kId(R"((?i)(\d+|[0-9a-f-]{8,}|v\d+(\.\d+)*|api|rest|rpc|index(\.\w+)?))");
  return s.empty() || RE2::FullMatch(s, kId);
}

// The HTTP path an event names: a path-like field, else "METHOD /path" in its message.
std::string PathOf(const Event& e) {
  std::string_view f = FirstField(e, {"path", "endpoint", "route", "uri", "url", "request_uri"});
  if (!f.empty() && f.find('/') != std::string_view::npos) return std::string(f);
  static const RE2 kRequest(R"(\b(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+))");
  std::string path;
  if (RE2::PartialMatch(e.message, kRequest, &path)) return path;
  return {};
}

}  // namespace

std::string PathInWords(std::string_view path) {
  size_t scheme = path.find("://");
  if (scheme != std::string_view::npos) {
    size_t slash = path.find('/', scheme + 3);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  path = path.substr(0, path.find_first_of("?#"));
  std::vector<std::string> words;
  for (std::string_view seg : Split(path, '/'))
    if (!IsIdSegment(seg)) words.push_back(std::string(seg));
  if (words.size() > 2) words.erase(words.begin(), words.end() - 2);
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += ' ';
    for (char c : w) out += (c == '-' || c == '_' || c == '.') ? ' ' : c;
  }
  if (!out.empty()) out[0] = char(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

DraftSuggestion SuggestTitle(const Analysis& a) {
  DraftSuggestion s;
  if (!a.onset.found) {
    s.reason = "no onset was found, so there is no impact to name";
    return s;
  }
  std::string subject, entry, entry_source;
  if (!a.example.steps.empty()) {
    const Event& first = *a.example.steps.front().event;
    std::string path = PathOf(first);
    subject = PathInWords(path);
    entry = path.empty() ? ServiceOf(a.detector_input, first) : path;
    entry_source = SourceOf(a.detector_input, first);
    if (subject.empty()) subject = ServiceOf(a.detector_input, first);
  }
  if (subject.empty()) {
    for (const Finding& f : a.findings)
      if (!f.service.empty()) {
        subject = f.service;
        break;
      }
  }
  if (subject.empty()) subject = "Requests";
  subject[0] = char(std::toupper(static_cast<unsigned char>(subject[0])));
  TimePoint end = a.onset.recovery;
  std::string how_long = end == kNoTime ? std::string("until the end of the data")
                                        : "for " + FormatDuration(end - a.onset.time);
  const Impact& im = a.impact;
  if (im.known && im.total) {
    s.value =
        fmt::format("{} failed for {:.1f}% of requests {}", subject, im.ratio() * 100, how_long);
    s.reason = fmt::format("{} of {} requests failed from {} UTC", im.failed, im.total,
                           FormatClock(a.onset.time, 0));
  } else {
    s.value = fmt::format("{} errors rose to {:.1f}% {}", subject, a.onset.peak * 100, how_long);
    s.reason = fmt::format("the {} peaked at {:.1f}%", a.onset.signal, a.onset.peak * 100);
  }
  if (!entry.empty())
    s.reason += fmt::format("; the rebuilt failed request entered at {} ({})", entry, entry_source);
  return s;
}

std::vector<std::string> DataIntegrityQuestions(const Analysis& a) {
  std::vector<std::string> out;
  if (!a.onset.found) return out;
  for (const Signal& t : a.signals) {
    if (t.kind != Signal::Kind::kTicket || t.time < a.onset.time) continue;
    std::string_view word = DataIntegrityWord(t.summary);
    if (word.empty()) continue;
    std::string when =
        a.onset.recovery != kNoTime && t.time > a.onset.recovery
            ? fmt::format("{} after the recovery", FormatDuration(t.time - a.onset.recovery))
            : std::string("during the incident");
    out.push_back(
        fmt::format("data integrity: {} at {} UTC, {}, says \"{}\" (`{}`). Were writes or payments "
                    "completed for requests that failed? Check and state it here.",
                    t.name, FormatClock(t.time, 0), when, t.summary, t.evidence.source));
  }
  return out;
}

}  // namespace inquest
