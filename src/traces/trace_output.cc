#include "traces/trace_output.h"

#include <fmt/format.h>

#include <algorithm>

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

std::string JsonStr(std::string_view s) { return "\"" + JsonEscape(SanitizeUtf8(s)) + "\""; }

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

// One trace as a JSON object (no newline): the schema in docs/traces.md.
std::string WaterfallJson(const SpanSet& set, const Trace& t, const TraceAnalysis& a) {
  std::vector<const SkewShift*> shifted = ShiftByNode(t, a);
  std::vector<std::string> refs = NodeRefs(set, t);
  std::string j = fmt::format(
      "{{\"trace_id\": \"{}\", \"name\": {}, \"start\": \"{}\", \"duration_ns\": {}, "
      "\"span_count\": {}, \"duplicates\": {}, \"left_out\": {}, \"spans\": [",
      FormatTraceId(t.id), JsonStr(TraceName(set, t)), FormatTime(t.start), t.duration(), t.spans,
      t.duplicates, t.left_out);
  bool first = true;
  for (uint32_t n : t.order) {
    const TraceNode& node = t.nodes[n];
    const Span* s = t.SpanOf(set, n);
    j += first ? "" : ", ";
    first = false;
    if (!s) {
      j += fmt::format(
          "{{\"span_id\": {}, \"id\": {}, \"synthetic\": true, \"depth\": {}, \"start\": \"{}\", "
          "\"duration_ns\": {}}}",
          JsonStr(refs[n]), JsonStr(NodeSpanId(set, t, n)), node.depth, FormatTime(node.start),
          node.duration());
      continue;
    }
    j += fmt::format(
        "{{\"span_id\": {}, \"id\": {}, \"half\": {}, \"parent_id\": {}, \"service\": {}, "
        "\"host\": {}, \"name\": {}, \"kind\": \"{}\", \"depth\": {}, \"start\": \"{}\", "
        "\"end\": \"{}\", \"duration_ns\": {}, \"self_ns\": {}, \"critical_ns\": {}, "
        "\"error\": {}, \"status_message\": {}, \"follows_from\": {}, \"orphan\": {}, "
        "\"shifted_ns\": {}, \"source\": {}}}",
        JsonStr(refs[n]), JsonStr(NodeSpanId(set, t, n)),
        node.half == SharedHalf::kNone ? "null" : JsonStr(SharedHalfName(node.half)),
        node.parent >= 0 ? JsonStr(refs[node.parent]) : "null", JsonStr(s->service),
        JsonStr(s->host), JsonStr(s->name), SpanKindName(s->kind), node.depth,
        FormatTime(node.start), FormatTime(node.end), node.duration(), a.self[n],
        a.path.on_path_ns[n], s->error() ? "true" : "false", JsonStr(s->status_message),
        s->parent_ref == RefType::kFollowsFrom ? "true" : "false", node.orphan ? "true" : "false",
        shifted[n] && shifted[n]->applied ? shifted[n]->delta_ns : 0, JsonStr(set.SpanSource(*s)));
  }
  j += "], \"critical_path\": [";
  first = true;
  for (const PathSection& sec : a.path.sections) {
    j += fmt::format("{}{{\"span_id\": {}, \"start\": \"{}\", \"end\": \"{}\"}}", first ? "" : ", ",
                     JsonStr(refs[sec.node]), FormatTime(sec.start), FormatTime(sec.end));
    first = false;
  }
  j += fmt::format("], \"asynchronous\": {{\"mostly\": {}, \"critical_share\": {}, \"branches\": [",
                   a.async.mostly_async ? "true" : "false", a.async.path_share);
  first = true;
  for (const AsyncBranch& b : a.async.branches) {
    j += fmt::format(
        "{}{{\"span_id\": {}, \"name\": {}, \"past_parent_ns\": {}, \"duration_ns\": {}, "
        "\"spans\": {}}}",
        first ? "" : ", ", JsonStr(refs[b.node]), JsonStr(NodeLabel(set, t, b.node)),
        b.past_parent_ns, b.span_ns, b.spans);
    first = false;
  }
  j += "]}, \"services\": [";
  first = true;
  for (const ServiceTime& st : a.services) {
    j += fmt::format("{}{{\"service\": {}, \"critical_ns\": {}, \"self_ns\": {}, \"spans\": {}}}",
                     first ? "" : ", ", JsonStr(st.service), st.critical_ns, st.self_ns, st.spans);
    first = false;
  }
  j += fmt::format("], \"skew\": {{\"adjusted\": {}, \"violations\": {}, \"hosts\": [",
                   a.adjusted ? "true" : "false", a.skew.violations);
  first = true;
  for (const HostPairSkew& p : a.skew.pairs) {
    j += fmt::format(
        "{}{{\"parent_host\": {}, \"child_host\": {}, \"estimate_ns\": {}, \"min_ns\": {}, "
        "\"max_ns\": {}, \"spans\": {}}}",
        first ? "" : ", ", JsonStr(p.parent_host), JsonStr(p.child_host), p.estimate_ns, p.min_ns,
        p.max_ns, p.spans);
    first = false;
  }
  j += "], \"shifts\": [";
  first = true;
  for (const SkewShift& s : a.skew.shifts) {
    j += fmt::format("{}{{\"span_id\": {}, \"delta_ns\": {}, \"applied\": {}, \"over_cap\": {}}}",
                     first ? "" : ", ", JsonStr(refs[s.node]), s.delta_ns,
                     s.applied ? "true" : "false", s.over_cap ? "true" : "false");
    first = false;
  }
  j += "]}}";
  return j;
}

}  // namespace

