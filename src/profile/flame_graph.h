// Flame graphs as one self-contained inline SVG, for any profile that is weighted stacks (pprof
// CPU and heap profiles, tracemalloc snapshots): no script, no stylesheet, no font fetched, so
// it reads the same in report.html, a browser tab or an image viewer.
//
//   FlameInput in;
//   in.names = {"main", "parse", "std::vector<int>::push_back"};
//   in.frames = {0, 1, 0, 2};                       // two stacks, root first
//   in.stacks = {{0, 2, 700}, {2, 2, 300}};        // main;parse 700, main;push_back 300
//   in.title = "heap in use";
//   in.unit = FlameUnit::kBytes;
//   INQ_ASSIGN_OR_RETURN(FlameGraph fg, RenderFlameGraph(in));
//   out << fg.svg;
//
// Layout: an icicle, the root ("all") at the top and callees below their callers. The widest
// frames, where a reader starts, are then at the top of the page whatever the depth, and the
// graph reads top-down like the stack traces beside it in the report. x is the cumulative value
// (children of a frame left to right by value, largest first, then by name); one row per depth.
//
// Each rectangle sits in a <g> with a <title> (the tooltip): the full frame name, its value in
// human units, its share of the total and its self value. Labels are cut with ".." to fit the
// rectangle (the font is monospace, so the cut needs no text measuring) and left out below three
// characters. Colours come from a hash of the name, so a function has the same colour in every
// graph: warm for time and sample counts, cool for memory.
//
// Only positive values are drawn: stacks whose value is zero or negative (a diff of two
// profiles) are skipped, and the graph's note says how many negative stacks there were and what
// they add up to. Frames narrower than the minimum width, and frames past the rectangle cap, are
// not drawn either; the note says how many and how much value they hold.
#ifndef INQUEST_PROFILE_FLAME_GRAPH_H_
#define INQUEST_PROFILE_FLAME_GRAPH_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace inquest::profile {

// What stack values measure; it picks the value format and the palette.
enum class FlameUnit : uint8_t {
  kCount,        // samples, objects, calls: "1,234"
  kBytes,        // "3.4 MiB"
  kNanoseconds,  // "850 ns", "12.5 ms", "3.20 s"
};

// A pprof sample type's unit ("bytes", "nanoseconds", "count", ...) as a FlameUnit; any unit
// other than bytes and nanoseconds is a count.
FlameUnit FlameUnitFromName(std::string_view unit);

// Weighted stacks over one table of frame names. Frame ids are indexes into `names`; the
// frames of all stacks are stored back to back in `frames`, each stack root first, so a large
// profile costs one allocation per vector rather than one per stack.
struct FlameInput {
  std::vector<std::string> names;
  std::vector<uint32_t> frames;
  struct Stack {
    uint32_t first = 0;  // index in `frames` of the root frame
    uint32_t count = 0;  // number of frames; 0 puts the value on "all" itself
    int64_t value = 0;   // <= 0 is not drawn (see the note above)
  };
  std::vector<Stack> stacks;
  std::string title;  // the graph's heading, e.g. "CPU time" or "heap in use"
  FlameUnit unit = FlameUnit::kCount;
};

enum class FlamePalette : uint8_t {
  kByUnit,  // cool for bytes, warm otherwise
  kWarm,    // reds, oranges, yellows (time)
  kCool,    // greens and blues (memory)
};

struct FlameGraphOptions {
  int width = 1200;  // SVG width in pixels
  // A frame is drawn when it holds at least this share of the total and is at least
  // `min_width_px` wide: below 0.1% a frame is a sliver whose label and hover target are both
  // unusable, and dropping them is what keeps a million-stack graph a few hundred KiB.
  double min_fraction = 0.001;
  double min_width_px = 1.0;
  // Rectangles drawn at most (the widest are kept), so the SVG stays small enough to inline.
  size_t max_rects = 20000;
  FlamePalette palette = FlamePalette::kByUnit;
};

// The SVG and what it left out.
struct FlameGraph {
  std::string svg;
  int64_t total = 0;  // the sum of the positive stack values: the width of "all"
  size_t drawn = 0;   // rectangles in the SVG ("all" included), each with its own <title>
  // Frames below the minimum width whose caller is drawn, and their value; their callees are
  // narrower still and are neither built nor counted.
  size_t narrow = 0;
  int64_t narrow_value = 0;
  // Frames wide enough but past max_rects (callees of such frames included), and the value of
  // those whose caller is drawn.
  size_t capped = 0;
  int64_t capped_value = 0;
  // Stacks with a negative value, not drawn, and their sum (<= 0).
  size_t negative_stacks = 0;
  int64_t negative_value = 0;
};

// Merges the stacks into a call tree (same frame under the same caller merged, values summed)
// and renders it. An input without positive values gives a small SVG saying "no samples".
// InvalidArgument when a stack reaches past `frames`, a frame id is not in `names`, or the
// options are nonsense (width below 200 px, max_rects 0). Time is linear in the number of
// frames and memory in the number of stacks (the tree is built only as deep as frames are wide
// enough to draw); the output is bounded by max_rects whatever the input size.
Result<FlameGraph> RenderFlameGraph(const FlameInput& in, const FlameGraphOptions& opts = {});

// The value in the unit's human form, as the tooltips show it: "3.4 MiB", "12.5 ms", "1,234"
// (a negative value gets a leading '-').
std::string FormatFlameValue(int64_t value, FlameUnit unit);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_FLAME_GRAPH_H_
