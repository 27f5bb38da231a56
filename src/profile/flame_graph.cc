#include "profile/flame_graph.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/stable_hash.h"
#include "base/strings.h"
#include "profile/profile_math.h"

namespace inquest::profile {
namespace {

// Layout in pixels. The font is monospace so that a label's width is its length times one
// advance: 0.6 em is the advance of every common monospace face (DejaVu Sans Mono, Liberation
// Mono, Courier), so labels are cut without measuring text.
constexpr int kFlameFontPx = 11;
constexpr double kFlameCharPx = 0.6 * kFlameFontPx;
constexpr int kFlameRowPx = 16;      // one row per stack depth
constexpr int kFlameRectPx = 15;     // a rectangle leaves a 1 px gap below it
constexpr double kFlameTextPad = 3;  // from a rectangle's left edge to its label
constexpr double kFlameBaseline = 11.5;
constexpr int kFlameSidePad = 10;
constexpr int kFlameTitlePx = 26;  // the heading line
constexpr int kFlameNotePx = 15;   // each line of the note
constexpr int kFlameBottomPad = 8;
// A label shorter than this many characters (".." included) says nothing; it is left out.
constexpr size_t kFlameMinLabelChars = 3;
constexpr int kFlameMinWidth = 200;
constexpr uint32_t kFlameNoFrame = std::numeric_limits<uint32_t>::max();

struct FlameNode {
  uint32_t frame;
  uint32_t parent;
  uint32_t depth;
  int64_t self;
  int64_t value;  // the values of the stacks through the frame
};

// Names go into XML text and attributes: control bytes and invalid UTF-8 become U+FFFD (XML
// forbids most control characters even as references), then markup is escaped.
std::string FlameXml(std::string_view s) { return HtmlEscape(SanitizeForTerminal(s)); }

// The label for a rectangle `px` wide: the whole name, or its first characters and "..", or
// empty when fewer than kFlameMinLabelChars fit. Counts code points, not bytes.
std::string FlameLabel(std::string_view name, double px) {
  double room = (px - 2 * kFlameTextPad) / kFlameCharPx;
  if (room < kFlameMinLabelChars) return "";
  size_t fit = static_cast<size_t>(room);
  std::string text = SanitizeForTerminal(name);
  size_t chars = 0, cut = 0;  // cut: byte offset after the first fit - 2 characters
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars == fit - 2) cut = i;
    ++chars;
  }
  if (chars <= fit) return HtmlEscape(text);
  return HtmlEscape(std::string_view(text).substr(0, cut)) + "..";
}

std::string FlameColor(std::string_view name, bool cool) {
  uint64_t h = StableHash64(name);
  double v1 = static_cast<double>(h & 0xff) / 255, v2 = static_cast<double>((h >> 8) & 0xff) / 255;
  double v3 = static_cast<double>((h >> 16) & 0xff) / 255;
  int r, g, b;
  if (cool) {  // teal to blue, light enough for black text
    r = static_cast<int>(40 * v3);
    g = 180 + static_cast<int>(60 * v2);
    b = 150 + static_cast<int>(105 * v1);
  } else {  // red to yellow, the classic flame graph colours
    r = 205 + static_cast<int>(50 * v3);
    g = static_cast<int>(230 * v1);
    b = static_cast<int>(55 * v2);
  }
  return fmt::format("#{:02x}{:02x}{:02x}", r, g, b);
}

std::string FlamePercent(int64_t part, int64_t total) {
  double pct = total ? 100.0 * static_cast<double>(part) / static_cast<double>(total) : 0.0;
  if (part > 0 && pct < 0.005) return "<0.01%";  // not "0.00%" for something that is there
  return fmt::format("{:.2f}%", pct);
}

// "1 frame", "2,000 frames".
std::string FlameCountOf(size_t n, std::string_view what) {
  return fmt::format("{} {}{}", WithThousands(n), what, n == 1 ? "" : "s");
}

std::string FlameSvgOpen(int width, int height, std::string_view title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flame\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"monospace\" font-size=\"{2}\" role=\"img\" "
      "aria-label=\"flame graph: {3}\">\n<title>flame graph: {3}</title>\n"
      "<rect width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n",
      width, height, kFlameFontPx, title);
}

