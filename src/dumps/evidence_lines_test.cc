// Every verdict of every reader, on every fixture dump, cites lines that hold what it quotes:
// a headline's evidence is the dump's own text at the line it names, not a line number drifted
// from the detail it was built from.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/strings.h"
#include "dumps/dump.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

// The file's lines, 1-based (index 0 unused).
std::vector<std::string_view> LinesOf(std::string_view text) {
  std::vector<std::string_view> out = {{}};
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

const DumpReader* BestReader(std::string_view head) {
  const DumpReader* best = nullptr;
  double score = 0;
  for (const DumpReader& r : DumpReaders()) {
    double s = r.probe(head);
    if (s > score) {
      score = s;
      best = &r;
    }
  }
  return score >= 0.5 ? best : nullptr;
}

TEST(DumpEvidenceLinesTest, EveryCitedLineHoldsItsExcerpt) {
  namespace fs = std::filesystem;
  size_t files = 0, cited = 0;
  for (const auto& e : fs::recursive_directory_iterator(TestFixture("dumps", ""))) {
    if (!e.is_regular_file() || e.path().extension() == ".json") continue;
    std::string path = e.path().string();
    std::string text = ReadTestFile(path);
    // A UTF-16 dump is decoded before it is read: its bytes are not its lines.
    if (text.find('\0') != std::string::npos) continue;
    const DumpReader* reader = BestReader(std::string_view(text).substr(0, 64 << 10));
    if (!reader) continue;
    Result<DumpAnalysis> a = reader->analyze(path, text, DumpOptions{});
    if (!a.ok()) continue;
    ++files;
    std::vector<std::string_view> lines = LinesOf(text);
    for (const Finding& v : a->verdicts)
      for (const EvidenceRef& ref : v.evidence) {
        // "path:N" of this file; other forms ("path: thread 7") name no line.
        if (!ref.source.starts_with(path + ":")) continue;
        std::optional<int64_t> n = ParseInt(std::string_view(ref.source).substr(path.size() + 1));
        if (!n) continue;
        ++cited;
        ASSERT_GE(*n, 1) << ref.source;
        ASSERT_LT(static_cast<size_t>(*n), lines.size()) << ref.source << " past the end";
        std::string_view want = TrimSpace(ref.excerpt);
        if (want.size() > 24) want = want.substr(0, 24);
        std::string_view line = lines[*n];
        EXPECT_TRUE(want.empty() || line.find(want) != std::string_view::npos ||
                    TrimSpace(line).empty())
            << v.kind << ": " << ref.source << " quotes \"" << ref.excerpt << "\" but holds \""
            << line << "\"";
      }
  }
  EXPECT_GT(files, 50u);
  EXPECT_GT(cited, 100u);
}

}  // namespace
}  // namespace inquest