void WriteWaterfall(std::FILE* out, const SpanSet& set, const Trace& t, const TraceAnalysis& a,
                    const TraceStyle& style) {
  switch (style.format) {
    case TraceOutputFormat::kJson:
      std::fputs((WaterfallJson(set, t, a) + "\n").c_str(), out);
      return;
    case TraceOutputFormat::kMd:
      return WriteWaterfallMd(out, set, t, a);
    case TraceOutputFormat::kText:
      return WriteWaterfallText(out, set, t, a, style);
  }
}

namespace {

// The summary; in JSON, `trace_json` (an object, when not empty) is added under "trace". `moved`:
// spans were shifted for clock skew before the tables were made.
void WriteSummary(std::FILE* out, const SpanSet& set, const std::vector<Trace>& traces,
                  const TraceSetSummary& s, const TraceStyle& style, bool moved,
                  const std::string& trace_json) {
  auto row = [&](uint32_t i) {
    const Trace& t = traces[i];
    return std::make_tuple(FormatTraceId(t.id), TraceName(set, t), t.duration(), t.spans,
                           t.error_spans, t.start);
  };
  if (style.format == TraceOutputFormat::kJson) {
    std::string j = fmt::format(
        "{{\"traces\": {}, \"spans\": {}, \"duplicates\": {}, \"left_out\": {}, "
        "\"skew_adjusted\": {}, \"slowest\": [",
        traces.size(), s.spans, s.duplicates, s.left_out, moved ? "true" : "false");
    auto list = [&](const std::vector<uint32_t>& idx) {
      bool first = true;
      for (uint32_t i : idx) {
        auto [id, name, dur, spans, errors, start] = row(i);
        j += fmt::format(
            "{}{{\"trace_id\": \"{}\", \"name\": {}, \"start\": \"{}\", \"duration_ns\": {}, "
            "\"spans\": {}, \"error_spans\": {}}}",
            first ? "" : ", ", id, JsonStr(name), FormatTime(start), dur, spans, errors);
        first = false;
      }
    };
    list(s.slowest);
    j += "], \"failing\": [";
    list(s.failing);
    j += "], \"by_root\": [";
    bool first = true;
    for (const RootOperation& r : s.by_root) {
      j += fmt::format(
          "{}{{\"name\": {}, \"traces\": {}, \"failing\": {}, \"p50_ns\": {}, \"max_ns\": {}}}",
          first ? "" : ", ", JsonStr(r.name), r.traces, r.failing, r.p50_ns, r.max_ns);
      first = false;
    }
    j += "]";
    if (!trace_json.empty()) j += ", \"trace\": " + trace_json;
    j += "}\n";
    std::fputs(j.c_str(), out);
    return;
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
  WriteSummary(out, set, traces, s, style, /*moved=*/false, {});
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
    WriteSummary(out, set, *traces, summary, style, moved,
                 one ? WaterfallJson(set, traces->front(), only) : std::string());
    return;
  }
  WriteSummary(out, set, *traces, summary, style, moved, {});
  if (!one) return;
  std::fputs("\n", out);
  WriteWaterfall(out, set, traces->front(), only, style);
}

void WriteTraceDiff(std::FILE* out, const SpanSet& set_a, const Trace& a, const SpanSet& set_b,
                    const Trace& b, const TraceDiff& d, const TraceStyle& style) {
  if (style.format == TraceOutputFormat::kJson) {
    std::string j = fmt::format(
        "{{\"a\": {{\"trace_id\": \"{}\", \"name\": {}, \"duration_ns\": {}}}, \"b\": "
        "{{\"trace_id\": \"{}\", \"name\": {}, \"duration_ns\": {}}}, \"resolution_ns\": {}, "
        "\"same\": {}, \"operations\": [",
        FormatTraceId(a.id), JsonStr(TraceName(set_a, a)), d.duration_a, FormatTraceId(b.id),
        JsonStr(TraceName(set_b, b)), d.duration_b, d.resolution_ns, d.Same() ? "true" : "false");
    bool first = true;
    for (const OperationDiff& o : d.operations) {
      j += fmt::format(
          "{}{{\"service\": {}, \"name\": {}, \"count_a\": {}, \"count_b\": {}, \"total_a_ns\": "
          "{}, \"total_b_ns\": {}, \"self_a_ns\": {}, \"self_b_ns\": {}}}",
          first ? "" : ", ", JsonStr(o.service), JsonStr(o.name), o.count_a, o.count_b, o.total_a,
          o.total_b, o.self_a, o.self_b);
      first = false;
    }
    auto paths = [&](const std::vector<PathDiff>& list) {
      bool f = true;
      for (const PathDiff& p : list) {
        j += fmt::format("{}{{\"path\": {}, \"count_a\": {}, \"count_b\": {}}}", f ? "" : ", ",
                         JsonStr(p.path), p.count_a, p.count_b);
        f = false;
      }
    };
    j += "], \"more_in_a\": [";
    paths(d.only_a);
    j += "], \"more_in_b\": [";
    paths(d.only_b);
    j += "]}\n";
    std::fputs(j.c_str(), out);
    return;
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
