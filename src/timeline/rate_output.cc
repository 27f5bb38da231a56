#include "timeline/rate_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "base/json_writer.h"
#include "base/output.h"
#include "base/strings.h"

namespace inquest {
namespace {

// Sparklines wider than this wrap in an 100-column terminal next to their label.
constexpr size_t kSparklineWidth = 72;

std::string Ms(double v) {
  if (v >= 10'000) return fmt::format("{:.1f}s", v / 1000);
  if (v >= 100) return fmt::format("{:.0f}ms", v);
  if (v >= 1) return fmt::format("{:.1f}ms", v);
  return fmt::format("{:.3f}ms", v);
}

// Ratios and milliseconds in JSON: four decimals at most.
constexpr int kJsonDecimals = 4;

std::string WindowTime(TimePoint t, int64_t width) {
  // Whole seconds unless the windows are finer.
  return FormatTime(t, width % kNanosPerSecond == 0 ? 0 : 3);
}

}  // namespace

std::string Sparkline(const std::vector<double>& values, size_t width) {
  static constexpr std::string_view kBlocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.empty() || width == 0) return "";
  size_t cells = std::min(width, values.size());
  std::vector<double> v(cells, 0);
  for (size_t i = 0; i < values.size(); ++i) {
    size_t c = i * cells / values.size();
    v[c] = std::max(v[c], values[i]);
  }
  double max = *std::max_element(v.begin(), v.end());
  std::string out;
  for (double x : v) {
    int b = max > 0 ? static_cast<int>(std::lround(x / max * 7)) : 0;
    out += kBlocks[std::clamp(b, 0, 7)];
  }
  return out;
}

void WriteOnsetJson(JsonWriter& w, const Onset& o) {
  w.BeginObject();
  w.FieldBool("found", o.found);
  w.FieldTime("time", o.time, 0);
  w.FieldTime("recovery", o.recovery, 0);
  w.Key("confidence").Trimmed(o.confidence, kJsonDecimals);
  w.Field("signal", o.signal);
  w.Key("baseline").Trimmed(o.baseline, kJsonDecimals);
  w.Key("peak").Trimmed(o.peak, kJsonDecimals);
  w.Field("explanation", o.explanation);
  w.EndObject();
}

void WriteRates(std::FILE* out, const std::vector<Series>& series, const Onset& onset,
                const std::string& group_by, TimelineFormat format) {
  if (format == TimelineFormat::kJson) {
    // JSON lines: one per window, then the onset.
    JsonWriter j(JsonStyle::kLine);
    Redacted lines, newline = RedactText("\n");
    for (const Series& s : series) {
      for (const Window& w : s.windows) {
        bool lat = w.latency.count() > 0;
        j.BeginObject();
        j.Key("window").String(WindowTime(w.start, s.width_ns));
        j.Field("group", s.group);
        j.FieldUint("total", w.total).FieldUint("errors", w.errors);
        j.FieldUint("warnings", w.warnings);
        j.Key("error_ratio").Trimmed(w.error_ratio(), kJsonDecimals);
        for (auto [key, q] : {std::pair{"p50_ms", 0.5}, {"p90_ms", 0.9}, {"p99_ms", 0.99}}) {
          j.Key(key);
          lat ? j.Trimmed(w.LatencyPercentile(q), kJsonDecimals) : j.Null();
        }
        j.EndObject();
        lines += j.Take();
        lines += newline;
      }
    }
    j.BeginObject().Key("onset");
    WriteOnsetJson(j, onset);
    j.EndObject();
    lines += j.Take();
    lines += newline;
    Emit(lines, out);
    return;
  }
  const bool md = format == TimelineFormat::kMd;
  for (const Series& s : series) {
    bool any_latency = false;
    for (const Window& w : s.windows) any_latency |= w.latency.count() > 0;
    std::string title = s.group.empty()
                            ? std::string("all events")
                            : fmt::format("{}={}", group_by, SanitizeForTerminal(s.group));
    if (md) {
      fmt::print(out, "### {}\n\n| window (UTC) | events | errors | error % | warnings |{}\n",
                 title, any_latency ? " p50 | p90 | p99 |" : "");
      fmt::print(out, "|---|---:|---:|---:|---:|{}\n", any_latency ? "---:|---:|---:|" : "");
    } else {
      fmt::print(out, "== {} ==\n{:<20}  {:>8}  {:>7}  {:>7}  {:>8}{}\n", title, "window (UTC)",
                 "events", "errors", "error%", "warnings",
                 any_latency ? fmt::format("  {:>8}  {:>8}  {:>8}", "p50", "p90", "p99") : "");
    }
    std::vector<double> ratios;
    for (const Window& w : s.windows) {
      ratios.push_back(w.error_ratio());
      std::string lat;
      if (any_latency) {
        bool has = w.latency.count() > 0;
        std::string p50 = has ? Ms(w.LatencyPercentile(0.5)) : "-";
        std::string p90 = has ? Ms(w.LatencyPercentile(0.9)) : "-";
        std::string p99 = has ? Ms(w.LatencyPercentile(0.99)) : "-";
        lat = md ? fmt::format(" {} | {} | {} |", p50, p90, p99)
                 : fmt::format("  {:>8}  {:>8}  {:>8}", p50, p90, p99);
      }
      std::string pct = fmt::format("{:.1f}%", w.error_ratio() * 100);
      if (md) {
        fmt::print(out, "| {} | {} | {} | {} | {} |{}\n", WindowTime(w.start, s.width_ns), w.total,
                   w.errors, pct, w.warnings, lat);
      } else {
        fmt::print(out, "{:<20}  {:>8}  {:>7}  {:>7}  {:>8}{}\n", WindowTime(w.start, s.width_ns),
                   w.total, w.errors, pct, w.warnings, lat);
      }
    }
    std::string spark = Sparkline(ratios, kSparklineWidth);
    if (md) {
      fmt::print(out, "\nerror ratio: `{}`\n\n", spark);
    } else {
      fmt::print(out, "error ratio  {}\n\n", spark);
    }
  }
  if (onset.found) {
    fmt::print(out, "{}: {} (confidence {:.2f}, {}); recovery: {}\n", md ? "**onset**" : "onset",
               FormatTime(onset.time, 0), onset.confidence, onset.signal,
               onset.recovery == kNoTime ? "not seen" : FormatTime(onset.recovery, 0));
  } else {
    fmt::print(out, "no onset found\n");
  }
  fmt::print(out, "{}\n", onset.explanation);
}

}  // namespace inquest
