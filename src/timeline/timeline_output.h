// Writing a merged timeline or one request's steps as aligned text (optionally coloured),
// a Markdown table, or JSON lines:
//   {"time": "2026-05-29T14:11:08.114000000Z", "source": "path:line", "service": "checkout",
//    "level": "error", "message": "...", "attrs": {"k": "v"}}
// one object per event; these names are stable (other tools read them). `time` and `service`
// are null when unknown; attrs holds the event's attributes plus host and correlation ids.
#ifndef INQUEST_TIMELINE_TIMELINE_OUTPUT_H_
#define INQUEST_TIMELINE_TIMELINE_OUTPUT_H_

#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "base/json_writer.h"
#include "logs/event.h"
#include "timeline/correlate.h"

namespace inquest {

enum class TimelineFormat { kText, kMd, kJson };

struct TimelineStyle {
  TimelineFormat format = TimelineFormat::kText;
  bool color = false;      // ANSI colours (text only)
  bool show_gaps = false;  // the GAP column (request timelines)
  // Text: attributes whose value is this (the id a request timeline matched) are not repeated.
  std::string hide_value;
  // Text: the line width the attributes must fit in (they are cut with "…"); 0: no limit.
  size_t width = 0;
  // Path of each file, by Event::file.
  std::vector<std::string> paths;
};

// One event as the JSON object above, its strings redacted by the writer.
void WriteEventJson(JsonWriter& w, const Event& e, const std::string& path);

// Calls fn(key, value) for what an event holds besides its time, level, service and message:
// host, request_id, trace_id, span_id (when set) and its attributes in record order; the
// host and ids first (JSON "attrs") or last (the text output's "key=value" tail, where the
// record's own attributes say more).
template <typename Fn>
void ForEachAttr(const Event& e, bool ids_last, Fn fn) {
  auto ids = [&] {
    if (!e.host.empty()) fn(std::string_view("host"), e.host);
    if (!e.request_id.empty()) fn(std::string_view("request_id"), e.request_id);
    if (!e.trace_id.empty()) fn(std::string_view("trace_id"), e.trace_id);
    if (!e.span_id.empty()) fn(std::string_view("span_id"), e.span_id);
  };
  if (!ids_last) ids();
  for (const Attr& a : e.attrs) fn(a.key, a.value);
  if (ids_last) ids();
}

// The text output's attribute tail: "after=4019ms endpoint=/cart/checkout" (values with spaces
// or quotes are quoted), without attributes whose value is `hide` or already stands in the
// message as a word, made safe for a terminal.
std::string AttrText(const Event& e, std::string_view hide);

// Writes the steps (gaps are shown only with style.show_gaps).
void WriteTimeline(std::FILE* out, std::span<const RequestStep> steps, const TimelineStyle& style);

// Plain events (no gaps).
void WriteEvents(std::FILE* out, std::span<const Event* const> events, const TimelineStyle& style);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_TIMELINE_OUTPUT_H_
