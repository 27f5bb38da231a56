#include "dashboard/svg_bars.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"

namespace inquest::dashboard {
namespace {

constexpr int kRowHeight = 22;  // one bar and its gap; fits 12 px text
constexpr int kBarHeight = 14;
constexpr int kLabelWidth = 110;  // "SEV-1", "mitigate", a trigger category
constexpr int kValueWidth = 110;  // "12 h 30 min", "3 of 10"
// Labels longer than this are cut (the full text stays in the tooltip).
constexpr size_t kMaxLabelChars = 16;

std::string Cut(const std::string& s) {
  if (s.size() <= kMaxLabelChars) return s;
  size_t cut = kMaxLabelChars - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "\u2026";
}

}  // namespace

std::string SvgBars(const std::vector<Bar>& bars, const BarChartOptions& options) {
  int rows = std::max<int>(1, static_cast<int>(bars.size()));
  int height = rows * kRowHeight + 4;
  int plot = std::max(40, options.width - kLabelWidth - kValueWidth);
  std::string title = HtmlEscape(options.title);
  std::string out =
      fmt::format(R"(<svg class="bars" width="{0}" height="{1}" )"
                  R"(viewBox="0 0 {0} {1}" role="img" aria-label="{2}"><title>{2}</title>)",
                  options.width, height, title);
  if (bars.empty()) {
    out += fmt::format(R"(<text x="0" y="{}" class="none">no data</text></svg>)", kRowHeight - 6);
    return out;
  }
  double max = 0;
  for (const Bar& b : bars) max = std::max(max, b.value);
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    int y = static_cast<int>(i) * kRowHeight + 2;
    double w = max > 0 ? std::max(0.0, b.value) / max * plot : 0;
    // A non-zero value is always visible.
    if (b.value > 0 && w < 1) w = 1;
    std::string cls = b.css_class.empty() ? "bar" : "bar " + HtmlEscape(b.css_class);
    out += fmt::format(
        R"(<g><text x="{}" y="{}" text-anchor="end" class="label">{}</text>)"
        R"(<rect x="{}" y="{}" width="{:.1f}" height="{}" class="{}"><title>{}: {}</title></rect>)"
        R"(<text x="{:.1f}" y="{}" class="value">{}</text></g>)",
        kLabelWidth - 6, y + kBarHeight - 2, HtmlEscape(Cut(b.label)), kLabelWidth, y, w,
        kBarHeight, cls, HtmlEscape(b.label), HtmlEscape(b.text), kLabelWidth + w + 4,
        y + kBarHeight - 2, HtmlEscape(b.text));
  }
  out += "</svg>";
  return out;
}

}  // namespace inquest::dashboard
