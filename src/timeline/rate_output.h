// Writing `rate` results: a table per series (text or Markdown) with a sparkline of the error
// ratio, or JSON lines, one object per window:
//   {"window": "2026-05-29T14:11:00Z", "group": "checkout", "total": 120, "errors": 14,
//    "warnings": 2, "error_ratio": 0.1167, "p50_ms": 12.1, "p90_ms": 80.5, "p99_ms": 4100}
// (group "" for the totals; the p* keys null when the window holds no duration), followed by
// one {"onset": {...}} object for the totals.
#ifndef INQUEST_TIMELINE_RATE_OUTPUT_H_
#define INQUEST_TIMELINE_RATE_OUTPUT_H_

#include <cstdio>
#include <string>
#include <vector>

#include "base/json_writer.h"
#include "timeline/onset.h"
#include "timeline/rate.h"
#include "timeline/timeline_output.h"

namespace inquest {

// A sparkline of `values` (0..max) in block characters, at most `width` cells: when there
// are more values than cells, each cell shows the largest value it covers.
std::string Sparkline(const std::vector<double>& values, size_t width);

void WriteRates(std::FILE* out, const std::vector<Series>& series, const Onset& onset,
                const std::string& group_by, TimelineFormat format);

// The onset as a JSON object: {"found": true, "time": ..., "recovery": ..., "confidence": ...,
// "signal": ..., "baseline": ..., "peak": ..., "explanation": ...}.
void WriteOnsetJson(JsonWriter& w, const Onset& onset);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_RATE_OUTPUT_H_
