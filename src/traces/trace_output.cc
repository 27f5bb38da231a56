#include "traces/trace_output.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/json_writer.h"
#include "base/output.h"
#include "base/strings.h"
#include "traces/node_ref.h"

namespace inquest {
namespace {

// The text layout: widest name column, and the bar's width when the terminal's is unknown.
constexpr size_t kDefaultWidth = 120;
constexpr size_t kMaxNameColumn = 56;
constexpr size_t kMinBarWidth = 20;
// Indentation per tree level in the name column.
constexpr size_t kIndent = 2;

constexpr std::string_view kRed = "\033[31m", kBold = "\033[1m", kDim = "\033[2m",
                           kReset = "\033[0m";

std::string Paint(bool color, std::string_view code, std::string_view text) {
  if (!color) return std::string(text);
  return fmt::format("{}{}{}", code, text, kReset);
}

size_t Columns(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Cuts `s` to `cols` columns (with "…"), padded with spaces to exactly `cols`.
std::string Fit(std::string_view s, size_t cols) {
  std::string out;
  size_t n = 0;
  size_t total = Columns(s);
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool start = (c & 0xC0) != 0x80;
    if (start) {
      if (total > cols && n + 1 == cols) {
        out += "\xE2\x80\xA6";
        ++n;
        break;
      }
      if (n == cols) break;
      ++n;
    }
    out.push_back(s[i]);
  }
  out.append(cols > n ? cols - n : 0, ' ');
  return out;
}

// " (client half)", " (server half)": which half of a Zipkin shared span id a node is.
std::string HalfSuffix(const TraceNode& node) {
  if (node.half == SharedHalf::kNone) return "";
  return fmt::format(" ({} half)", SharedHalfName(node.half));
}

std::string MissingLabel(const SpanSet& set, const Trace& t, uint32_t n) {
  return fmt::format("(missing parent {})", NodeSpanId(set, t, n));
}

std::string NodeLabel(const SpanSet& set, const Trace& t, uint32_t n) {
  const Span* s = t.SpanOf(set, n);
  if (!s) return SanitizeForTerminal(MissingLabel(set, t, n));
  std::string label = fmt::format("{} {}{}", s->service.empty() ? "?" : s->service, s->name,
                                  HalfSuffix(t.nodes[n]));
  return SanitizeForTerminal(label);
}

// ", 1 duplicate merged, 2 orphans": what the span count leaves out or repairs.
std::string CountNotes(const Trace& t) {
  std::string out;
  if (t.duplicates)
    out += fmt::format(", {} duplicate{} merged", t.duplicates, t.duplicates == 1 ? "" : "s");
  if (t.left_out) out += fmt::format(", {} left out (parent cycle)", t.left_out);
  if (t.orphans) {
    out += fmt::format(", {} orphan{}", t.orphans, t.orphans == 1 ? "" : "s");
    if (t.missing.size() > 1) out += fmt::format(" of {} missing parents", t.missing.size());
  }
  return out;
}

// The lines saying a trace is mostly asynchronous (none when it is not), then one per branch
// that ran on.
std::vector<std::string> AsyncLines(const SpanSet& set, const Trace& t, const TraceAnalysis& a,
                                    const std::vector<std::string>& refs) {
  std::vector<std::string> lines;
  if (!a.async.mostly_async) return lines;
  lines.push_back(fmt::format(
      "mostly asynchronous: the critical path covers {} of the trace ({} of {})",
      SharePercent(a.async.path_share), SpanDuration(a.path.total_ns), SpanDuration(t.duration())));
  for (const AsyncBranch& b : a.async.branches) {
    std::string what =
        fmt::format("{} {} ({} span{}{})", refs[b.node], NodeLabel(set, t, b.node), b.spans,
                    b.spans == 1 ? "" : "s",
                    b.spans > 1 ? fmt::format(" over {}", SpanDuration(b.span_ns)) : "");
    if (b.past_parent_ns > 0)
      lines.push_back(fmt::format(
          "{} ran until {} after its parent {} ended", what, SpanDuration(b.past_parent_ns),
          NodeLabel(set, t, static_cast<uint32_t>(t.nodes[b.node].parent))));
    else
      lines.push_back(fmt::format("{}: off the critical path", what));
  }
  return lines;
}

std::vector<const SkewShift*> ShiftByNode(const Trace& t, const TraceAnalysis& a) {
  std::vector<const SkewShift*> by(t.nodes.size(), nullptr);
  for (const SkewShift& s : a.skew.shifts) by[s.node] = &s;
  return by;
}

void WriteSkewText(std::FILE* out, const SpanSet& set, const Trace& t, const TraceAnalysis& a,
                   const std::vector<std::string>& refs, bool md) {
  if (a.skew.pairs.empty()) return;
  fmt::print(out, fmt::runtime(md ? "\n### Clock skew\n\n" : "\nclock skew:\n"));
  for (const HostPairSkew& p : a.skew.pairs) {
    std::string line =
        fmt::format("{} runs {} {} {} ({} span{}, estimates {} .. {})", p.child_host,
                    SpanDuration(std::llabs(p.estimate_ns)),
                    p.estimate_ns > 0 ? "behind" : "ahead of", p.parent_host, p.spans,
                    p.spans == 1 ? "" : "s", SpanDuration(p.min_ns), SpanDuration(p.max_ns));
    fmt::print(out, fmt::runtime(md ? "- {}\n" : "  {}\n"), md ? MarkdownCell(line) : line);
  }
  for (const SkewShift& s : a.skew.shifts) {
    std::string what = fmt::format("{} {}", refs[s.node], NodeLabel(set, t, s.node));
    std::string line;
    if (s.applied)
      line = fmt::format("moved {} by {}{}", what, s.delta_ns > 0 ? "+" : "-",
                         SpanDuration(std::llabs(s.delta_ns)));
    else if (s.over_cap)
      line = fmt::format("not moved {}: {}{} is over the cap (--max-skew)", what,
                         s.delta_ns > 0 ? "+" : "-", SpanDuration(std::llabs(s.delta_ns)));
    else
      line = fmt::format("would move {} by {}{} (--adjust-skew)", what, s.delta_ns > 0 ? "+" : "-",
                         SpanDuration(std::llabs(s.delta_ns)));
    fmt::print(out, fmt::runtime(md ? "- {}\n" : "  {}\n"), md ? MarkdownCell(line) : line);
  }
}

void WriteWaterfallText(std::FILE* out, const SpanSet& set, const Trace& t, const TraceAnalysis& a,
                        const TraceStyle& style) {
  bool color = style.color;
  size_t width = style.width ? style.width : kDefaultWidth;
  size_t name_col = 0;
  for (uint32_t n : t.order)
    name_col = std::max(name_col, t.nodes[n].depth * kIndent + Columns(NodeLabel(set, t, n)));
  name_col = std::min(name_col, kMaxNameColumn);
  // "* ! name  duration  self  |bar|"
  size_t fixed = 4 + name_col + 2 + 10 + 2 + 10 + 2 + 2;
  size_t bar = width > fixed + kMinBarWidth ? width - fixed : kMinBarWidth;
  fmt::print(out, "{} {}  {}  {}  {} span{}, {} error{}{}\n", Paint(color, kBold, "trace"),
             FormatTraceId(t.id), SanitizeForTerminal(TraceName(set, t)),
             SpanDuration(t.duration()), t.spans, t.spans == 1 ? "" : "s", t.error_spans,
             t.error_spans == 1 ? "" : "s", CountNotes(t));
  fmt::print(out, "start {}{}\n", FormatTime(t.start, 6),
             a.adjusted && !a.skew.shifts.empty() ? "  (times adjusted for clock skew)" : "");
  fmt::print(out, "    {}  {:>10}  {:>10}  |{}|\n", Fit("span", name_col), "duration", "self",
             Fit(fmt::format("0 .. {}", SpanDuration(t.duration())), bar));
  double scale =
      t.duration() > 0 ? static_cast<double>(bar) / static_cast<double>(t.duration()) : 0;
  std::vector<const SkewShift*> shifted = ShiftByNode(t, a);
  for (uint32_t n : t.order) {
    const TraceNode& node = t.nodes[n];
    const Span* s = t.SpanOf(set, n);
    bool critical = a.path.on_path_ns[n] > 0;
    bool error = s && s->error();
    std::string name = std::string(node.depth * kIndent, ' ') + NodeLabel(set, t, n);
    size_t from = static_cast<size_t>(static_cast<double>(node.start - t.start) * scale);
    size_t to = static_cast<size_t>(static_cast<double>(node.end - t.start) * scale + 0.5);
    from = std::min(from, bar - 1);
    to = std::clamp(to, from + 1, bar);
    std::string bars;
    for (size_t i = 0; i < bar; ++i)
      bars += i >= from && i < to ? (critical ? "\xE2\x96\x88" : "\xE2\x96\x92") : " ";
    std::string line = fmt::format("{}{} {}  {:>10}  {:>10}  |{}|", critical ? "*" : " ",
                                   error ? "!" : " ", Fit(name, name_col),
                                   SpanDuration(node.duration()), SpanDuration(a.self[n]), bars);
    if (shifted[n] && shifted[n]->applied) line += " ~";
    if (error)
      line = Paint(color, kRed, line);
    else if (!s)
      line = Paint(color, kDim, line);
    fmt::print(out, "{}\n", line);
  }
  fmt::print(out, "\n* on the critical path ({})   ! error{}\n", SpanDuration(a.path.total_ns),
             a.adjusted ? "   ~ moved for clock skew" : "");
  std::vector<std::string> refs = NodeRefs(set, t);
  std::vector<std::string> async = AsyncLines(set, t, a, refs);
  for (size_t i = 0; i < async.size(); ++i) fmt::print(out, "{}{}\n", i ? "  " : "", async[i]);
  int32_t hot = HottestNode(t, a);
  if (hot >= 0)
    fmt::print(out, "where {} went: {} ({} of its own time on the critical path)\n",
               a.async.mostly_async ? "the critical path's time" : "the time",
               NodeLabel(set, t, static_cast<uint32_t>(hot)),
               SpanDuration(std::min(a.path.on_path_ns[hot], a.self[hot])));
  fmt::print(out, "\n{:<32}  {:>10}  {:>10}  {:>6}\n", "service", "critical", "self", "spans");
  for (const ServiceTime& st : a.services)
    fmt::print(out, "{}  {:>10}  {:>10}  {:>6}\n", Fit(SanitizeForTerminal(st.service), 32),
               SpanDuration(st.critical_ns), SpanDuration(st.self_ns), st.spans);
  WriteSkewText(out, set, t, a, refs, false);
}

void WriteWaterfallMd(std::FILE* out, const SpanSet& set, const Trace& t, const TraceAnalysis& a) {
  std::vector<std::string> refs = NodeRefs(set, t);
  fmt::print(out, "## Trace {}\n\n{}, {}, {} spans, {} errors{}, starting {}\n\n",
             FormatTraceId(t.id), MarkdownCell(TraceName(set, t)), SpanDuration(t.duration()),
             t.spans, t.error_spans, CountNotes(t), FormatTime(t.start, 6));
  fmt::print(out,
             "| span | service | operation | start | duration | self | critical path | error |\n");
  fmt::print(out, "|---|---|---|---:|---:|---:|---:|---|\n");
  for (uint32_t n : t.order) {
    const TraceNode& node = t.nodes[n];
    const Span* s = t.SpanOf(set, n);
    std::string indent;
    for (uint32_t i = 0; i < node.depth; ++i) indent += "· ";
    fmt::print(
        out, "| {} | {} | {}{} | +{} | {} | {} | {} | {} |\n", MarkdownCell(refs[n]),
        s ? MarkdownCell(s->service) : "", indent,
        s ? MarkdownCell(std::string(s->name) + HalfSuffix(node))
          : MarkdownCell(MissingLabel(set, t, n)),
        SpanDuration(node.start - t.start), SpanDuration(node.duration()), SpanDuration(a.self[n]),
        a.path.on_path_ns[n] ? SpanDuration(a.path.on_path_ns[n]) : "",
        s && s->error() ? (s->status_message.empty() ? "error" : MarkdownCell(s->status_message))
                        : "");
  }
  fmt::print(out, "\n| service | critical path | self | spans |\n|---|---:|---:|---:|\n");
  for (const ServiceTime& st : a.services)
    fmt::print(out, "| {} | {} | {} | {} |\n", MarkdownCell(st.service),
               SpanDuration(st.critical_ns), SpanDuration(st.self_ns), st.spans);
  std::vector<std::string> async = AsyncLines(set, t, a, refs);
  for (size_t i = 0; i < async.size(); ++i)
    fmt::print(out, "{}{}\n", i ? "- " : "\n", MarkdownCell(async[i]));
  WriteSkewText(out, set, t, a, refs, true);
}

// One trace as a JSON object: the schema in docs/traces.md.
void WaterfallJson(JsonWriter& j, const SpanSet& set, const Trace& t, const TraceAnalysis& a) {
  std::vector<const SkewShift*> shifted = ShiftByNode(t, a);
  std::vector<std::string> refs = NodeRefs(set, t);
  j.BeginObject();
  j.Field("trace_id", FormatTraceId(t.id)).Field("name", TraceName(set, t));
  j.FieldTime("start", t.start, 9).FieldInt("duration_ns", t.duration());
  j.FieldUint("span_count", t.spans).FieldUint("duplicates", t.duplicates);
  j.FieldUint("left_out", t.left_out);
  j.Key("spans").BeginArray();
  for (uint32_t n : t.order) {
    const TraceNode& node = t.nodes[n];
    const Span* s = t.SpanOf(set, n);
    j.BeginObject();
    j.Field("span_id", refs[n]).Field("id", NodeSpanId(set, t, n));
    if (!s) {
      j.FieldBool("synthetic", true).FieldUint("depth", node.depth);
      j.FieldTime("start", node.start, 9).FieldInt("duration_ns", node.duration());
      j.EndObject();
      continue;
    }
    j.Key("half");
    node.half == SharedHalf::kNone ? j.Null() : j.String(SharedHalfName(node.half));
    j.Key("parent_id");
    node.parent >= 0 ? j.String(refs[node.parent]) : j.Null();
    j.Field("service", s->service).Field("host", s->host).Field("name", s->name);
    j.Field("kind", SpanKindName(s->kind)).FieldUint("depth", node.depth);
    j.FieldTime("start", node.start, 9).FieldTime("end", node.end, 9);
    j.FieldInt("duration_ns", node.duration()).FieldInt("self_ns", a.self[n]);
    j.FieldInt("critical_ns", a.path.on_path_ns[n]).FieldBool("error", s->error());
    j.Field("status_message", s->status_message);
    j.FieldBool("follows_from", s->parent_ref == RefType::kFollowsFrom);
    j.FieldBool("orphan", node.orphan);
    j.FieldInt("shifted_ns", shifted[n] && shifted[n]->applied ? shifted[n]->delta_ns : 0);
    j.Field("source", set.SpanSource(*s));
    j.EndObject();
  }
  j.EndArray();
  j.Key("critical_path").BeginArray();
  for (const PathSection& sec : a.path.sections) {
    j.BeginObject().Field("span_id", refs[sec.node]);
    j.FieldTime("start", sec.start, 9).FieldTime("end", sec.end, 9).EndObject();
  }
  j.EndArray();
  j.Key("asynchronous").BeginObject().FieldBool("mostly", a.async.mostly_async);
  j.Key("critical_share").Number(a.async.path_share);
  j.Key("branches").BeginArray();
  for (const AsyncBranch& b : a.async.branches) {
    j.BeginObject().Field("span_id", refs[b.node]).Field("name", NodeLabel(set, t, b.node));
    j.FieldInt("past_parent_ns", b.past_parent_ns).FieldInt("duration_ns", b.span_ns);
    j.FieldUint("spans", b.spans).EndObject();
  }
  j.EndArray().EndObject();
  j.Key("services").BeginArray();
  for (const ServiceTime& st : a.services) {
    j.BeginObject().Field("service", st.service).FieldInt("critical_ns", st.critical_ns);
    j.FieldInt("self_ns", st.self_ns).FieldUint("spans", st.spans).EndObject();
  }
  j.EndArray();
  j.Key("skew").BeginObject().FieldBool("adjusted", a.adjusted);
  j.FieldUint("violations", a.skew.violations);
  j.Key("hosts").BeginArray();
  for (const HostPairSkew& p : a.skew.pairs) {
    j.BeginObject().Field("parent_host", p.parent_host).Field("child_host", p.child_host);
    j.FieldInt("estimate_ns", p.estimate_ns).FieldInt("min_ns", p.min_ns);
    j.FieldInt("max_ns", p.max_ns).FieldUint("spans", p.spans).EndObject();
  }
  j.EndArray();
  j.Key("shifts").BeginArray();
  for (const SkewShift& sh : a.skew.shifts) {
    j.BeginObject().Field("span_id", refs[sh.node]).FieldInt("delta_ns", sh.delta_ns);
    j.FieldBool("applied", sh.applied).FieldBool("over_cap", sh.over_cap).EndObject();
  }
  j.EndArray().EndObject();
  j.EndObject();
}

}  // namespace

void WriteWaterfall(std::FILE* out, const SpanSet& set, const Trace& t, const TraceAnalysis& a,
                    const TraceStyle& style) {
  switch (style.format) {
    case TraceOutputFormat::kJson: {
      JsonWriter j(JsonStyle::kLine);
      WaterfallJson(j, set, t, a);
      return EmitLine(j.Take(), out);
    }
    case TraceOutputFormat::kMd:
      return WriteWaterfallMd(out, set, t, a);
    case TraceOutputFormat::kText:
      return WriteWaterfallText(out, set, t, a, style);
  }
}

namespace {

// The summary; in JSON, the waterfall of `only` (when not null, the only trace) is added under
// "trace". `moved`: spans were shifted for clock skew before the tables were made.
void WriteSummary(std::FILE* out, const SpanSet& set, const std::vector<Trace>& traces,
                  const TraceSetSummary& s, const TraceStyle& style, bool moved,
                  const TraceAnalysis* only) {
  auto row = [&](uint32_t i) {
    const Trace& t = traces[i];
    return std::make_tuple(FormatTraceId(t.id), TraceName(set, t), t.duration(), t.spans,
                           t.error_spans, t.start);
  };
  if (style.format == TraceOutputFormat::kJson) {
    JsonWriter j(JsonStyle::kLine);
    j.BeginObject().FieldUint("traces", traces.size()).FieldUint("spans", s.spans);
    j.FieldUint("duplicates", s.duplicates).FieldUint("left_out", s.left_out);
    j.FieldBool("skew_adjusted", moved);
    auto list = [&](std::string_view key, const std::vector<uint32_t>& idx) {
      j.Key(key).BeginArray();
      for (uint32_t i : idx) {
        auto [id, name, dur, spans, errors, start] = row(i);
        j.BeginObject().Field("trace_id", id).Field("name", name).FieldTime("start", start, 9);
        j.FieldInt("duration_ns", dur).FieldUint("spans", spans);
        j.FieldUint("error_spans", errors).EndObject();
      }
      j.EndArray();
    };
    list("slowest", s.slowest);
    list("failing", s.failing);
    j.Key("by_root").BeginArray();
    for (const RootOperation& r : s.by_root) {
      j.BeginObject().Field("name", r.name).FieldUint("traces", r.traces);
      j.FieldUint("failing", r.failing).FieldInt("p50_ns", r.p50_ns).FieldInt("max_ns", r.max_ns);
      j.EndObject();
    }
    j.EndArray();
    if (only) {
      j.Key("trace");
      WaterfallJson(j, set, traces.front(), *only);
    }
    j.EndObject();
    return EmitLine(j.Take(), out);
  }
  bool md = style.format == TraceOutputFormat::kMd;
  auto table = [&](std::string_view title, const std::vector<uint32_t>& idx) {
    if (md) {
      fmt::print(out, "\n## {}\n\n| trace | root | start | duration | spans | errors |\n", title);
      fmt::print(out, "|---|---|---|---:|---:|---:|\n");
    } else {
      fmt::print(out, "\n{}:\n  {:<32}  {:<40}  {:>10}  {:>6}  {:>6}\n", title, "trace", "root",
                 "duration", "spans", "errors");
    }
    for (uint32_t i : idx) {
      auto [id, name, dur, spans, errors, start] = row(i);
      if (md)
        fmt::print(out, "| {} | {} | {} | {} | {} | {} |\n", id, MarkdownCell(name),
                   FormatTime(start, 3), SpanDuration(dur), spans, errors);
      else
        fmt::print(out, "  {:<32}  {}  {:>10}  {:>6}  {:>6}\n", id,
                   Fit(SanitizeForTerminal(name), 40), SpanDuration(dur), spans, errors);
    }
    if (idx.empty()) fmt::print(out, fmt::runtime(md ? "| none | | | | | |\n" : "  none\n"));
  };
  std::string notes;
  if (s.duplicates) notes += fmt::format(", {} duplicates merged", s.duplicates);
  if (s.left_out) notes += fmt::format(", {} left out (parent cycles)", s.left_out);
  if (moved) notes += ", times adjusted for clock skew";
  fmt::print(out,
             fmt::runtime(md ? "# Traces\n\n{} traces, {} spans{}\n" : "{} traces, {} spans{}\n"),
             traces.size(), s.spans, notes);
  table("slowest", s.slowest);
  table("with errors", s.failing);
  if (md) {
    fmt::print(out, "\n## By root operation\n\n| root | traces | failing | p50 | max |\n");
    fmt::print(out, "|---|---:|---:|---:|---:|\n");
  } else {
    fmt::print(out, "\nby root operation:\n  {:<40}  {:>6}  {:>7}  {:>10}  {:>10}\n", "root",
               "traces", "failing", "p50", "max");
  }
  for (const RootOperation& r : s.by_root) {
    if (md)
      fmt::print(out, "| {} | {} | {} | {} | {} |\n", MarkdownCell(r.name), r.traces, r.failing,
                 SpanDuration(r.p50_ns), SpanDuration(r.max_ns));
    else
      fmt::print(out, "  {}  {:>6}  {:>7}  {:>10}  {:>10}\n", Fit(SanitizeForTerminal(r.name), 40),
                 r.traces, r.failing, SpanDuration(r.p50_ns), SpanDuration(r.max_ns));
  }
}

}  // namespace

void WriteTraceSummary(std::FILE* out, const SpanSet& set, const std::vector<Trace>& traces,
                       const TraceSetSummary& s, const TraceStyle& style) {
  WriteSummary(out, set, traces, s, style, /*moved=*/false, nullptr);
}

void WriteTraceOverview(std::FILE* out, const SpanSet& set, std::vector<Trace>* traces,
                        const TraceOverviewOptions& o, const TraceStyle& style) {
  // Adjust first: every table then shows the times the waterfall shows.
  TraceAnalysis only;
  bool one = traces->size() == 1, moved = false;
  auto any_applied = [](const SkewReport& r) {
    for (const SkewShift& sh : r.shifts)
      if (sh.applied) return true;
    return false;
  };
  if (one) {
    only = AnalyzeTrace(set, &traces->front(), o.adjust_skew, o.max_skew_ns);
    moved = any_applied(only.skew);
  } else if (o.adjust_skew) {
    for (Trace& t : *traces) moved |= any_applied(AdjustClockSkew(set, &t, true, o.max_skew_ns));
  }
  TraceSetSummary summary = SummarizeTraces(set, *traces, o.top);
  if (style.format == TraceOutputFormat::kJson) {
    WriteSummary(out, set, *traces, summary, style, moved, one ? &only : nullptr);
    return;
  }
  WriteSummary(out, set, *traces, summary, style, moved, nullptr);
  if (!one) return;
  std::fputs("\n", out);
  WriteWaterfall(out, set, traces->front(), only, style);
}

void WriteTraceDiff(std::FILE* out, const SpanSet& set_a, const Trace& a, const SpanSet& set_b,
                    const Trace& b, const TraceDiff& d, const TraceStyle& style) {
  if (style.format == TraceOutputFormat::kJson) {
    JsonWriter j(JsonStyle::kLine);
    j.BeginObject();
    j.Key("a").BeginObject().Field("trace_id", FormatTraceId(a.id));
    j.Field("name", TraceName(set_a, a)).FieldInt("duration_ns", d.duration_a).EndObject();
    j.Key("b").BeginObject().Field("trace_id", FormatTraceId(b.id));
    j.Field("name", TraceName(set_b, b)).FieldInt("duration_ns", d.duration_b).EndObject();
    j.FieldInt("resolution_ns", d.resolution_ns).FieldBool("same", d.Same());
    j.Key("operations").BeginArray();
    for (const OperationDiff& o : d.operations) {
      j.BeginObject().Field("service", o.service).Field("name", o.name);
      j.FieldUint("count_a", o.count_a).FieldUint("count_b", o.count_b);
      j.FieldInt("total_a_ns", o.total_a).FieldInt("total_b_ns", o.total_b);
      j.FieldInt("self_a_ns", o.self_a).FieldInt("self_b_ns", o.self_b).EndObject();
    }
    j.EndArray();
    for (auto [key, list] : {std::pair{"more_in_a", &d.only_a}, {"more_in_b", &d.only_b}}) {
      j.Key(key).BeginArray();
      for (const PathDiff& p : *list) {
        j.BeginObject().Field("path", p.path).FieldUint("count_a", p.count_a);
        j.FieldUint("count_b", p.count_b).EndObject();
      }
      j.EndArray();
    }
    j.EndObject();
    return EmitLine(j.Take(), out);
  }
  bool md = style.format == TraceOutputFormat::kMd;
  fmt::print(out,
             fmt::runtime(md ? "# Trace diff\n\n- A: {} {} ({})\n- B: {} {} ({})\n"
                             : "A {}  {}  {}\nB {}  {}  {}\n"),
             FormatTraceId(a.id), TraceName(set_a, a), SpanDuration(d.duration_a),
             FormatTraceId(b.id), TraceName(set_b, b), SpanDuration(d.duration_b));
  if (d.resolution_ns > 1)
    fmt::print(out,
               fmt::runtime(md ? "\nTimes compared to {} (the coarser export's precision).\n"
                               : "times compared to {} (the coarser export's precision)\n"),
               SpanDuration(d.resolution_ns));
  if (d.Same()) fmt::print(out, fmt::runtime(md ? "\nNo differences.\n" : "no differences\n"));
  if (md) {
    fmt::print(out,
               "\n| service | operation | count A | count B | total A | total B | change | "
               "self A | self B |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
  } else {
    fmt::print(out, "\n{:<40}  {:>7}  {:>7}  {:>10}  {:>10}  {:>11}  {:>10}  {:>10}\n",
               "service: operation", "count A", "count B", "total A", "total B", "change", "self A",
               "self B");
  }
  for (const OperationDiff& o : d.operations) {
    std::string change = (o.delta() > 0   ? "+"
                          : o.delta() < 0 ? "-"
                                          : "") +
                         SpanDuration(std::llabs(o.delta()));
    if (md)
      fmt::print(out, "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", MarkdownCell(o.service),
                 MarkdownCell(o.name), o.count_a, o.count_b, SpanDuration(o.total_a),
                 SpanDuration(o.total_b), change, SpanDuration(o.self_a), SpanDuration(o.self_b));
    else
      fmt::print(out, "{}  {:>7}  {:>7}  {:>10}  {:>10}  {:>11}  {:>10}  {:>10}\n",
                 Fit(SanitizeForTerminal(o.service + ": " + o.name), 40), o.count_a, o.count_b,
                 SpanDuration(o.total_a), SpanDuration(o.total_b), change, SpanDuration(o.self_a),
                 SpanDuration(o.self_b));
  }
  auto paths = [&](std::string_view title, const std::vector<PathDiff>& list) {
    if (list.empty()) return;
    fmt::print(out, fmt::runtime(md ? "\n## {}\n\n" : "\n{}:\n"), title);
    for (const PathDiff& p : list)
      fmt::print(out, fmt::runtime(md ? "- {} ({} in A, {} in B)\n" : "  {}  ({} in A, {} in B)\n"),
                 md ? MarkdownCell(p.path) : SanitizeForTerminal(p.path), p.count_a, p.count_b);
  };
  paths("spans only in A (or more often)", d.only_a);
  paths("spans only in B (or more often)", d.only_b);
}

}  // namespace inquest