// The heading (cut to the width, as the labels) and the lines of the note under it.
std::string FlameHeader(std::string_view heading, const std::vector<std::string>& note, int width) {
  std::string out = fmt::format(
      "<text x=\"{}\" y=\"18\" font-size=\"14\" font-weight=\"bold\" fill=\"#222\">{}</text>\n",
      kFlameSidePad, FlameLabel(heading, (width - 2 * kFlameSidePad) * 11.0 / 14.0));
  for (size_t i = 0; i < note.size(); ++i) {
    out += fmt::format("<text class=\"note\" x=\"{}\" y=\"{}\" fill=\"#555\">{}</text>\n",
                       kFlameSidePad, kFlameTitlePx + 11 + static_cast<int>(i) * kFlameNotePx,
                       FlameLabel(note[i], width - 2 * kFlameSidePad + 2 * kFlameTextPad));
  }
  return out;
}

}  // namespace

FlameUnit FlameUnitFromName(std::string_view unit) {
  if (unit == "bytes") return FlameUnit::kBytes;
  if (unit == "nanoseconds") return FlameUnit::kNanoseconds;
  return FlameUnit::kCount;
}

std::string FormatFlameValue(int64_t value, FlameUnit unit) {
  if (value < 0) {
    uint64_t mag = 0 - static_cast<uint64_t>(value);
    return "-" + FormatFlameValue(static_cast<int64_t>(
                                      std::min<uint64_t>(mag, std::numeric_limits<int64_t>::max())),
                                  unit);
  }
  switch (unit) {
    case FlameUnit::kBytes:
      return HumanBytes(static_cast<uint64_t>(value));
    case FlameUnit::kNanoseconds: {
      double v = static_cast<double>(value);
      if (value < 1000) return fmt::format("{} ns", value);
      if (value < 1000000) return fmt::format("{:.1f} \xC2\xB5s", v / 1e3);
      if (value < 1000000000) return fmt::format("{:.1f} ms", v / 1e6);
      return fmt::format("{:.2f} s", v / 1e9);
    }
    case FlameUnit::kCount:
      break;
  }
  return WithThousands(static_cast<uint64_t>(value));
}

