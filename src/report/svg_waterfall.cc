#include "report/svg_waterfall.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "traces/node_ref.h"

namespace inquest {
namespace {

// Layout in pixels: the label column, row height, header (axis) and footer (legend) heights.
constexpr int kLabelWidth = 300;
constexpr int kSpanRowHeight = 18;
constexpr int kHeader = 28;
constexpr int kFooter = 22;
constexpr int kRightPad = 12;
constexpr int kIndentPx = 10;
// Average advance of an 11px sans-serif character, for cutting labels without a renderer.
constexpr double kLabelCharWidth = 6.2;
// Axis ticks (fractions of the trace's duration).
constexpr int kTicks = 4;
// Service colours (ColorBrewer Set2, readable on white, colour-blind safe for the first six).
constexpr const char* kPalette[] = {"#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3",
                                    "#a6d854", "#ffd92f", "#e5c494", "#b3b3b3"};

std::string Cut(std::string_view s, double px) {
  size_t max = static_cast<size_t>(std::max(1.0, px / kLabelCharWidth));
  std::string text = SanitizeUtf8(s);
  size_t cols = 0, i = 0;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (cols == max) break;
      ++cols;
    }
  }
  if (i >= text.size()) return HtmlEscape(text);
  // Step back one character to make room for the ellipsis.
  size_t j = i;
  do --j;
  while (j > 0 && (static_cast<unsigned char>(text[j]) & 0xC0) == 0x80);
  return HtmlEscape(text.substr(0, j)) + "\xE2\x80\xA6";
}

}  // namespace

std::string SvgWaterfall(const SpanSet& set, const Trace& t, const TraceAnalysis& a,
                         const SvgWaterfallOptions& opts) {
  size_t rows = std::min(t.order.size(), opts.max_rows);
  int height = kHeader + static_cast<int>(rows) * kSpanRowHeight + kFooter;
  double plot_left = kLabelWidth, plot_right = opts.width - kRightPad;
  double plot_w = plot_right - plot_left;
  int64_t dur = std::max<int64_t>(t.duration(), 1);
  auto x = [&](TimePoint tp) {
    return plot_left + plot_w * static_cast<double>(tp - t.start) / static_cast<double>(dur);
  };
  // Colours by service, in order of first appearance.
  std::vector<std::string_view> services;
  auto color = [&](std::string_view service) {
    auto it = std::find(services.begin(), services.end(), service);
    size_t i = static_cast<size_t>(it - services.begin());
    if (it == services.end()) services.push_back(service);
    return kPalette[i % std::size(kPalette)];
  };
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"waterfall\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\" "
      "aria-label=\"waterfall of trace {}\">\n",
      opts.width, height, opts.width, height, FormatTraceId(t.id));
  svg += fmt::format("<title>trace {}: {} ({})</title>\n", FormatTraceId(t.id),
                     HtmlEscape(SanitizeUtf8(TraceName(set, t))), SpanDuration(t.duration()));
  for (int i = 0; i <= kTicks; ++i) {
    double tx = plot_left + plot_w * i / kTicks;
    svg += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" stroke=\"#ddd\"/>"
        "<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"{}\" fill=\"#555\">{}</text>\n",
        tx, kHeader - 6, tx, kHeader + static_cast<int>(rows) * kSpanRowHeight, tx, kHeader - 10,
        i == 0        ? "start"
        : i == kTicks ? "end"
                      : "middle",
        SpanDuration(dur * i / kTicks));
  }
  for (size_t r = 0; r < rows; ++r) {
    uint32_t n = t.order[r];
    const TraceNode& node = t.nodes[n];
    const Span* s = t.SpanOf(set, n);
    int y = kHeader + static_cast<int>(r) * kSpanRowHeight;
    std::string label = s ? fmt::format("{} {}", s->service, s->name)
                          : fmt::format("(missing parent {})", NodeSpanId(set, t, n));
    double indent = std::min<double>(node.depth * kIndentPx, kLabelWidth / 2.0);
    std::string hover = fmt::format(
        "{} {}: {} (self {}, critical path {}){}", s ? SpanLabel(*s) : "-", label,
        SpanDuration(node.duration()), SpanDuration(a.self[n]), SpanDuration(a.path.on_path_ns[n]),
        s && s->error() ? (s->status_message.empty() ? std::string(", error")
                                                     : ", error: " + std::string(s->status_message))
                        : "");
    double x0 = x(node.start), x1 = std::max(x(node.end), x0 + 1.0);
    bool error = s && s->error();
    svg += fmt::format("<g class=\"span{}\"><title>{}</title>", error ? " error" : "",
                       HtmlEscape(SanitizeUtf8(hover)));
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" fill=\"{}\">{}</text>", 4 + indent,
                       y + kSpanRowHeight - 5, error ? "#b2182b" : "#222",
                       Cut(label, kLabelWidth - 8 - indent));
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"{}/>",
                       x0, y + 3, x1 - x0, kSpanRowHeight - 6, s ? color(s->service) : "#eee",
                       error ? " stroke=\"#b2182b\" stroke-width=\"1.5\"" : "");
    svg += "</g>\n";
  }
  // The critical path over the bars.
  for (const PathSection& sec : a.path.sections) {
    auto it =
        std::find(t.order.begin(), t.order.begin() + static_cast<std::ptrdiff_t>(rows), sec.node);
    if (it == t.order.begin() + static_cast<std::ptrdiff_t>(rows)) continue;
    int y = kHeader + static_cast<int>(it - t.order.begin()) * kSpanRowHeight;
    double x0 = x(sec.start), x1 = std::max(x(sec.end), x0 + 1.0);
    svg += fmt::format(
        "<rect class=\"critical\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"3\" "
        "fill=\"#222\"/>\n",
        x0, y + kSpanRowHeight - 6, x1 - x0);
  }
  int fy = kHeader + static_cast<int>(rows) * kSpanRowHeight + 16;
  svg += fmt::format(
      "<rect x=\"4\" y=\"{}\" width=\"16\" height=\"3\" fill=\"#222\"/><text x=\"24\" y=\"{}\" "
      "fill=\"#555\">critical path</text>",
      fy - 4, fy);
  if (rows < t.order.size())
    svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#555\">{} more spans not drawn</text>",
                       kLabelWidth, fy, t.order.size() - rows);
  svg += "\n</svg>\n";
  return svg;
}

}  // namespace inquest
