#include "dumps/gdb/gdb_reader.h"

#include <fmt/format.h>

#include "base/input_file.h"
#include "base/json_writer.h"
#include "base/strings.h"
#include "dumps/gdb/gdb_transcript.h"
#include "dumps/gdb/null_origin.h"
#include "dumps/render_text.h"

namespace inquest {
namespace {

// Frames printed per thread in text and Markdown (the crashed thread is printed whole up to
// this too); the JSON holds every frame.
constexpr size_t kMaxGdbFramesShown = 16;
// Threads printed in text and Markdown besides the crashed one.
constexpr size_t kMaxOtherThreads = 8;

std::string FrameWhere(const GdbFrame& f) {
  if (!f.file.empty()) return f.line ? fmt::format("{}:{}", f.file, f.line) : f.file;
  if (!f.library.empty()) return "from " + f.library;
  return f.address;
}

std::string FrameName(const GdbFrame& f) {
  return fmt::format("#{} {} ({})", f.level, f.func.empty() ? "??" : f.func, FrameWhere(f));
}

std::string ThreadName(const GdbThread& t) {
  if (t.number == 0) return "the stack";
  return fmt::format("thread {} ({})", t.number, t.description);
}

std::string ArgsText(const GdbFrame& f) {
  std::string s;
  for (const GdbVar& v : f.args) s += (s.empty() ? "" : ", ") + v.name + "=" + v.value;
  return s;
}

// The evidence for line `n` of the transcript: "path:n" and that line's own text (trimmed), so
// what a verdict quotes is what the file holds there.
EvidenceRef LineRef(std::string_view bytes, const std::string& path, uint64_t n) {
  std::string_view rest = bytes;
  for (uint64_t i = 1; i < n && !rest.empty(); ++i) {
    size_t nl = rest.find('\n');
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  }
  std::string_view line = rest.substr(0, rest.find('\n'));
  return {fmt::format("{}:{}", path, n), std::string(TrimSpace(line))};
}

std::vector<Finding> Verdicts(const GdbTranscript& t, std::string_view bytes,
                              const std::string& path) {
  std::vector<Finding> out;
  const GdbThread* crashed = t.CrashedThread();
  if (!t.signal.empty()) {
    Finding f;
    f.kind = "crash";
    f.severity = Severity::kCritical;
    f.confidence = 1.0;
    f.title = "crash: signal " + t.signal;
    if (crashed != nullptr) {
      size_t k = 0;
      for (size_t i = 0; i < crashed->frames.size(); ++i)
        if (crashed->frames[i].signal_handler) k = i + 1;
      if (k < crashed->frames.size()) {
        f.title += " in " + ThreadName(*crashed) + " at " + FrameName(crashed->frames[k]);
        f.subject = crashed->frames[k].func;
      }
    }
    f.explanation =
        "gdb read the core (or stopped the process) at this signal; the crashed "
        "thread is the one with \"<signal handler called>\" or gdb's current frame.";
    f.evidence.push_back(LineRef(bytes, path, t.signal_line));
    if (crashed != nullptr && crashed->header_line)
      f.evidence.push_back(LineRef(bytes, path, crashed->header_line));
    out.push_back(std::move(f));
  }
  if (crashed != nullptr) {
    if (std::optional<NullOrigin> o = FindNullOrigin(*crashed)) {
      const GdbFrame& crash = crashed->frames[o->crash_frame];
      const GdbFrame& born = crashed->frames[o->origin_frame];
      Finding f;
      f.kind = "null-origin";
      f.severity = Severity::kError;
      f.confidence = o->origin_is_local ? 0.85 : 0.6;
      f.title = fmt::format("born here, crashed there: null '{}' born in {}, crashed in {}",
                            o->argument, FrameName(born), FrameName(crash));
      if (o->origin_is_local)
        f.explanation = fmt::format(
            "{} received {}=0x0 and dereferenced it. Walking down the callers, the null is the "
            "local '{}' of {}: that is where it should have been set or checked.",
            FrameName(crash), o->argument, o->origin_name, FrameName(born));
      else
        f.explanation = fmt::format(
            "{} received {}=0x0. {} did not receive a null itself, so it made the value (a "
            "call's result or an expression) and passed it down{}.",
            FrameName(crash), o->argument, FrameName(born),
            o->locals_known ? "" : " (no locals in the transcript: `bt full` would confirm)");
      if (!o->passed_through.empty())
        f.explanation +=
            fmt::format(" {} frame(s) between only handed it on.", o->passed_through.size());
      f.subject = born.func;
      f.evidence.push_back(LineRef(bytes, path, crash.dump_line));
      f.evidence.push_back(LineRef(bytes, path, born.dump_line));
      out.push_back(std::move(f));
    }
  }
  return out;
}

void RenderThread(std::string* out, const GdbThread& t, bool crashed, bool md) {
  *out += fmt::format(fmt::runtime(md ? "\n**{}**{} (line {})\n\n```\n" : "\n{}{}  line {}\n"),
                      ThreadName(t), crashed ? " <- crashed" : "", t.header_line);
  size_t n = 0;
  for (const GdbFrame& f : t.frames) {
    if (n++ == kMaxGdbFramesShown) {
      *out += fmt::format("    ... {} more frames\n", t.frames.size() - kMaxGdbFramesShown);
      break;
    }
    if (f.signal_handler)
      *out += fmt::format("    #{:<2} <signal handler called>\n", f.level);
    else
      *out += fmt::format("    #{:<2} {}({})  {}\n", f.level, f.func, ArgsText(f), FrameWhere(f));
    if (crashed)
      for (const GdbVar& v : f.locals) *out += fmt::format("          {} = {}\n", v.name, v.value);
  }
  if (md) *out += "```\n";
}

std::string Render(const GdbTranscript& t, const DumpOptions& options, bool md) {
  size_t frames = 0;
  for (const GdbThread& th : t.threads) frames += th.frames.size();
  std::string out = fmt::format("gdb transcript: {} thread{}, {} frames\n", t.threads.size(),
                                t.threads.size() == 1 ? "" : "s", frames);
  if (!t.command.empty()) out += "core of " + t.command + "\n";
  if (!t.signal.empty()) out += fmt::format("signal {}  (line {})\n", t.signal, t.signal_line);
  const GdbThread* crashed = t.CrashedThread();
  if (crashed != nullptr) RenderThread(&out, *crashed, true, md);
  size_t shown = 0;
  for (const GdbThread& th : t.threads) {
    if (&th == crashed) continue;
    if (shown++ == std::min(kMaxOtherThreads, options.max_groups)) {
      out += fmt::format("\n... {} more threads (--format json lists them all)\n",
                         t.threads.size() - shown);
      break;
    }
    RenderThread(&out, th, false, md);
  }
  return md ? out : SanitizeLines(out);
}

// The values were redacted by their names as they were read (gdb_transcript.cc).
void JsonVars(JsonWriter& j, const std::vector<GdbVar>& vars) {
  j.BeginArray();
  for (const GdbVar& v : vars)
    j.BeginObject().Field("name", v.name).Field("value", v.value).EndObject();
  j.EndArray();
}

Redacted RenderJson(const GdbTranscript& t) {
  const GdbThread* crashed = t.CrashedThread();
  JsonWriter j(JsonStyle::kCompact);
  j.BeginObject().Field("signal", t.signal).Field("command", t.command);
  j.Key("threads").BeginArray();
  for (const GdbThread& th : t.threads) {
    j.BeginObject().Field("number", th.number).Field("description", th.description);
    j.Field("crashed", &th == crashed).Field("line", th.header_line);
    j.Key("frames").BeginArray();
    for (const GdbFrame& f : th.frames) {
      j.BeginObject().Field("level", f.level).Field("address", f.address);
      j.Field("func", f.func).Field("file", f.file).Field("line", f.line);
      j.Field("library", f.library).Field("signal_handler", f.signal_handler).Key("args");
      JsonVars(j, f.args);
      j.Key("locals");
      JsonVars(j, f.locals);
      j.EndObject();
    }
    j.EndArray().EndObject();
  }
  j.EndArray().EndObject();
  return j.Take();
}

}  // namespace

double ProbeGdbTranscript(std::string_view head) {
  LineIterator it(head);
  std::string_view line;
  int frames = 0;
  bool gdb_words = false;
  while (it.Next(&line)) {
    std::string_view s = TrimSpace(line);
    GdbFrame f;
    if (s.size() > 3 && s[0] == '#' && s[1] >= '0' && s[1] <= '9' &&
        (s.find(" in ") != std::string_view::npos || s.find(" at ") != std::string_view::npos ||
         s.find("<signal handler called>") != std::string_view::npos))
      ++frames;
    if (s.starts_with("Program terminated with signal") || s.starts_with("Core was generated by") ||
        s.starts_with("Program received signal") || s.starts_with("[New LWP") ||
        s.starts_with("[Thread debugging using libthread_db"))
      gdb_words = true;
  }
  if (frames >= 1 && gdb_words) return 0.95;
  if (frames >= 2) return 0.8;
  return 0;
}

DumpReader GdbTranscriptReader() {
  return {"gdb", "gdb transcript (bt, bt full, thread apply all bt [full])", ProbeGdbTranscript,
          [](std::string_view path, std::string_view bytes,
             const DumpOptions& options) -> Result<DumpAnalysis> {
            DumpIssues issues;
            GdbTranscript t = ReadGdbTranscript(bytes, &issues);
            DumpAnalysis a;
            a.kind = "gdb";
            a.path = std::string(path);
            if (t.threads.empty())
              return Status::BadInput("no stack frame (#0 ...) found: not a gdb backtrace",
                                      SourceLocation{a.path, 1});
            a.verdicts = Verdicts(t, bytes, a.path);
            a.diagnostics = issues.Render(a.path);
            a.text = Render(t, options, false);
            a.markdown = Render(t, options, true);
            a.json = RenderJson(t);
            return a;
          }};
}

}  // namespace inquest
