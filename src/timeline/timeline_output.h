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

#include "logs/event.h"
#include "timeline/correlate.h"

namespace inquest {

enum class TimelineFormat { kText, kMd, kJson };

struct TimelineStyle {
  TimelineFormat format = TimelineFormat::kText;
  bool color = false;      // ANSI colours (text only)
  bool show_gaps = false;  // the GAP column (request timelines)
  // Path of each file, by Event::file.
  std::vector<std::string> paths;
};

// One event as the JSON object above (no newline).
std::string EventJson(const Event& e, const std::string& path);

// Writes the steps (gaps are shown only with style.show_gaps).
void WriteTimeline(std::FILE* out, std::span<const RequestStep> steps, const TimelineStyle& style);

// Plain events (no gaps).
void WriteEvents(std::FILE* out, std::span<const Event* const> events, const TimelineStyle& style);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_TIMELINE_OUTPUT_H_