Result<FlameGraph> RenderFlameGraph(const FlameInput& in, const FlameGraphOptions& opts) {
  if (opts.width < kFlameMinWidth) {
    return Status::InvalidArgument(
        fmt::format("flame graph width {} px is below {} px", opts.width, kFlameMinWidth));
  }
  if (opts.max_rects == 0) return Status::InvalidArgument("flame graph max_rects is 0");
  FlameGraph fg;

  // Check every stack against the tables, and total the positive values: the minimum width
  // depends on the total.
  for (size_t i = 0; i < in.stacks.size(); ++i) {
    const FlameInput::Stack& s = in.stacks[i];
    if (uint64_t{s.first} + s.count > in.frames.size()) {
      return Status::InvalidArgument(
          fmt::format("flame graph stack {} (frames {}..{}) reaches past the {} frames", i, s.first,
                      uint64_t{s.first} + s.count, in.frames.size()));
    }
    const uint32_t* f = in.frames.data() + s.first;
    for (uint32_t k = 0; k < s.count; ++k) {
      if (f[k] >= in.names.size()) {
        return Status::InvalidArgument(fmt::format(
            "flame graph stack {} has frame id {}, past the {} names", i, f[k], in.names.size()));
      }
    }
    if (s.value > 0) {
      fg.total = SaturatingAdd(fg.total, s.value);
    } else if (s.value < 0) {
      ++fg.negative_stacks;
      fg.negative_value = SaturatingAdd(fg.negative_value, s.value);
    }
  }

  bool cool = opts.palette == FlamePalette::kCool ||
              (opts.palette == FlamePalette::kByUnit && in.unit == FlameUnit::kBytes);
  std::string heading = in.title.empty() ? std::string("flame graph") : in.title;
  std::vector<std::string> note;
  if (fg.negative_stacks) {
    note.push_back(fmt::format(
        "{} with a negative value ({}) not drawn: only positive values are shown",
        FlameCountOf(fg.negative_stacks, "stack"), FormatFlameValue(fg.negative_value, in.unit)));
  }
  if (fg.total == 0) {
    int height = kFlameTitlePx + static_cast<int>(note.size() + 1) * kFlameNotePx + kFlameBottomPad;
    fg.svg = FlameSvgOpen(opts.width, height, FlameXml(heading));
    note.insert(note.begin(), "no samples");
    fg.svg += FlameHeader(heading, note, opts.width);
    fg.svg += "</svg>\n";
    return fg;
  }
  const double plot_w = opts.width - 2 * kFlameSidePad;
  const double total = static_cast<double>(fg.total);
  const double min_value = std::max(opts.min_fraction * total, opts.min_width_px * total / plot_w);

  // Merge level by level from the root down. A frame narrower than the minimum is known to be
  // so at the level where it appears (its callees are narrower still), and the stacks through
  // it leave the merge there: only the drawn frames and their direct callees are ever built, so
  // the hash map stays small enough for the cache and a million stacks cost a few streaming
  // passes rather than a cache miss per frame. Node 0 is "all"; callers come before callees.
  std::vector<FlameNode> nodes;
  nodes.push_back({kFlameNoFrame, 0, 0, 0, fg.total});
  std::vector<uint8_t> narrow = {0};
  struct FlameWalk {
    int64_t value;
    uint32_t next;  // index in in.frames of the stack's next frame
    uint32_t end;
    uint32_t node;  // where the stack has got to
  };
  std::vector<FlameWalk> walks;
  for (const FlameInput::Stack& s : in.stacks) {
    if (s.value > 0) walks.push_back({s.value, s.first, s.first + s.count, 0});
  }
  // Each pass reads one frame per stack, a cache line apart from the next stack's: the frame a
  // few walks ahead is prefetched so that the loads overlap.
  constexpr size_t kAhead = 16;
  absl::flat_hash_map<uint64_t, uint32_t> child_of;
  for (uint32_t depth = 0; !walks.empty(); ++depth) {
    child_of.clear();
    const size_t level_first = nodes.size();
    uint64_t last_key = ~uint64_t{0};  // stacks listed together often share the frame
    uint32_t last_child = 0;
    size_t out = 0;
    for (size_t i = 0; i < walks.size(); ++i) {
      if (i + kAhead < walks.size()) __builtin_prefetch(in.frames.data() + walks[i + kAhead].next);
      FlameWalk w = walks[i];
      if (w.next == w.end) {
        nodes[w.node].self = SaturatingAdd(nodes[w.node].self, w.value);
        continue;
      }
      uint32_t frame = in.frames[w.next];
      uint64_t key = (uint64_t{w.node} << 32) | frame;
      if (key != last_key) {
        auto [it, added] = child_of.try_emplace(key, static_cast<uint32_t>(nodes.size()));
        if (added) nodes.push_back({frame, w.node, depth + 1, 0, 0});
        last_key = key;
        last_child = it->second;
      }
      nodes[last_child].value = SaturatingAdd(nodes[last_child].value, w.value);
      walks[out++] = {w.value, w.next + 1, w.end, last_child};
    }
    walks.resize(out);
    narrow.resize(nodes.size(), 0);
    for (size_t n = level_first; n < nodes.size(); ++n) {
      if (static_cast<double>(nodes[n].value) >= min_value) continue;
      narrow[n] = 1;
      ++fg.narrow;
      fg.narrow_value = SaturatingAdd(fg.narrow_value, nodes[n].value);
    }
    out = 0;
    for (FlameWalk w : walks) {
      if (!narrow[w.node]) walks[out++] = w;
    }
    walks.resize(out);
  }

  // Keep the widest max_rects of the frames wide enough. A frame is never wider than its
  // caller, and the order puts a caller before its callees on ties (smaller depth), so the
  // kept set holds every kept frame's callers.
  std::vector<uint32_t> kept;
  for (uint32_t n = 0; n < nodes.size(); ++n) {
    if (!narrow[n]) kept.push_back(n);
  }
  if (kept.size() > opts.max_rects) {
    auto wider = [&nodes](uint32_t a, uint32_t b) {
      if (nodes[a].value != nodes[b].value) return nodes[a].value > nodes[b].value;
      if (nodes[a].depth != nodes[b].depth) return nodes[a].depth < nodes[b].depth;
      return a < b;
    };
    std::nth_element(kept.begin(), kept.begin() + (opts.max_rects - 1), kept.end(), wider);
    fg.capped = kept.size() - opts.max_rects;
    kept.resize(opts.max_rects);
    std::vector<uint8_t> drawn(nodes.size(), 0);
    for (uint32_t n : kept) drawn[n] = 1;
    for (uint32_t n = 1; n < nodes.size(); ++n) {
      if (!drawn[n] && !narrow[n] && drawn[nodes[n].parent])
        fg.capped_value = SaturatingAdd(fg.capped_value, nodes[n].value);
    }
  }
  fg.drawn = kept.size();
  if (fg.narrow) {
    note.push_back(fmt::format(
        "{} narrower than {} ({}) not drawn with their callees, holding {} ({})",
        FlameCountOf(fg.narrow, "frame"),
        FlamePercent(static_cast<int64_t>(std::ceil(min_value)), fg.total),
        FormatFlameValue(static_cast<int64_t>(std::ceil(min_value)), in.unit),
        FormatFlameValue(fg.narrow_value, in.unit), FlamePercent(fg.narrow_value, fg.total)));
  }
  if (fg.capped) {
    note.push_back(fmt::format("{} past the cap of {} rectangles not drawn, holding {} ({})",
                               FlameCountOf(fg.capped, "frame"), WithThousands(opts.max_rects),
                               FormatFlameValue(fg.capped_value, in.unit),
                               FlamePercent(fg.capped_value, fg.total)));
  }

  // Children of each kept frame, contiguous: sorted by caller, then widest first, then by name.
  auto name_of = [&](uint32_t n) -> std::string_view {
    return n == 0 ? std::string_view("all") : std::string_view(in.names[nodes[n].frame]);
  };
  std::sort(kept.begin(), kept.end(), [&](uint32_t a, uint32_t b) {
    if (a == 0 || b == 0) return a == 0 && b != 0;
    if (nodes[a].parent != nodes[b].parent) return nodes[a].parent < nodes[b].parent;
    if (nodes[a].value != nodes[b].value) return nodes[a].value > nodes[b].value;
    if (int c = name_of(a).compare(name_of(b)); c != 0) return c < 0;
    return a < b;
  });
  auto children = [&](uint32_t n) {
    auto lo = std::lower_bound(kept.begin() + 1, kept.end(), n,
                               [&](uint32_t k, uint32_t p) { return nodes[k].parent < p; });
    auto hi = std::upper_bound(lo, kept.end(), n,
                               [&](uint32_t p, uint32_t k) { return p < nodes[k].parent; });
    return std::pair(lo, hi);
  };

  uint32_t max_depth = 0;
  for (uint32_t n : kept) max_depth = std::max(max_depth, nodes[n].depth);
  const int top = kFlameTitlePx + static_cast<int>(note.size()) * kFlameNotePx + 4;
  const int height = top + static_cast<int>(max_depth + 1) * kFlameRowPx + kFlameBottomPad;
  heading += " \xE2\x80\x94 total " + FormatFlameValue(fg.total, in.unit);
  fg.svg = FlameSvgOpen(opts.width, height, FlameXml(heading));
  fg.svg += FlameHeader(heading, note, opts.width);

  // Depth first, so that a frame's rectangle comes right after its caller's.
  struct Pending {
    uint32_t node;
    int64_t x;  // cumulative value left of the frame
  };
  std::vector<Pending> todo = {{0, 0}};
  std::vector<Pending> next;
  while (!todo.empty()) {
    Pending p = todo.back();
    todo.pop_back();
    const FlameNode& nd = nodes[p.node];
    double x = kFlameSidePad + plot_w * static_cast<double>(p.x) / total;
    double w = plot_w * static_cast<double>(nd.value) / total;
    int y = top + static_cast<int>(nd.depth) * kFlameRowPx;
    std::string_view name = name_of(p.node);
    fg.svg += "<g><title>";
    fg.svg += FlameXml(name);
    fg.svg += fmt::format("\n{} ({} of total)", FormatFlameValue(nd.value, in.unit),
                          FlamePercent(nd.value, fg.total));
    if (nd.self && nd.self != nd.value) {
      fg.svg += fmt::format(", self {}", FormatFlameValue(nd.self, in.unit));
    }
    fg.svg += fmt::format(
        "</title><rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" rx=\"1.5\" "
        "fill=\"{}\"/>",
        x, y, w, kFlameRectPx, p.node == 0 ? std::string("#c8c8c8") : FlameColor(name, cool));
    if (std::string label = FlameLabel(name, w); !label.empty()) {
      fg.svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", x + kFlameTextPad,
                            y + kFlameBaseline, label);
    }
    fg.svg += "</g>\n";
    auto [lo, hi] = children(p.node);
    int64_t cx = p.x;
    next.clear();
    for (auto it = lo; it != hi; ++it) {
      next.push_back({*it, cx});
      cx = SaturatingAdd(cx, nodes[*it].value);
    }
    todo.insert(todo.end(), next.rbegin(), next.rend());
  }
  fg.svg += "</svg>\n";
  return fg;
}

}  // namespace inquest::profile
