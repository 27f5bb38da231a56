#include "timeline/timeline_output.h"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "base/json_writer.h"
#include "base/output.h"
#include "base/strings.h"

namespace inquest {
namespace {

// Service names wider than this are cut in the text column (the JSON keeps them whole).
constexpr size_t kMaxServiceColumn = 24;
// On a terminal, attributes are dropped rather than cut to fewer columns than this: a stub of
// one "key=…" says nothing.
constexpr size_t kMinAttrColumns = 12;

// "path:line", or "path: byte N" for records without a line (spans from a trace export).
std::string SourceText(std::string_view path, const Event& e) {
  if (e.line == 0) return fmt::format("{}: byte {}", path, e.offset);
  return fmt::format("{}:{}", path, e.line);
}

std::string Source(const Event& e, const std::vector<std::string>& paths) {
  std::string_view p = e.file < paths.size() ? std::string_view(paths[e.file]) : "?";
  return SourceText(p, e);
}

// The first line of the message (or raw record) made safe for a terminal.
std::string OneLine(const Event& e) {
  std::string_view m = e.message.empty() ? e.raw : e.message;
  size_t nl = m.find('\n');
  std::string s = SanitizeForTerminal(m.substr(0, nl));
  // A record that is not a log line says what it is: "[change deploy] checkout v2 deployed".
  if (e.role != RecordRole::kLog)
    s = fmt::format("[{}{}{}] {}", RecordRoleName(e.role), e.kind.empty() ? "" : " ",
                    SanitizeForTerminal(e.kind), s);
  if (e.extra_lines > 0)
    s += fmt::format(" (+{} line{})", e.extra_lines, e.extra_lines == 1 ? "" : "s");
  return s;
}

// Columns a string takes on a terminal: its code points (wide characters count as one).
size_t Columns(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// `s` cut to at most `columns` columns on a code point boundary, ending in "…" when cut.
std::string CutToColumns(std::string_view s, size_t columns) {
  if (Columns(s) <= columns) return std::string(s);
  if (columns == 0) return "";
  size_t keep = columns - 1, seen = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && seen++ == keep) break;
  }
  return std::string(s.substr(0, i)) + "…";
}

// Values shorter than this are repeated even when the message holds them: "2" or "ok" in a
// message says nothing about which attribute it came from.
constexpr size_t kMinShownValueChars = 3;

// Whether `value` stands in `message` as a whole space-delimited word (an access log's method,
// path and protocol are its message "POST /cart/checkout HTTP/1.1").
bool ShownInMessage(std::string_view message, std::string_view value) {
  if (value.size() < kMinShownValueChars) return false;
  for (size_t at = message.find(value); at != std::string_view::npos;
       at = message.find(value, at + 1)) {
    size_t end = at + value.size();
    if ((at == 0 || message[at - 1] == ' ') && (end == message.size() || message[end] == ' '))
      return true;
  }
  return false;
}

std::string TimeText(const Event& e) {
  if (e.time == kNoTime) return std::string(30, ' ').replace(0, 1, "-");
  return FormatTime(e.time, 3);
}

}  // namespace

std::string AttrText(const Event& e, std::string_view hide) {
  std::string out;
  ForEachAttr(e, /*ids_last=*/true, [&](std::string_view k, std::string_view v) {
    if (v.empty() || (!hide.empty() && v == hide) || ShownInMessage(e.message, v)) return;
    if (!out.empty()) out += ' ';
    out += k;
    out += '=';
    size_t nl = v.find('\n');
    std::string_view first = v.substr(0, nl);
    if (first.find_first_of(" \t\"") != std::string_view::npos || nl != std::string_view::npos)
      out += "\"" + JsonEscape(first) + (nl != std::string_view::npos ? "…\"" : "\"");
    else
      out += first;
  });
  return SanitizeForTerminal(out);
}

void WriteEventJson(JsonWriter& w, const Event& e, const std::string& path) {
  w.BeginObject();
  w.Key("time").Time(e.time, 9);
  w.Field("source", SourceText(path, e));
  w.FieldOrNull("service", e.service);
  w.Field("level", LevelName(e.level));
  if (e.role != RecordRole::kLog) {
    w.Field("role", RecordRoleName(e.role));
    if (!e.kind.empty()) w.Field("kind", e.kind);
  }
  w.Field("message", e.message.empty() ? e.raw : e.message);
  w.Key("attrs").BeginObject();
  ForEachAttr(e, /*ids_last=*/false,
              [&](std::string_view k, std::string_view v) { w.Field(k, v); });
  w.EndObject();
  w.EndObject();
}

