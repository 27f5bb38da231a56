#include "dumps/go/go_reader.h"

#include <fmt/format.h>

#include "base/json_writer.h"
#include "base/strings.h"
#include "dumps/go/goroutine_parser.h"
#include "dumps/similarity.h"

namespace inquest {
namespace {

// Frames printed per group in text and Markdown; the JSON holds every frame.
constexpr size_t kMaxGoFramesShown = 12;

std::string Ids(const GoroutineGroup& g) {
  std::string s;
  for (uint64_t id : g.ids) s += (s.empty() ? "" : " ") + std::to_string(id);
  if (g.count > g.ids.size()) s += " ...";
  return s;
}

std::string FrameText(const GoFrame& f, bool with_args) {
  std::string call = std::string(f.func) + "(" + (with_args ? std::string(f.args) : "") + ")";
  if (!with_args && !f.args.empty()) call = std::string(f.func) + "(...)";
  if (f.file.empty()) return call;
  return fmt::format("{}  {}:{}", call, f.file, f.line);
}

std::string CreatedByText(const Goroutine& g) {
  std::string s = "created by " + std::string(g.created_by.func);
  if (g.created_in != 0) s += fmt::format(" in goroutine {}", g.created_in);
  if (!g.created_by.file.empty()) s += fmt::format("  {}:{}", g.created_by.file, g.created_by.line);
  return s;
}

std::string Goroutines(uint64_t n) {
  return fmt::format("{} goroutine{}", FormatCount(n), n == 1 ? "" : "s");
}

std::string Summary(const GoDump& dump, const DumpOptions& options) {
  std::string s = fmt::format(
      "Go goroutine dump: {} in {} group{} (similarity: {})", Goroutines(dump.goroutines),
      dump.groups.size(), dump.groups.size() == 1 ? "" : "s", SimilarityName(options.similarity));
  if (dump.preamble.dumps > 1) s += fmt::format(", {} dumps in one file", dump.preamble.dumps);
  if (dump.preamble.counted) s += ", counted stacks (debug=1: no states or waits)";
  if (dump.incomplete > 0) s += fmt::format(", {} with a partial stack", dump.incomplete);
  return s;
}

// A frame's fields, at the writer's position inside an object.
void JsonFrameFields(JsonWriter& j, const GoFrame& f) {
  j.Field("func", f.func).Field("args", f.args).Field("file", f.file).Field("line", f.line);
  j.Field("dump_line", f.dump_line);
}

}  // namespace

double ProbeGoDump(std::string_view head) {
  size_t pos = 0;
  while (pos < head.size()) {
    size_t nl = head.find('\n', pos);
    std::string_view line = head.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? head.size() : nl + 1;
    if (line.starts_with("goroutine profile: total ")) return 0.95;
    Goroutine g;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (ParseGoroutineHeader(line, &g)) return 0.95;
  }
  return 0;
}

std::string RenderGoText(const GoDump& dump, const DumpOptions& options) {
  bool with_args = options.similarity == StackSimilarity::kExact;
  std::string out = Summary(dump, options) + "\n";
  const GoDumpPreamble& pre = dump.preamble;
  if (!pre.panic.empty()) out += fmt::format("panic: {}  (line {})\n", pre.panic, pre.panic_line);
  if (!pre.fatal_error.empty())
    out += fmt::format("fatal error: {}  (line {})\n", pre.fatal_error, pre.fatal_line);
  if (!pre.signal.empty()) out += fmt::format("{}  (line {})\n", pre.signal, pre.signal_line);
  size_t shown = 0;
  for (const GoroutineGroup& g : dump.groups) {
    if (shown++ == options.max_groups) {
      out += fmt::format("\n... {} more groups (--format json lists them all)\n",
                         dump.groups.size() - options.max_groups);
      break;
    }
    out += fmt::format("\n{} {}  line {}  ids {}{}{}\n", Goroutines(g.count), GoGroupState(g),
                       g.sample.header_line, Ids(g), g.lead ? "  <- first" : "",
                       g.sample.incomplete ? "  (partial stack)" : "");
    size_t n = 0;
    for (const GoFrame& f : g.sample.frames) {
      if (n++ == kMaxGoFramesShown) {
        out += fmt::format("    ... {} more frames\n", g.sample.frames.size() - kMaxGoFramesShown);
        break;
      }
      out += "    " + SanitizeForTerminal(FrameText(f, with_args)) + "\n";
    }
    if (g.sample.frames_elided) out += "    ...additional frames elided...\n";
    if (g.sample.has_created_by)
      out += "    " + SanitizeForTerminal(CreatedByText(g.sample)) + "\n";
  }
  out += WaitText(dump.waits, "goroutine");
  return out;
}

std::string RenderGoMarkdown(const GoDump& dump, const DumpOptions& options) {
  bool with_args = options.similarity == StackSimilarity::kExact;
  std::string out = Summary(dump, options) + "\n\n";
  out += "| goroutines | state | where | created by | line |\n|---:|---|---|---|---:|\n";
  size_t shown = 0;
  for (const GoroutineGroup& g : dump.groups) {
    if (shown++ == options.max_groups) break;
    const GoFrame* own = FirstOwnFrame(g.sample);
    out += fmt::format("| {} | {} | {} | {} | {} |\n", g.count, MarkdownCell(GoGroupState(g)),
                       own ? MarkdownCell(own->func) : "", MarkdownCell(g.sample.created_by.func),
                       g.sample.header_line);
  }
  if (dump.groups.size() > options.max_groups)
    out += fmt::format("\n{} more groups (--format json lists them all)\n",
                       dump.groups.size() - options.max_groups);
  shown = 0;
  for (const GoroutineGroup& g : dump.groups) {
    if (shown++ == std::min<size_t>(options.max_groups, 5)) break;
    out += fmt::format("\n**{} {}** (line {})\n\n```\n", Goroutines(g.count), GoGroupState(g),
                       g.sample.header_line);
    size_t n = 0;
    for (const GoFrame& f : g.sample.frames) {
      if (n++ == kMaxGoFramesShown) break;
      out += FrameText(f, with_args) + "\n";
    }
    if (g.sample.has_created_by) out += CreatedByText(g.sample) + "\n";
    out += "```\n";
  }
  return out;
}

Redacted RenderGoJson(const GoDump& dump, const DumpOptions& options) {
  const GoDumpPreamble& pre = dump.preamble;
  JsonWriter j(JsonStyle::kCompact);
  j.BeginObject().Field("goroutines", dump.goroutines).Field("records", dump.records);
  j.Field("incomplete", dump.incomplete).Field("duplicate_ids", dump.duplicate_ids);
  j.Field("dumps", pre.dumps).Field("counted", pre.counted);
  j.Field("similarity", SimilarityName(options.similarity)).Field("panic", pre.panic);
  j.Field("fatal_error", pre.fatal_error).Field("signal", pre.signal);
  j.Key("groups").BeginArray();
  for (const GoroutineGroup& g : dump.groups) {
    j.BeginObject().Field("count", g.count).Field("state", g.sample.state);
    j.Field("wait_min", g.wait_min).Field("wait_max", g.wait_max).Field("locked", g.locked);
    j.Field("line", g.sample.header_line).Field("lead", g.lead);
    j.FieldDouble("own_code", g.own_code, 2).Field("frames_elided", g.sample.frames_elided);
    j.Field("partial", g.sample.incomplete).Key("ids").BeginArray();
    for (uint64_t id : g.ids) j.Uint(id);
    j.EndArray().Key("frames").BeginArray();
    for (const GoFrame& f : g.sample.frames) {
      j.BeginObject();
      JsonFrameFields(j, f);
      j.EndObject();
    }
    j.EndArray().Key("created_by");
    if (g.sample.has_created_by) {
      j.BeginObject();
      JsonFrameFields(j, g.sample.created_by);
      j.Field("goroutine", g.sample.created_in).EndObject();
    } else {
      j.Null();
    }
    j.EndObject();
  }
  j.EndArray().Key("wait_sites");
  WaitJson(dump.waits, &j);
  j.EndObject();
  return j.Take();
}

DumpReader GoGoroutineReader() {
  return {"go-goroutines",
          "Go goroutine dump (panic, fatal error, SIGQUIT, runtime.Stack, pprof debug=1 and 2)",
          ProbeGoDump,
          [](std::string_view path, std::string_view bytes,
             const DumpOptions& options) -> Result<DumpAnalysis> {
            GoDump dump = ReadGoDump(bytes, options.similarity);
            if (dump.records == 0 && dump.issues.count() == 0 && !bytes.empty() &&
                dump.preamble.dumps == 0)
              return Status::BadInput("no goroutine found: not a Go stack dump",
                                      SourceLocation{std::string(path), 1});
            DumpAnalysis a;
            a.kind = "go-goroutines";
            a.path = std::string(path);
            TallyGoWaits(options.wait_sites ? *options.wait_sites : WaitSiteTable::BuiltIn(),
                         a.path, &dump);
            a.verdicts = GoVerdicts(dump, a.path, kNoTime);
            a.diagnostics = dump.issues.Render(a.path);
            if (dump.duplicate_ids > 0)
              a.diagnostics.push_back(fmt::format(
                  "{}: {} goroutine ids appear more than once: several dumps (or the output of "
                  "several processes) in one file; groups count every copy",
                  a.path, dump.duplicate_ids));
            a.text = RenderGoText(dump, options);
            a.markdown = RenderGoMarkdown(dump, options);
            if (!dump.waits.empty())
              a.markdown += "\n```" + WaitText(dump.waits, "goroutine") + "```\n";
            a.json = RenderGoJson(dump, options);
            return a;
          }};
}

}  // namespace inquest
