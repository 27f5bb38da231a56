#include "profile/flame_graph.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <regex>

namespace inquest::profile {
namespace {

// One drawn frame as the SVG has it.
struct FlameRect {
  std::string title;  // the <title> text, escaped as in the SVG
  double x = 0, y = 0, w = 0;
  std::string fill;
  std::string text;  // the label, escaped; empty when there is none
  std::string Name() const { return title.substr(0, title.find('\n')); }
};

std::vector<FlameRect> FlameRects(const std::string& svg) {
  static const std::regex kG(
      "<g><title>([^<]*)</title><rect x=\"([0-9.]+)\" y=\"([0-9.]+)\" width=\"([0-9.]+)\" "
      "height=\"[0-9]+\" rx=\"[0-9.]+\" fill=\"(#[0-9a-f]{6})\"/>(?:<text [^>]*>([^<]*)</text>)?"
      "</g>");
  std::vector<FlameRect> out;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), kG); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    out.push_back({m[1], std::stod(m[2]), std::stod(m[3]), std::stod(m[4]), m[5], m[6]});
  }
  return out;
}

const FlameRect* FlameFind(const std::vector<FlameRect>& rects, std::string_view name) {
  for (const FlameRect& r : rects) {
    if (r.Name() == name) return &r;
  }
  return nullptr;
}