void WriteTimeline(std::FILE* out, std::span<const RequestStep> steps, const TimelineStyle& style) {
  if (style.format == TimelineFormat::kJson) {
    // JSON lines, written in batches past the output filter (each value was redacted by the
    // writer).
    constexpr size_t kBatchBytes = 64 * 1024;
    JsonWriter w(JsonStyle::kLine);
    Redacted batch, newline = RedactText("\n");
    for (const RequestStep& s : steps) {
      const Event& e = *s.event;
      const std::string& p = e.file < style.paths.size() ? style.paths[e.file] : "";
      WriteEventJson(w, e, p);
      batch += w.Take();
      batch += newline;
      if (batch.size() >= kBatchBytes) Emit(std::exchange(batch, Redacted()), out);
    }
    Emit(batch, out);
    return;
  }
  if (style.format == TimelineFormat::kMd) {
    std::fputs(style.show_gaps ? "| time (UTC) | gap | service | level | message | source |\n"
                                 "|---|---:|---|---|---|---|\n"
                               : "| time (UTC) | service | level | message | source |\n"
                                 "|---|---|---|---|---|\n",
               out);
    for (const RequestStep& s : steps) {
      const Event& e = *s.event;
      std::string gap;
      if (style.show_gaps && s.gap_ns > 0)
        gap = s.slow ? fmt::format("**{}**", FormatDuration(s.gap_ns)) : FormatDuration(s.gap_ns);
      std::string row = fmt::format("| {} |", e.time == kNoTime ? "-" : FormatTime(e.time, 3));
      if (style.show_gaps) row += fmt::format(" {} |", gap);
      std::string msg = OneLine(e);
      std::string attrs = AttrText(e, style.hide_value);
      if (!attrs.empty()) msg += "  " + attrs;  // as in the text output, never cut
      row +=
          fmt::format(" {} | {} | {} | {} |", MarkdownCell(SanitizeForTerminal(e.service)),
                      LevelName(e.level), MarkdownCell(msg), MarkdownCell(Source(e, style.paths)));
      fmt::print(out, "{}\n", row);
    }
    return;
  }
  // Text: aligned columns.
  size_t svc_width = 1;
  for (const RequestStep& s : steps)
    svc_width = std::max(svc_width, std::min(s.event->service.size(), kMaxServiceColumn));
  size_t gap_width = 0;
  if (style.show_gaps)
    for (const RequestStep& s : steps)
      gap_width = std::max(gap_width, s.gap_ns > 0 ? FormatDuration(s.gap_ns).size() + 1 : 1);
  for (const RequestStep& s : steps) {
    const Event& e = *s.event;
    std::string line;
    std::string time = TimeText(e);
    std::string svc = SanitizeForTerminal(e.service.substr(0, kMaxServiceColumn));
    if (svc.empty()) svc = "-";
    std::string level(LevelName(e.level));
    std::string msg = OneLine(e);
    std::string src = Source(e, style.paths);
    std::string gap;
    if (style.show_gaps) gap = s.gap_ns > 0 ? "+" + FormatDuration(s.gap_ns) : "";
    std::string attrs = AttrText(e, style.hide_value);
    if (!attrs.empty() && style.width > 0) {
      // What the line takes without the attributes; they get the rest of the width.
      size_t fixed = Columns(time) + (style.show_gaps ? 2 + gap_width : 0) + 2 + svc_width + 2 +
                     std::max<size_t>(level.size(), 5) + 2 + Columns(msg) + 2 + Columns(src) + 2 +
                     (s.slow ? 9 : 0);
      size_t room = style.width > fixed + 2 ? style.width - fixed - 2 : 0;
      attrs = room >= kMinAttrColumns ? CutToColumns(attrs, room) : "";
    }
    if (!attrs.empty()) msg += "  " + attrs;
    if (!style.color) {
      line = time;
      if (style.show_gaps) line += fmt::format("  {:>{}}", gap, gap_width);
      line += fmt::format("  {:<{}}  {:<5}  {}  [{}]", svc, svc_width, level, msg, src);
      if (s.slow) line += "  <- slow";
      fmt::print(out, "{}\n", line);
      continue;
    }
    fmt::text_style ts = fmt::fg(fmt::terminal_color::bright_black);
    fmt::text_style lvl_style;
    if (e.level >= Level::kError) {
      lvl_style = fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold;
    } else if (e.level == Level::kWarn) {
      lvl_style = fmt::fg(fmt::terminal_color::yellow);
    }
    line = fmt::format(ts, "{}", time);
    if (style.show_gaps) {
      std::string g = fmt::format("  {:>{}}", gap, gap_width);
      line += s.slow ? fmt::format(fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold, "{}", g)
                     : g;
    }
    line += fmt::format("  {}",
                        fmt::format(fmt::fg(fmt::terminal_color::cyan), "{:<{}}", svc, svc_width));
    line += fmt::format("  {}", fmt::format(lvl_style, "{:<5}", level));
    line += fmt::format("  {}  {}", msg, fmt::format(ts, "[{}]", src));
    if (s.slow)
      line += fmt::format(fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold, "  <- slow");
    fmt::print(out, "{}\n", line);
  }
}

void WriteEvents(std::FILE* out, std::span<const Event* const> events, const TimelineStyle& style) {
  std::vector<RequestStep> steps;
  steps.reserve(events.size());
  for (const Event* e : events) steps.push_back({e, 0, false});
  TimelineStyle s = style;
  s.show_gaps = false;
  WriteTimeline(out, steps, s);
}

}  // namespace inquest
