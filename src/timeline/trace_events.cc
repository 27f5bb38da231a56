#include "timeline/trace_events.h"

#include <fmt/format.h>

#include <algorithm>

namespace inquest {

void SpanTimelineEvents(const SpanSet& set, const Trace& t, uint32_t first_file_index, Arena* arena,
                        std::vector<Event>* out) {
  std::string trace_id = FormatTraceId(t.id);
  std::string_view tid = arena->Copy(trace_id);
  for (uint32_t n : t.order) {
    const Span* s = t.SpanOf(set, n);
    if (!s) continue;
    const TraceNode& node = t.nodes[n];
    std::string_view sid = arena->Copy(SpanLabel(*s));
    Event start;
    start.time = node.start;
    start.file = first_file_index + s->file;
    start.offset = s->offset;
    start.level = Level::kInfo;
    start.role = RecordRole::kSpan;
    start.kind = "start";
    start.service = s->service;
    start.host = s->host;
    start.trace_id = tid;
    start.span_id = sid;
    start.message = s->name;
    start.raw = start.message;
    Event end = start;
    end.kind = "end";
    end.time = node.end;
    end.level = s->error() ? Level::kError : Level::kInfo;
    std::string what = fmt::format("{} ({}", s->name, SpanDuration(node.duration()));
    if (s->error())
      what += s->status_message.empty() ? ", error" : fmt::format(", error: {}", s->status_message);
    what += ")";
    end.message = arena->Copy(what);
    end.raw = end.message;
    end.attrs.push_back({"duration_ns", arena->Copy(std::to_string(node.duration()))});
    if (node.start != s->start)
      end.attrs.push_back({"skew_shift_ns", arena->Copy(std::to_string(node.start - s->start))});
    out->push_back(std::move(start));
    out->push_back(std::move(end));
  }
}

bool SameClock(const Event& e, std::string_view host_key) {
  if (!e.host.empty()) return e.host == host_key;
  return !e.service.empty() && e.service == host_key;
}

std::map<std::string, int64_t> HostShifts(const SpanSet& set, const Trace& t, const SkewReport& r) {
  std::map<std::string, std::vector<int64_t>> deltas;
  for (const SkewShift& sh : r.shifts)
    if (sh.applied)
      if (const Span* s = t.SpanOf(set, sh.node))
        deltas[std::string(HostKey(*s))].push_back(sh.delta_ns);
  std::map<std::string, int64_t> out;
  for (auto& [host, d] : deltas) {
    std::sort(d.begin(), d.end());
    out[host] = d[d.size() / 2];
  }
  return out;
}

std::vector<HostLogSkew> LogSpanSkew(std::span<const Event* const> logs, const SpanSet& set,
                                     const Trace& t) {
  std::map<std::string_view, HostLogSkew> by;
  for (uint32_t n : t.order) {
    const Span* s = t.SpanOf(set, n);
    if (!s) continue;
    HostLogSkew& h = by[HostKey(*s)];
    const TraceNode& node = t.nodes[n];
    h.first_span = h.first_span == kNoTime ? node.start : std::min(h.first_span, node.start);
    h.last_span = h.last_span == kNoTime ? node.end : std::max(h.last_span, node.end);
  }
  std::vector<HostLogSkew> out;
  for (auto& [key, h] : by) {
    std::vector<int64_t> off;
    for (const Event* e : logs) {
      if (e->time == kNoTime || !SameClock(*e, key)) continue;
      h.logs++;
      if (e->time < h.first_span - kLogSpanToleranceNs) off.push_back(e->time - h.first_span);
      if (e->time > h.last_span + kLogSpanToleranceNs) off.push_back(e->time - h.last_span);
    }
    if (h.logs == 0) continue;
    h.host = std::string(key);
    h.outside = static_cast<uint32_t>(off.size());
    if (!off.empty()) {
      std::sort(off.begin(), off.end());
      h.estimate_ns = off[off.size() / 2];
    }
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace inquest