size_t FlameCount(const std::string& s, std::string_view what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

// Builds a FlameInput from "a;b;c" stacks, names interned in order of appearance.
class FlameBuilder {
 public:
  FlameBuilder& Add(std::string_view stack, int64_t value) {
    FlameInput::Stack s;
    s.first = static_cast<uint32_t>(in_.frames.size());
    s.value = value;
    size_t start = 0;
    while (!stack.empty() && start <= stack.size()) {
      size_t end = std::min(stack.find(';', start), stack.size());
      std::string name(stack.substr(start, end - start));
      auto it = std::find(in_.names.begin(), in_.names.end(), name);
      if (it == in_.names.end()) it = in_.names.insert(in_.names.end(), name);
      in_.frames.push_back(static_cast<uint32_t>(it - in_.names.begin()));
      ++s.count;
      start = end + 1;
    }
    in_.stacks.push_back(s);
    return *this;
  }
  FlameInput Build(FlameUnit unit = FlameUnit::kCount, std::string title = "test") {
    in_.unit = unit;
    in_.title = std::move(title);
    return in_;
  }

 private:
  FlameInput in_;
};

FlameGraph FlameRender(const FlameInput& in, const FlameGraphOptions& opts = {}) {
  Result<FlameGraph> r = RenderFlameGraph(in, opts);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : FlameGraph{};
}

// A CPU-like profile: `stacks` random walks over a call graph of `functions` functions, each
// calling four others with skewed odds, so that stacks share prefixes as real ones do.
FlameInput FlameSynthetic(size_t stacks, size_t functions, uint64_t seed) {
  FlameInput in;
  in.title = "synthetic CPU profile";
  in.unit = FlameUnit::kNanoseconds;
  for (size_t f = 0; f < functions; ++f) {
    in.names.push_back(f == 0 ? "main" : fmt::format("pkg{}.Func{}[go.shape.int]", f % 37, f));
  }
  std::mt19937_64 rng(seed);
  in.stacks.reserve(stacks);
  in.frames.reserve(stacks * 16);
  for (size_t i = 0; i < stacks; ++i) {
    FlameInput::Stack s{static_cast<uint32_t>(in.frames.size()), 0, 0};
    size_t depth = 4 + rng() % 24;
    uint32_t f = 0;
    for (size_t d = 0; d < depth; ++d) {
      in.frames.push_back(f);
      uint64_t r = rng() % 100;
      uint64_t j = r < 70 ? 0 : r < 90 ? 1 : r < 97 ? 2 : 3;
      f = static_cast<uint32_t>((f * 7 + j * 13 + d + 1) % functions);
    }
    s.count = static_cast<uint32_t>(depth);
    s.value = static_cast<int64_t>(1 + rng() % 1000) * 10000;
    in.stacks.push_back(s);
  }
  return in;
}

TEST(FlameGraph, MergesTheSamePrefixAndSumsValues) {
  FlameInput in = FlameBuilder()
                      .Add("main;a;b", 10)
                      .Add("main;a;b", 5)
                      .Add("main;a;c", 5)
                      .Add("main", 2)
                      .Build();
  FlameGraph fg = FlameRender(in);
  EXPECT_EQ(fg.total, 22);
  EXPECT_EQ(fg.drawn, 5u);
  std::vector<FlameRect> rects = FlameRects(fg.svg);
  ASSERT_EQ(rects.size(), 5u);
  EXPECT_EQ(rects[0].title, "all\n22 (100.00% of total)");
  EXPECT_EQ(FlameFind(rects, "main")->title, "main\n22 (100.00% of total), self 2");
  EXPECT_EQ(FlameFind(rects, "b")->title, "b\n15 (68.18% of total)");
  EXPECT_EQ(FlameFind(rects, "c")->title, "c\n5 (22.73% of total)");
  EXPECT_NE(fg.svg.find("test \xE2\x80\x94 total 22</text>"), std::string::npos);
}

TEST(FlameGraph, WidthsAreProportionalAndCalleesSitUnderTheirCaller) {
  FlameInput in = FlameBuilder()
                      .Add("main;small", 10)
                      .Add("main;big;leaf", 60)
                      .Add("main;mid", 30)
                      .Add("other", 100)
                      .Build();
  FlameGraphOptions opts;
  opts.width = 1020;  // a 1000 px plot
  std::vector<FlameRect> rects = FlameRects(FlameRender(in, opts).svg);
  ASSERT_EQ(rects.size(), 7u);
  const FlameRect& all = rects[0];
  EXPECT_NEAR(all.w, 1000, 0.05);
  for (const FlameRect& r : rects) {
    int64_t value = std::stoll(r.title.substr(r.title.find('\n') + 1));
    EXPECT_NEAR(r.w, all.w * static_cast<double>(value) / 200, 0.1) << r.title;
  }
  const FlameRect *main = FlameFind(rects, "main"), *other = FlameFind(rects, "other");
  const FlameRect *big = FlameFind(rects, "big"), *mid = FlameFind(rects, "mid");
  const FlameRect *small = FlameFind(rects, "small"), *leaf = FlameFind(rects, "leaf");
  // Icicle: one row per depth, downwards; siblings widest first, left to right, no gaps.
  EXPECT_EQ(main->y, all.y + 16);
  EXPECT_EQ(big->y, main->y + 16);
  EXPECT_EQ(leaf->y, big->y + 16);
  EXPECT_NEAR(main->x, all.x, 0.05);  // as wide as "other": by name
  EXPECT_NEAR(other->x, main->x + main->w, 0.1);
  EXPECT_NEAR(big->x, main->x, 0.05);
  EXPECT_NEAR(mid->x, big->x + big->w, 0.1);
  EXPECT_NEAR(small->x, mid->x + mid->w, 0.1);
  EXPECT_NEAR(leaf->x, big->x, 0.05);
}

TEST(FlameGraph, DropsNarrowFramesAndSaysHowMuchTheyHold) {
  FlameBuilder b;
  b.Add("main;hot", 100000);
  for (int i = 0; i < 1000; ++i) b.Add(fmt::format("main;cold{};deeper", i), 1);
  FlameGraph fg = FlameRender(b.Build());
  EXPECT_EQ(fg.drawn, 3u);      // all, main, hot
  EXPECT_EQ(fg.narrow, 1000u);  // cold*, not their callees
  EXPECT_EQ(fg.narrow_value, 1000);
  EXPECT_EQ(fg.capped, 0u);
  EXPECT_EQ(FlameRects(fg.svg).size(), 3u);
  EXPECT_NE(
      fg.svg.find("1,000 frames narrower than 0.10% (101) not drawn with their callees, holding "
                  "1,000 (0.99%)"),
      std::string::npos)
      << fg.svg;
}

TEST(FlameGraph, CapsRectanglesKeepingTheWidestAndTheirCallers) {
  FlameBuilder b;
  for (int i = 0; i < 50; ++i) b.Add(fmt::format("main;f{};g{}", i, i), 100 + i);
  FlameGraphOptions opts;
  opts.max_rects = 20;
  FlameGraph fg = FlameRender(b.Build(), opts);
  EXPECT_EQ(fg.drawn, 20u);
  EXPECT_EQ(fg.capped, 102u - 20u);
  std::vector<FlameRect> rects = FlameRects(fg.svg);
  ASSERT_EQ(rects.size(), 20u);
  // The widest: all, main, then f49 g49 f48 g48 ... down to f41 g41.
  for (int i = 41; i < 50; ++i) {
    EXPECT_NE(FlameFind(rects, fmt::format("f{}", i)), nullptr) << i;
    EXPECT_NE(FlameFind(rects, fmt::format("g{}", i)), nullptr) << i;
  }
  int64_t kept = 0;
  for (int i = 41; i < 50; ++i) kept += 100 + i;
  EXPECT_EQ(fg.capped_value, fg.total - kept);
  EXPECT_NE(fg.svg.find("82 frames past the cap of 20 rectangles not drawn"), std::string::npos);
}

TEST(FlameGraph, EscapesNamesInTitlesAndLabels) {
  FlameInput in = FlameBuilder()
                      .Add("main;std::vector<int>::push_back", 10)
                      .Add("main;main.Map[go.shape.string,go.shape.int];x<&\">'", 10)
                      .Add("bad\x01utf8\xff", 1)
                      .Build(FlameUnit::kCount, "a <title> & \"quotes\"");
  FlameGraph fg = FlameRender(in);
  EXPECT_EQ(FlameCount(fg.svg, "<title>std::vector&lt;int&gt;::push_back\n"), 1u);
  EXPECT_EQ(FlameCount(fg.svg, ">std::vector&lt;int&gt;::push_back</text>"), 1u);
  EXPECT_EQ(FlameCount(fg.svg, "<title>x&lt;&amp;&quot;&gt;&#39;\n"), 1u);
  EXPECT_EQ(FlameCount(fg.svg, ">x&lt;&amp;&quot;&gt;&#39;</text>"), 1u);
  EXPECT_EQ(FlameCount(fg.svg, ">main.Map[go.shape.string,go.shape.int]</text>"), 1u);
  EXPECT_NE(fg.svg.find("aria-label=\"flame graph: a &lt;title&gt; &amp; &quot;quotes&quot;"),
            std::string::npos);
  EXPECT_EQ(fg.svg.find("<int>"), std::string::npos);
  EXPECT_EQ(fg.svg.find("<&"), std::string::npos);
  EXPECT_EQ(fg.svg.find('\x01'), std::string::npos);
  EXPECT_EQ(fg.svg.find('\xff'), std::string::npos);
  // Every '&' starts a reference.
  for (size_t p = fg.svg.find('&'); p != std::string::npos; p = fg.svg.find('&', p + 1)) {
    EXPECT_TRUE(fg.svg.compare(p, 5, "&amp;") == 0 || fg.svg.compare(p, 4, "&lt;") == 0 ||
                fg.svg.compare(p, 4, "&gt;") == 0 || fg.svg.compare(p, 6, "&quot;") == 0 ||
                fg.svg.compare(p, 5, "&#39;") == 0)
        << fg.svg.substr(p, 10);
  }
}

TEST(FlameGraph, CutsLabelsToFitAndLeavesOutTheNarrowest) {
  std::string long_name(300, 'n');
  FlameInput in = FlameBuilder()
                      .Add("main;" + long_name, 500)
                      .Add("main;short", 480)
                      .Add("main;tiny_but_drawn", 20)
                      .Build();
  FlameGraphOptions opts;
  opts.width = 1020;
  std::vector<FlameRect> rects = FlameRects(FlameRender(in, opts).svg);
  ASSERT_EQ(rects.size(), 5u);
  const FlameRect* l = FlameFind(rects, long_name);
  ASSERT_NE(l, nullptr);
  // 500 px wide: (500 - 6) / 6.6 = 74 characters, the last two "..".
  EXPECT_EQ(l->text, std::string(72, 'n') + "..");
  EXPECT_EQ(FlameFind(rects, "short")->text, "short");
  const FlameRect* tiny = FlameFind(rects, "tiny_but_drawn");  // 20 px: two characters
  EXPECT_EQ(tiny->text, "");
  for (const FlameRect& r : rects) {
    EXPECT_LE(6 + 6.6 * static_cast<double>(r.text.size()), r.w + 1e-9) << r.title;
  }
}

TEST(FlameGraph, IsDeterministicWhateverTheStackOrder) {
  FlameInput a = FlameSynthetic(20000, 300, 7);
  FlameInput b = a;
  std::mt19937_64 rng(1);
  std::shuffle(b.stacks.begin(), b.stacks.end(), rng);
  std::string first = FlameRender(a).svg;
  EXPECT_EQ(first, FlameRender(a).svg);
  EXPECT_EQ(first, FlameRender(b).svg);
  // A function keeps its colour from one graph to another.
  FlameInput c = FlameBuilder().Add("x;main", 1).Add("y", 3).Build(FlameUnit::kNanoseconds);
  std::string main_fill;
  for (const FlameRect& r : FlameRects(first)) {
    if (r.Name() == "main") main_fill = r.fill;
  }
  EXPECT_EQ(FlameFind(FlameRects(FlameRender(c).svg), "main")->fill, main_fill);
}

TEST(FlameGraph, PaletteFollowsTheUnit) {
  FlameBuilder b;
  for (int i = 0; i < 20; ++i) b.Add(fmt::format("f{}", i), 10);
  for (auto [unit, cool] :
       {std::pair(FlameUnit::kBytes, true), std::pair(FlameUnit::kNanoseconds, false),
        std::pair(FlameUnit::kCount, false)}) {
    std::vector<FlameRect> rects = FlameRects(FlameRender(b.Build(unit)).svg);
    ASSERT_EQ(rects.size(), 21u);
    for (size_t i = 1; i < rects.size(); ++i) {
      int r = std::stoi(rects[i].fill.substr(1, 2), nullptr, 16);
      int blue = std::stoi(rects[i].fill.substr(5, 2), nullptr, 16);
      if (cool) {
        EXPECT_TRUE(r < 64 && blue >= 150) << rects[i].fill;
      } else {
        EXPECT_TRUE(r >= 205 && blue < 64) << rects[i].fill;
      }
    }
  }
}

TEST(FlameGraph, FormatsValuesInHumanUnits) {
  EXPECT_EQ(FormatFlameValue(512, FlameUnit::kBytes), "512 B");
  EXPECT_EQ(FormatFlameValue(3 * 1024 * 1024 + 512 * 1024, FlameUnit::kBytes), "3.5 MiB");
  EXPECT_EQ(FormatFlameValue(int64_t{5} << 30, FlameUnit::kBytes), "5.0 GiB");
  EXPECT_EQ(FormatFlameValue(850, FlameUnit::kNanoseconds), "850 ns");
  EXPECT_EQ(FormatFlameValue(12500, FlameUnit::kNanoseconds), "12.5 \xC2\xB5s");
  EXPECT_EQ(FormatFlameValue(12500000, FlameUnit::kNanoseconds), "12.5 ms");
  EXPECT_EQ(FormatFlameValue(3200000000, FlameUnit::kNanoseconds), "3.20 s");
  EXPECT_EQ(FormatFlameValue(1234567, FlameUnit::kCount), "1,234,567");
  EXPECT_EQ(FormatFlameValue(-2048, FlameUnit::kBytes), "-2.0 KiB");
  EXPECT_EQ(FlameUnitFromName("bytes"), FlameUnit::kBytes);
  EXPECT_EQ(FlameUnitFromName("nanoseconds"), FlameUnit::kNanoseconds);
  EXPECT_EQ(FlameUnitFromName("count"), FlameUnit::kCount);
  FlameGraph fg = FlameRender(FlameBuilder().Add("alloc", 3 << 20).Build(FlameUnit::kBytes));
  EXPECT_EQ(FlameFind(FlameRects(fg.svg), "alloc")->title, "alloc\n3.0 MiB (100.00% of total)");
  fg = FlameRender(FlameBuilder().Add("alloc", 3 << 20).Add("tiny", 8).Build(FlameUnit::kBytes));
  EXPECT_NE(fg.svg.find("holding 8 B (&lt;0.01%)"), std::string::npos);
}

TEST(FlameGraph, EmptyInputSaysNoSamples) {
  FlameGraph fg = FlameRender(FlameInput{});
  EXPECT_EQ(fg.total, 0);
  EXPECT_EQ(fg.drawn, 0u);
  EXPECT_EQ(fg.svg.rfind("<svg ", 0), 0u);
  EXPECT_NE(fg.svg.find(">no samples</text>"), std::string::npos);
  EXPECT_EQ(fg.svg.substr(fg.svg.size() - 7), "</svg>\n");
  EXPECT_TRUE(FlameRects(fg.svg).empty());
}

TEST(FlameGraph, DrawsOnlyPositiveValuesAndCountsNegativeOnes) {
  FlameInput in = FlameBuilder()
                      .Add("main;grew", 3000)
                      .Add("main;shrank", -2048)
                      .Add("main;gone", -1024)
                      .Add("main;same", 0)
                      .Build(FlameUnit::kBytes);
  FlameGraph fg = FlameRender(in);
  EXPECT_EQ(fg.total, 3000);
  EXPECT_EQ(fg.negative_stacks, 2u);
  EXPECT_EQ(fg.negative_value, -3072);
  EXPECT_EQ(fg.drawn, 3u);  // all, main, grew
  EXPECT_NE(fg.svg.find(">2 stacks with a negative value (-3.0 KiB) not drawn"), std::string::npos);
  FlameGraph only_negative = FlameRender(FlameBuilder().Add("a", -5).Build());
  EXPECT_NE(only_negative.svg.find(">no samples</text>"), std::string::npos);
  EXPECT_NE(only_negative.svg.find("1 stack with a negative value (-5)"), std::string::npos);
}

TEST(FlameGraph, RejectsStacksOutsideTheirTables) {
  FlameInput in = FlameBuilder().Add("a;b", 1).Build();
  in.frames[1] = 7;
  Result<FlameGraph> r = RenderFlameGraph(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("frame id 7"), std::string::npos);
  in.frames[1] = 1;
  in.stacks[0].count = 3;
  EXPECT_FALSE(RenderFlameGraph(in).ok());
  FlameGraphOptions opts;
  opts.width = 50;
  EXPECT_FALSE(RenderFlameGraph(FlameInput{}, opts).ok());
}

TEST(FlameGraph, MillionStacksRenderQuickly) {
  FlameInput in = FlameSynthetic(1000000, 5000, 42);
  auto start = std::chrono::steady_clock::now();
  FlameGraph fg = FlameRender(in);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "[flame] 1,000,000 stacks (%zu frames): %.0f ms, %zu drawn, %zu narrow, SVG %zu bytes\n",
      in.frames.size(), ms, fg.drawn, fg.narrow, fg.svg.size());
  EXPECT_GT(fg.drawn, 100u);
  EXPECT_LE(fg.drawn, FlameGraphOptions{}.max_rects);
}

