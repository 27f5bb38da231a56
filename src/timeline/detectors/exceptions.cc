// Exception findings: signatures grouped and ranked by timeline/exception_groups, filtered by
// count and, for signatures older than the incident, by how much they surged.
#include "timeline/detectors/exceptions.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <unordered_map>

namespace inquest {
namespace {

// Occurrences per window between [from, to) of a group's per-window counts, and the number of
// windows that span covers (at least one).
double RatePerWindow(const ExceptionGroup& g, TimePoint from, TimePoint to) {
  uint64_t n = 0;
  for (const auto& [w, c] : g.per_window)
    if (w >= from && w < to) n += c;
  double windows = std::max<double>(1.0, static_cast<double>(to - from) / kExceptionWindowNs);
  return static_cast<double>(n) / windows;
}

std::string Relative(int64_t ns) {
  int64_t s = (ns < 0 ? -ns : ns) / kNanosPerSecond;
  std::string amount = s < 120 ? fmt::format("{} s", s) : fmt::format("{} min", s / 60);
  return fmt::format("{} {} the onset", amount, ns < 0 ? "before" : "after");
}

std::string FramesText(const ExceptionSignature& s) {
  std::string out;
  for (const StackFrame& f : s.top) {
    if (!out.empty()) out += " ← ";
    out += FrameLabel(s.runtime, f);
  }
  return out;
}

}  // namespace

std::vector<Finding> DetectExceptions(const DetectorInput& in) {
  ExceptionsDetector d(in);
  return RunDetector(d, in.events);
}

std::vector<Finding> ExceptionsDetector::Finish() {
  const DetectorInput& in = in_;
  ExceptionScan scan = grouper_.Take();
  const TimePoint onset = in.onset.found ? in.onset.time : kNoTime;
  const TimePoint recovery = in.onset.found ? in.onset.recovery : kNoTime;
  RankExceptionGroups(&scan.groups, onset, recovery);

  std::vector<Finding> out;
  for (const ExceptionGroup& g : scan.groups) {
    if (out.size() >= kMaxExceptionFindings) break;
    if (g.count < kExceptionMinCount || !g.first || g.first->time == kNoTime) continue;
    const ExceptionSignature& s = g.signature;
    Severity sev = Severity::kWarning;
    double confidence = 0.5;
    std::string when;
    switch (g.era) {
      case ExceptionEra::kNew:
        sev = Severity::kError;
        confidence = 0.8;
        when = fmt::format(", first {}", Relative(g.first->time - onset));
        break;
      case ExceptionEra::kOld: {
        TimePoint cut = onset - kExceptionOnsetLeadNs;
        TimePoint end = recovery != kNoTime ? recovery : g.last->time + kExceptionWindowNs;
        double before = RatePerWindow(g, g.first->time - g.first->time % kExceptionWindowNs, cut);
        double during = RatePerWindow(g, cut, end);
        if (during < kExceptionSurgeFactor * before) continue;
        confidence = 0.4;
        when = fmt::format(
            ", already there before the onset ({:.1f} a minute before, {:.1f} "
            "during)",
            before, during);
        break;
      }
      case ExceptionEra::kLater:
        continue;
      case ExceptionEra::kNoOnset:
        break;
    }
    std::string service = g.services.empty() ? ServiceOf(in, *g.first) : g.services.front();
    Finding f = NewFinding("exception", sev, service, s.Label(), g.first->time, g.last->time);
    f.title =
        fmt::format("{} appeared at {}, {} time{}{}", s.Label(), FormatClock(g.first->time, 0),
                    WithThousands(g.count), g.count == 1 ? "" : "s", when);
    f.confidence = confidence;
    std::string chain;
    if (s.chain > 1)
      chain =
          fmt::format(" It is the root cause of a chain of {} exceptions{}.", s.chain,
                      s.outer_type.empty() ? "" : fmt::format(" (outermost: {})", s.outer_type));
    std::string frames =
        s.library_only
            ? fmt::format("no frame of the program's own; the innermost: {}", FramesText(s))
            : fmt::format("the program's own top frames: {}", FramesText(s));
    f.explanation = fmt::format(
        "{} {} stack traces share this signature ({} type {}; {}), at most {} in one minute, "
        "logged by {}{}.{} The message is not part of the signature; the first one said: "
        "\"{}\". Traces show where the error was raised, not why the input or state was "
        "bad.",
        WithThousands(g.count), StackRuntimeName(s.runtime),
        s.chain > 1 ? "root cause" : "exception", s.type, frames, WithThousands(g.peak_window),
        g.services.empty() ? service : fmt::format("{}", fmt::join(g.services, ", ")),
        g.field.empty() ? "" : fmt::format(" (the trace in field `{}`)", g.field), chain,
        Excerpt(s.message));
    f.evidence.push_back(EvidenceFor(in, *g.first));
    if (g.last != g.first) f.evidence.push_back(EvidenceFor(in, *g.last));
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<Finding> TracebackFileFindings(std::string_view text, std::string_view source,
                                           TimePoint file_time, uint64_t* traces) {
  struct Group {
    ExceptionSignature sig;
    uint64_t count = 0;
    uint64_t line = 0;
  };
  std::vector<Group> groups;
  std::unordered_map<std::string, size_t> index;
  uint64_t n = 0;
  for (const TextTrace& t : SplitTracebacks(text)) {
    std::optional<ExceptionSignature> s = ParseStackTrace(t.text);
    if (!s) continue;
    ++n;
    auto [it, inserted] = index.try_emplace(s->key, groups.size());
    if (inserted) {
      if (groups.size() >= kMaxExceptionGroups) {
        index.erase(it);
        continue;
      }
      groups.push_back({std::move(*s), 0, t.line});
    }
    ++groups[it->second].count;
  }
  if (traces) *traces = n;
  std::stable_sort(groups.begin(), groups.end(),
                   [](const Group& a, const Group& b) { return a.count > b.count; });
  std::vector<Finding> out;
  for (const Group& g : groups) {
    if (out.size() >= kMaxExceptionFindings) break;
    const ExceptionSignature& s = g.sig;
    Finding f = NewFinding("exception", Severity::kWarning, "", s.Label(), file_time);
    f.title = fmt::format("{} in the traceback file {}, {} time{}", s.Label(), source,
                          WithThousands(g.count), g.count == 1 ? "" : "s");
    f.confidence = 0.5;
    f.explanation = fmt::format(
        "{} {} traceback{} with this signature (type {}; {}). The file holds no times: the "
        "finding is placed at the file's modification time ({}), which is when the last of "
        "them was written at the earliest.",
        WithThousands(g.count), StackRuntimeName(s.runtime), g.count == 1 ? "" : "s", s.type,
        s.library_only ? "no frame of the program's own; the innermost: " + FramesText(s)
                       : "the program's own top frames: " + FramesText(s),
        FormatTime(file_time, 0));
    f.evidence.push_back(
        {fmt::format("{}:{}", source, g.line),
         Excerpt(s.message.empty() ? s.type : fmt::format("{}: {}", s.type, s.message))});
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace inquest
