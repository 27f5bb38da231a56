#include "report/svg_timeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "base/strings.h"

namespace inquest {
namespace {

// Rows of mark labels above the plot (alerts, onset, recovery) and below it (changes); a label
// that fits in no row is left out (its mark keeps the hover title, and the tables list it).
constexpr int kLabelRows = 3;
constexpr int kRowHeight = 12;
// Chart margins in pixels: room for the axis labels and the label rows.
constexpr int kLeft = 56, kRight = 16;
constexpr int kTop = 10 + kLabelRows * kRowHeight;
constexpr int kBottom = 24 + kLabelRows * kRowHeight + 6;
// Average advance of an 11px sans-serif character, for placing labels without a renderer.
constexpr double kCharWidth = 6.2;
// Space kept between two labels in one row.
constexpr double kLabelGap = 6;
// Tick spacing candidates for the time axis, in minutes.
constexpr int kTickMinutes[] = {1, 2, 5, 10, 15, 30, 60, 120, 240, 720, 1440};
// Most ticks drawn on the time axis.
constexpr int kMaxTicks = 12;
// Longest mark label drawn; the full text is in the hover title.
constexpr size_t kMaxLabelChars = 28;

std::string Short(std::string_view s) {
  if (s.size() <= kMaxLabelChars) return std::string(s);
  return std::string(s.substr(0, kMaxLabelChars - 1)) + "\xE2\x80\xA6";
}

// Places labels into rows left to right so that none overlaps another; a label that would run
// past the right edge is drawn to the left of its mark.
class LabelRows {
 public:
  LabelRows(double left, double right) : left_(left), right_(right) { ends_.fill(-1e9); }
  // Returns the row for a label of `chars` characters at mark x, or -1; sets *start and
  // *anchor_end to where and how to draw it.
  int Place(double x, size_t chars, double* start, bool* anchor_end) {
    double width = chars * kCharWidth;
    *anchor_end = x + 3 + width > right_;
    double lo = *anchor_end ? std::max(left_, x - 3 - width) : x + 3;
    for (int r = 0; r < kLabelRows; ++r) {
      if (lo < ends_[r] + kLabelGap) continue;
      ends_[r] = lo + width;
      *start = *anchor_end ? x - 3 : x + 3;
      return r;
    }
    return -1;
  }

 private:
  double left_, right_;
  std::array<double, kLabelRows> ends_;
};

// Character count of UTF-8 text (for width estimates).
size_t Chars(std::string_view s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

}  // namespace

std::string SvgTimeline(const Series& series, const std::vector<TimelineMark>& marks,
                        TimePoint from, TimePoint to, const SvgChartOptions& opts) {
  const int w = opts.width, h = opts.height;
  const int pw = w - kLeft - kRight, ph = h - kTop - kBottom;
  if (from == kNoTime && !series.windows.empty()) from = series.windows.front().start;
  if (to == kNoTime && !series.windows.empty()) to = series.windows.back().start + series.width_ns;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" "
      "height=\"{1}\" role=\"img\" aria-label=\"{2} over time with changes and alerts\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n",
      w, h, HtmlEscape(opts.y_label));
  if (from == kNoTime || to <= from) {
    svg += fmt::format("<text x=\"{}\" y=\"{}\">no data</text></svg>\n", w / 2 - 20, h / 2);
    return svg;
  }
  const double span = static_cast<double>(to - from);
  auto x_of = [&](TimePoint t) { return kLeft + pw * (static_cast<double>(t - from) / span); };
  double max_ratio = 0;
  for (const Window& win : series.windows)
    if (win.start + series.width_ns > from && win.start < to)
      max_ratio = std::max(max_ratio, win.error_ratio());
  // Round the y scale up to a readable step.
  double y_max = max_ratio <= 0 ? 0.05 : std::ceil(max_ratio * 20) / 20;
  auto y_of = [&](double r) { return kTop + ph * (1 - r / y_max); };

