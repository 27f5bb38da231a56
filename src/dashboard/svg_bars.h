// Small horizontal bar charts as inline SVG for the dashboard: no script, no external
// resource, every label escaped.
//
//   std::string svg = SvgBars({{"SEV-1", 2, "2 incidents"}, {"SEV-2", 5, "5 incidents"}},
//                             {.title = "Incidents by SEV"});
#ifndef INQUEST_DASHBOARD_SVG_BARS_H_
#define INQUEST_DASHBOARD_SVG_BARS_H_

#include <string>
#include <vector>

namespace inquest::dashboard {

struct Bar {
  std::string label;      // left of the bar
  double value = 0;       // >= 0; negative values are drawn as 0
  std::string text;       // right of the bar (the value as people read it); also the tooltip
  std::string css_class;  // optional class of the bar, for colour ("warn", "bad")
};

struct BarChartOptions {
  std::string title;  // the chart's accessible name (role="img" aria-label) and <title>
  int width = 420;    // pixels, labels and values included
};

// An <svg> element: one row per bar, bars scaled to the largest value. An empty `bars` gives a
// chart that says "no data".
std::string SvgBars(const std::vector<Bar>& bars, const BarChartOptions& options);

}  // namespace inquest::dashboard

#endif  // INQUEST_DASHBOARD_SVG_BARS_H_