// The graphs tests/flame_graph_browser_test.py loads in Chromium: when INQUEST_FLAME_SVG_OUT
// names a folder, a CPU graph (cpu.svg) and a heap graph (heap.svg) of synthetic profiles with
// hostile names, narrow frames and a negative stack are written there, and a line per graph
// says how many rectangles it has.
TEST(FlameGraph, WritesBrowserTestGraphsWhenAsked) {
  FlameBuilder cpu;
  cpu.Add(
         "runtime.main;main.main;main.(*Server).ServeHTTP;main.handleCheckout;"
         "main.Map[go.shape.string,go.shape.int];runtime.mapassign_faststr",
         420000000)
      .Add(
          "runtime.main;main.main;main.(*Server).ServeHTTP;main.handleCheckout;"
          "encoding/json.Marshal;encoding/json.(*encodeState).marshal",
          310000000)
      .Add(
          "runtime.main;main.main;main.(*Server).ServeHTTP;main.handleCart;"
          "database/sql.(*DB).QueryContext;database/sql.(*DB).conn",
          180000000)
      .Add(
          "runtime.main;main.main;main.(*Server).ServeHTTP;main.handleCart;"
          "std::vector<std::pair<int, std::string>>::emplace_back<int&, const char (&)[6]>",
          90000000)
      .Add("runtime.main;main.main;main.(*Server).ServeHTTP;x<&\">'", 60000000)
      .Add("runtime.gcBgMarkWorker;runtime.gcDrain;runtime.scanobject", 150000000)
      .Add("runtime.mcall;runtime.park_m;runtime.schedule;runtime.findRunnable", 40000000);
  for (int i = 0; i < 300; ++i) {
    cpu.Add(fmt::format("runtime.main;main.main;main.(*Server).ServeHTTP;main.rare{}", i), 10000);
  }
  cpu.Add("runtime.main;main.diffOnly", -5000000);
  FlameBuilder heap;
  heap.Add("main.main;main.loadCatalog;encoding/json.Unmarshal;reflect.New", 96 << 20)
      .Add("main.main;main.loadCatalog;main.(*Index).Add;main.Map[go.shape.string,go.shape.int]",
           64 << 20)
      .Add("main.main;main.(*Cache).Put<&>;runtime.makeslice", 32 << 20)
      .Add("main.main;bufio.NewReaderSize", 4 << 10);
  const char* out = std::getenv("INQUEST_FLAME_SVG_OUT");
  for (auto [file, in] :
       {std::pair("cpu.svg", cpu.Build(FlameUnit::kNanoseconds, "CPU time of checkout <demo>")),
        std::pair("heap.svg", heap.Build(FlameUnit::kBytes, "heap in use"))}) {
    FlameGraph fg = FlameRender(in);
    ASSERT_GT(fg.drawn, 5u);
    if (out == nullptr || *out == '\0') continue;
    std::string path = std::string(out) + "/" + file;
    std::ofstream f(path, std::ios::binary);
    f << fg.svg;
    f.close();
    ASSERT_TRUE(f.good()) << path;
    std::printf("[flame] %s: %zu rectangles, %zu narrow, %zu negative stacks\n", file, fg.drawn,
                fg.narrow, fg.negative_stacks);
  }
}

}  // namespace
}  // namespace inquest::profile