  svg += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fafafa\" "
      "stroke=\"#ccc\"/>\n",
      kLeft, kTop, pw, ph);
  // Y grid and labels.
  for (int i = 0; i <= 4; ++i) {
    double r = y_max * i / 4;
    double y = y_of(r);
    svg += fmt::format(
        "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#e5e5e5\"/>"
        "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">{:.0f}%"
        "</text>\n",
        kLeft, y, kLeft + pw, y, kLeft - 6, y + 4, r * 100);
  }
  svg += fmt::format(
      "<text x=\"12\" y=\"{}\" transform=\"rotate(-90 12 {})\" "
      "text-anchor=\"middle\" fill=\"#333\">{}</text>\n",
      kTop + ph / 2, kTop + ph / 2, HtmlEscape(opts.y_label));
  // Bars.
  for (const Window& win : series.windows) {
    if (win.start + series.width_ns <= from || win.start >= to) continue;
    double x0 = x_of(std::max(win.start, from));
    double x1 = x_of(std::min(win.start + series.width_ns, to));
    double y = y_of(win.error_ratio());
    svg += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
        "fill=\"#d9534f\"><title>{} UTC: {} of {} ({:.1f}%)</title></rect>\n",
        x0 + 0.5, y, std::max(0.5, x1 - x0 - 1), kTop + ph - y, FormatClock(win.start, 0),
        win.errors, win.total, win.error_ratio() * 100);
  }
  // Time axis ticks.
  int step = kTickMinutes[std::size(kTickMinutes) - 1];
  for (int m : kTickMinutes)
    if (span / (m * 60.0 * kNanosPerSecond) <= kMaxTicks) {
      step = m;
      break;
    }
  int64_t step_ns = step * 60 * kNanosPerSecond;
  for (TimePoint t = (from / step_ns + 1) * step_ns; t < to; t += step_ns) {
    double x = x_of(t);
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" "
        "stroke=\"#999\"/><text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\" "
        "fill=\"#555\">{4}</text>\n",
        x, kTop + ph, kTop + ph + 5, kTop + ph + 17, FormatClock(t, 0).substr(0, 5));
  }
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#555\">UTC</text>\n",
                     kLeft - 6, kTop + ph + 17);
  // Marks: onset and recovery first, wide and pale, so a change at the same instant stays
  // visible on top of them; labels in rows, in time order.
  std::vector<const TimelineMark*> order;
  for (const TimelineMark& m : marks)
    if (m.time != kNoTime && m.time >= from && m.time <= to) order.push_back(&m);
  auto is_span_mark = [](const TimelineMark* m) {
    return m->kind == TimelineMark::Kind::kOnset || m->kind == TimelineMark::Kind::kRecovery;
  };
  std::stable_sort(order.begin(), order.end(), [&](const TimelineMark* a, const TimelineMark* b) {
    if (is_span_mark(a) != is_span_mark(b)) return is_span_mark(a);
    return a->time < b->time;
  });
  LabelRows above(kLeft, w - 2), below(kLeft, w - 2);
  // Labels are placed in time order whatever the drawing order.
  std::vector<const TimelineMark*> by_time = order;
  std::stable_sort(by_time.begin(), by_time.end(),
                   [](const TimelineMark* a, const TimelineMark* b) { return a->time < b->time; });
  struct Label {
    bool placed = false, anchor_end = false;
    double x = 0, y = 0;
    std::string text;
  };
  std::vector<Label> labels(marks.size());
  for (const TimelineMark* m : by_time) {
    double x = x_of(m->time);
    bool is_change = m->kind == TimelineMark::Kind::kChange;
    std::string text = Short(m->label);
    double start;
    bool anchor_end;
    int row = (is_change ? below : above).Place(x, Chars(text), &start, &anchor_end);
    if (row < 0) continue;
    double y = is_change ? kTop + ph + 30 + kRowHeight * row : kTop - 4 - kRowHeight * row;
    labels[m - marks.data()] = {true, anchor_end, start, y, std::move(text)};
  }
  for (const TimelineMark* m : order) {
    double x = x_of(m->time);
    const char* color = "#337ab7";
    const char* dash = "4 3";
    double width = 1.5, opacity = 1;
    switch (m->kind) {
      case TimelineMark::Kind::kChange:
        break;
      case TimelineMark::Kind::kAlert:
        color = "#e08a00";
        break;
      case TimelineMark::Kind::kOnset:
        color = "#222";
        dash = "none";
        width = 4;
        opacity = 0.3;
        break;
      case TimelineMark::Kind::kRecovery:
        color = "#3c9a3c";
        dash = "none";
        width = 4;
        opacity = 0.35;
        break;
    }
    const Label& l = labels[m - marks.data()];
    std::string label;
    if (l.placed)
      label = fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\"{} fill=\"{}\">{}</text>", l.x, l.y,
                          l.anchor_end ? " text-anchor=\"end\"" : "", color, HtmlEscape(l.text));
    svg += fmt::format(
        "<g><title>{}</title><line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" "
        "y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\" stroke-opacity=\"{}\" "
        "stroke-dasharray=\"{}\"/>{}</g>\n",
        HtmlEscape(m->detail), x, kTop, x, kTop + ph, color, width, opacity, dash, label);
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace inquest
