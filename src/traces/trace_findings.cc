#include "traces/trace_findings.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"
#include "traces/trace_analysis.h"

namespace inquest {
namespace {

// Spans cited per finding.
constexpr size_t kEvidencePerFinding = 5;
// How sure each kind of finding is: durations and errors are read from the spans; the critical
// path is an inference about waiting (asynchronous work can mislead it); a skew estimate assumes
// symmetric network latency.
constexpr double kMeasuredConfidence = 0.95;
constexpr double kCriticalPathConfidence = 0.8;
constexpr double kSkewConfidence = 0.7;

bool Overlaps(const Trace& t, TimePoint from, TimePoint to) {
  if (from != kNoTime && t.end < from) return false;
  if (to != kNoTime && t.start > to) return false;
  return true;
}

std::string Label(const Span* s) {
  if (!s) return "(missing spans)";
  return fmt::format("{} {}", s->service.empty() ? "?" : s->service, s->name);
}

std::string Service(const SpanSet& set, const Trace& t) {
  const Span* s = t.SpanOf(set, t.main_root());
  return s ? std::string(s->service) : std::string();
}

Finding CriticalPathFinding(const SpanSet& set, const Trace& t, const TraceAnalysis& a) {
  Finding f;
  f.kind = "trace-critical-path";
  f.severity = Severity::kInfo;
  f.confidence = kCriticalPathConfidence;
  f.time = t.start;
  f.end = t.end;
  f.service = Service(set, t);
  f.subject = FormatTraceId(t.id);
  // Spans by their own time on the critical path (time no child of theirs was running).
  std::vector<uint32_t> nodes;
  for (uint32_t n : t.order)
    if (std::min(a.path.on_path_ns[n], a.self[n]) > 0) nodes.push_back(n);
  auto own = [&](uint32_t n) { return std::min(a.path.on_path_ns[n], a.self[n]); };
  std::stable_sort(nodes.begin(), nodes.end(),
                   [&](uint32_t x, uint32_t y) { return own(x) > own(y); });
  int32_t hot = nodes.empty() ? -1 : static_cast<int32_t>(nodes[0]);
  if (hot >= 0) {
    const Span* s = t.SpanOf(set, static_cast<uint32_t>(hot));
    f.title = fmt::format("Where the time of trace {} went ({}): {} of it in {}", f.subject,
                          SpanDuration(t.duration()), SpanDuration(own(static_cast<uint32_t>(hot))),
                          Label(s));
  } else {
    f.title =
        fmt::format("Trace {} ({}) has no critical path", f.subject, SpanDuration(t.duration()));
  }
  std::string services;
  for (size_t i = 0; i < a.services.size() && i < 4; ++i)
    services +=
        fmt::format("{}{} {} on the critical path ({} self)", i ? ", " : "", a.services[i].service,
                    SpanDuration(a.services[i].critical_ns), SpanDuration(a.services[i].self_ns));
  if (a.async.mostly_async)
    f.title += fmt::format("; mostly asynchronous: the critical path covers {} of the trace",
                           SharePercent(a.async.path_share));
  f.explanation = fmt::format(
      "The critical path (Jaeger UI's: from the end of the trace, the last child to finish, "
      "recursively) is what the request waited for; a span's own time on it is time no child "
      "of it was running. By service: {}. A span that waits without a child span (a pool, a "
      "lock, a queue) shows up as its own time; which of these it was, the spans cannot say.",
      services);
  for (size_t i = 0; i < nodes.size() && f.evidence.size() < kEvidencePerFinding; ++i) {
    const Span* s = t.SpanOf(set, nodes[i]);
    if (!s) continue;
    EvidenceRef e = SpanEvidence(set, *s);
    e.excerpt += fmt::format(" ({} own time on the critical path)", SpanDuration(own(nodes[i])));
    f.evidence.push_back(std::move(e));
  }
  return f;
}

}  // namespace

EvidenceRef SpanEvidence(const SpanSet& set, const Span& s) {
  EvidenceRef e;
  std::string_view path =
      s.file < set.files.size() ? std::string_view(set.files[s.file].path) : "?";
  e.source = fmt::format("{}: byte {}", path, s.offset);
  e.excerpt = fmt::format("span {} {} {}", SpanLabel(s), Label(&s), SpanDuration(s.duration()));
  if (s.error())
    e.excerpt += s.status_message.empty() ? std::string(" error")
                                          : fmt::format(" error: {}", s.status_message);
  e.excerpt = SanitizeUtf8(e.excerpt);
  return e;
}

std::vector<Finding> TraceFindings(const TraceSet& ts, TimePoint window_start,
                                   TimePoint window_end) {
  const SpanSet& set = ts.spans;
  std::vector<Finding> out;
  std::vector<uint32_t> in;
  for (uint32_t i = 0; i < ts.traces.size(); ++i)
    if (!ts.traces[i].order.empty() && Overlaps(ts.traces[i], window_start, window_end))
      in.push_back(i);
  if (in.empty()) return out;
  // Median duration per root operation, over every trace (the baseline).
  std::map<std::string, std::vector<int64_t>> by_root;
  for (const Trace& t : ts.traces) by_root[TraceName(set, t)].push_back(t.duration());
  std::map<std::string, int64_t> median;
  for (auto& [name, d] : by_root) {
    std::sort(d.begin(), d.end());
    median[name] = d[d.size() / 2];
  }

  std::vector<uint32_t> slow = in;
  std::stable_sort(slow.begin(), slow.end(), [&](uint32_t a, uint32_t b) {
    return ts.traces[a].duration() > ts.traces[b].duration();
  });
  std::set<uint32_t> analysed;
  size_t slow_reported = 0;
  for (uint32_t i : slow) {
    if (slow_reported == kTraceFindingsPerKind) break;
    const Trace& t = ts.traces[i];
    std::string name = TraceName(set, t);
    int64_t med = median[name];
    size_t peers = by_root[name].size();
    if (peers > 1 &&
        static_cast<double>(t.duration()) < kSlowTraceFactor * static_cast<double>(med))
      continue;
    Finding f;
    f.kind = "slow-trace";
    f.severity = Severity::kWarning;
    f.confidence = kMeasuredConfidence;
    f.time = t.start;
    f.end = t.end;
    f.service = Service(set, t);
    f.subject = FormatTraceId(t.id);
    f.title =
        peers > 1
            ? fmt::format(
                  "Trace {} ({}) took {}, {:.1f}x the median {} of its {} traces", f.subject, name,
                  SpanDuration(t.duration()),
                  med > 0 ? static_cast<double>(t.duration()) / static_cast<double>(med) : 0.0,
                  SpanDuration(med), peers)
            : fmt::format("Trace {} ({}) took {}", f.subject, name, SpanDuration(t.duration()));
    f.explanation =
        fmt::format("{} spans{}. The root span's duration is what its caller saw.", t.spans,
                    t.error_spans ? fmt::format(", {} with errors", t.error_spans) : "");
    if (const Span* root = t.SpanOf(set, t.main_root()))
      f.evidence.push_back(SpanEvidence(set, *root));
    out.push_back(std::move(f));
    ++slow_reported;
    if (analysed.size() < 1) analysed.insert(i);
  }

  std::vector<uint32_t> failing;
  for (uint32_t i : in)
    if (ts.traces[i].error_spans > 0) failing.push_back(i);
  std::stable_sort(failing.begin(), failing.end(), [&](uint32_t a, uint32_t b) {
    return ts.traces[a].error_spans > ts.traces[b].error_spans;
  });
  for (size_t k = 0; k < failing.size() && k < kTraceFindingsPerKind; ++k) {
    const Trace& t = ts.traces[failing[k]];
    Finding f;
    f.kind = "failing-trace";
    f.severity = Severity::kError;
    f.confidence = kMeasuredConfidence;
    f.time = t.start;
    f.end = t.end;
    f.service = Service(set, t);
    f.subject = FormatTraceId(t.id);
    // The first error in time order is the likeliest origin; the others are often its echo.
    const Span* first = nullptr;
    for (uint32_t n : t.order) {
      const Span* s = t.SpanOf(set, n);
      if (s && s->error() && (!first || s->start < first->start)) first = s;
    }
    f.title = fmt::format(
        "Trace {} ({}) failed: {} error span{}, the first in {}{}", f.subject, TraceName(set, t),
        t.error_spans, t.error_spans == 1 ? "" : "s", Label(first),
        first && !first->status_message.empty() ? fmt::format(" ({})", first->status_message) : "");
    f.explanation = failing.size() > kTraceFindingsPerKind
                        ? fmt::format("{} traces in the window have error spans.", failing.size())
                        : std::string("Error spans are those with an error status or tag.");
    for (uint32_t n : t.order) {
      const Span* s = t.SpanOf(set, n);
      if (s && s->error() && f.evidence.size() < kEvidencePerFinding)
        f.evidence.push_back(SpanEvidence(set, *s));
    }
    out.push_back(std::move(f));
    if (k == 0) analysed.insert(failing[k]);
  }

  // Skew, gathered over every trace in the window; the worst traces' critical paths.
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<int64_t, const Span*>>> skew;
  for (uint32_t i : in) {
    Trace t =
        ts.traces[i];  // a copy: AnalyzeTrace does not move anything here, but takes non-const
    TraceAnalysis a = AnalyzeTrace(set, &t, false);
    for (const SkewShift& sh : a.skew.shifts)
      if (!sh.host.empty())
        skew[{sh.parent_host, sh.host}].push_back({sh.delta_ns, t.SpanOf(set, sh.node)});
    if (analysed.count(i)) out.push_back(CriticalPathFinding(set, t, a));
  }
  for (auto& [hosts, deltas] : skew) {
    std::sort(deltas.begin(), deltas.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    int64_t est = deltas[deltas.size() / 2].first;
    Finding f;
    f.kind = "clock-skew";
    f.severity = std::llabs(est) > kMaxSkewAdjustmentNs ? Severity::kError : Severity::kWarning;
    f.confidence = kSkewConfidence;
    f.subject = fmt::format("{} vs {}", hosts.second, hosts.first);
    f.service = deltas.front().second ? std::string(deltas.front().second->service) : "";
    f.time = deltas.front().second ? deltas.front().second->start : kNoTime;
    f.title =
        fmt::format("The clock of {} runs about {} {} {}'s", hosts.second,
                    SpanDuration(std::llabs(est)), est > 0 ? "behind" : "ahead of", hosts.first);
    f.explanation = fmt::format(
        "{} span{} on {} start before or end after their parent on {} (estimates {} .. {}). "
        "The estimate centres the child in its parent, assuming equal network latency both "
        "ways (Jaeger's clock-skew adjustment); order events across these hosts by the trace's "
        "parent/child links, not by their timestamps.",
        deltas.size(), deltas.size() == 1 ? "" : "s", hosts.second, hosts.first,
        SpanDuration(deltas.front().first), SpanDuration(deltas.back().first));
    for (size_t k = 0; k < deltas.size() && f.evidence.size() < kEvidencePerFinding; ++k)
      if (deltas[k].second) f.evidence.push_back(SpanEvidence(set, *deltas[k].second));
    out.push_back(std::move(f));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Finding& a, const Finding& b) { return a.time < b.time; });
  return out;
}

}  // namespace inquest
