// Conformance on the real thread dumps in fixtures/dumps/java (dumpling, jthreaddump, TDA):
// every file parses, and every deadlock the JVM's own "Found one Java-level deadlock" block
// lists is found by our wait-for graph with that block removed from the input.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "base/strings.h"
#include "dumps/java/java_readers.h"
#include "dumps/java/lock_graph.h"
#include "dumps/java/thread_dump_json.h"
#include "dumps/java/thread_dump_parser.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

std::string JavaDumpDir() { return TestFixturesDir() + "/dumps/java"; }

std::vector<fs::path> Files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(JavaDumpDir())) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The text with every "Found one Java-level deadlock:" ... "Found N deadlock(s)." block
// replaced by blank lines (so line numbers stay those of the file).
std::string StripJvmBlocks(std::string_view text) {
  std::string out;
  bool in_block = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    if (line.starts_with("Found one Java-level deadlock")) in_block = true;
    if (!in_block) out += line;
    if (in_block && line.starts_with("Found ") &&
        line.find(" deadlock") != std::string_view::npos && !line.starts_with("Found one")) {
      in_block = false;
    }
    out += '\n';
    pos = end + 1;
  }
  return out;
}

// The cycles of one JVM block (thread -> holder), each as its sorted thread names.
std::vector<std::vector<std::string>> BlockCycles(const std::vector<JvmDeadlockEdge>& block) {
  std::map<std::string, std::string> next;
  for (const JvmDeadlockEdge& e : block) next[e.thread] = e.holder;
  std::set<std::vector<std::string>> cycles;
  for (const auto& [start, unused] : next) {
    std::vector<std::string> path{start};
    std::string t = next[start];
    while (next.contains(t) && std::find(path.begin(), path.end(), t) == path.end()) {
      path.push_back(t);
      t = next[t];
    }
    auto it = std::find(path.begin(), path.end(), t);
    if (it == path.end()) continue;
    std::vector<std::string> c(it, path.end());
    std::sort(c.begin(), c.end());
    cycles.insert(c);
  }
  return {cycles.begin(), cycles.end()};
}

TEST(JavaConformanceTest, EveryFileParses) {
  if (!fs::exists(JavaDumpDir())) GTEST_SKIP() << "fixtures not present: " << JavaDumpDir();
  size_t files = 0;
  for (const fs::path& p : Files()) {
    SCOPED_TRACE(p.string());
    std::string bytes = ReadTestFile(p);
    DumpReader r = JavaThreadDumpReader();
    EXPECT_GE(r.probe(std::string_view(bytes).substr(0, 4096)), 0.5);
    Result<DumpAnalysis> a = r.analyze(p.string(), bytes, DumpOptions{});
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_FALSE(a->verdicts.empty());
    EXPECT_FALSE(a->text.empty());
    EXPECT_EQ(a->json.str().front(), '{');
    // Threads: every file but the one that has none.
    JavaDumpText text = DecodeJavaDumpText(bytes);
    size_t threads = 0;
    if (p.extension() == ".json") {
      Result<JavaThreadDump> d = ParseJavaThreadDumpJson(text.utf8());
      ASSERT_TRUE(d.ok());
      threads = d->threads.size();
    } else {
      std::vector<std::string> diags;
      for (const JavaThreadDump& d : ParseJavaThreadDumps(text.utf8(), &diags)) {
        threads += d.threads.size();
      }
    }
    if (p.filename() == "no-threads.log") {
      EXPECT_EQ(threads, 0u);
    } else {
      EXPECT_GT(threads, 0u);
    }
    ++files;
  }
  EXPECT_GE(files, 50u);
}

TEST(JavaConformanceTest, FindsEveryDeadlockTheJvmReportsWithTheReportRemoved) {
  if (!fs::exists(JavaDumpDir())) GTEST_SKIP() << "fixtures not present: " << JavaDumpDir();
  size_t oracle_cycles = 0, files_with_blocks = 0;
  for (const fs::path& p : Files()) {
    std::string bytes = ReadTestFile(p);
    JavaDumpText text = DecodeJavaDumpText(bytes);
    std::vector<std::string> diags;
    std::vector<JavaThreadDump> with_block = ParseJavaThreadDumps(text.utf8(), &diags);
    std::multiset<std::vector<std::string>> expected;
    for (const JavaThreadDump& d : with_block) {
      for (const auto& block : d.jvm_deadlocks) {
        for (auto& c : BlockCycles(block)) expected.insert(std::move(c));
      }
    }
    if (expected.empty()) continue;
    SCOPED_TRACE(p.string());
    ++files_with_blocks;
    std::string stripped = StripJvmBlocks(text.utf8());
    ASSERT_EQ(stripped.find("Found one Java-level deadlock"), std::string::npos);
    std::vector<JavaThreadDump> dumps = ParseJavaThreadDumps(stripped, &diags);
    std::multiset<std::vector<std::string>> found;
    for (const JavaThreadDump& d : dumps) {
      EXPECT_TRUE(d.jvm_deadlocks.empty());
      LockGraph g = BuildLockGraph(d);
      for (const WaitCycle& c : g.cycles) {
        std::vector<std::string> names;
        for (int t : c.threads) names.push_back(d.threads[t].name);
        std::sort(names.begin(), names.end());
        found.insert(names);
      }
    }
    for (const auto& c : expected) {
      ++oracle_cycles;
      EXPECT_GE(found.count(c), expected.count(c)) << "missed the JVM's cycle " << c[0] << ", ...";
    }
  }
  EXPECT_GE(files_with_blocks, 10u);
  EXPECT_GE(oracle_cycles, 25u);
}

TEST(JavaConformanceTest, TdaTestLogSplitsIntoItsThreeDumps) {
  fs::path p = fs::path(JavaDumpDir()) / "tda/test.log";
  if (!fs::exists(p)) GTEST_SKIP() << "fixtures not present: " << p;
  std::string bytes = ReadTestFile(p);
  std::vector<std::string> diags;
  std::vector<JavaThreadDump> dumps = ParseJavaThreadDumps(bytes, &diags);
  EXPECT_TRUE(diags.empty()) << diags[0];
  ASSERT_EQ(dumps.size(), 3u);
  const uint64_t lines[] = {1, 878, 1739};  // the timestamp line before each header
  const char* times[] = {"2007-11-06 10:30:41", "2007-11-06 10:30:45", "2007-11-06 10:30:46"};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(dumps[i].line, lines[i]);
    ParsedTime pt;
    ASSERT_TRUE(ParseIso8601(times[i], {}, &pt));
    EXPECT_EQ(dumps[i].time, pt.time);
    EXPECT_EQ(dumps[i].format, "jmx");
    EXPECT_TRUE(dumps[i].complete);
    EXPECT_GT(dumps[i].threads.size(), 50u);
  }
  // Every thread header of the file is in exactly one dump.
  size_t headers = 0, threads = 0;
  for (std::string_view line : Split(bytes, '\n')) headers += line.starts_with("\"");
  for (const JavaThreadDump& d : dumps) threads += d.threads.size();
  EXPECT_EQ(threads, headers);
}

TEST(JavaConformanceTest, Utf16DumpReadsLikeItsUtf8Text) {
  fs::path p = fs::path(JavaDumpDir()) / "tda/java21dump_utf16.log";
  if (!fs::exists(p)) GTEST_SKIP() << "fixtures not present: " << p;
  std::string bytes = ReadTestFile(p);
  JavaDumpText text = DecodeJavaDumpText(bytes);
  EXPECT_EQ(text.encoding, "UTF-16LE");
  std::vector<std::string> diags;
  auto dumps = ParseJavaThreadDumps(text.utf8(), &diags);
  ASSERT_EQ(dumps.size(), 1u);
  EXPECT_EQ(dumps[0].jvm, "OpenJDK 64-Bit Server VM (21.0.2+13-LTS mixed mode, sharing)");
  size_t headers = 0, virtuals = 0;
  for (std::string_view line : Split(text.utf8(), '\n')) headers += line.starts_with("\"");
  for (const JavaThread& t : dumps[0].threads) virtuals += t.is_virtual;
  EXPECT_EQ(dumps[0].threads.size(), headers);
  EXPECT_GT(virtuals, 0u);
}

TEST(JavaConformanceTest, DeadlockProgressionIsASeries) {
  std::vector<std::string> contents;
  std::vector<std::pair<std::string, std::string_view>> files;
  for (int i = 0; i < 6; ++i) {
    fs::path p =
        fs::path(JavaDumpDir()) / fmt::format("jthreaddump/deadlock-progression-{}.txt", i);
    if (!fs::exists(p)) GTEST_SKIP() << "fixtures not present: " << p;
    contents.push_back(ReadTestFile(p));
  }
  for (int i = 0; i < 6; ++i) {
    files.emplace_back(fmt::format("deadlock-progression-{}.txt", i), contents[i]);
  }
  Result<DumpAnalysis> a = AnalyzeJavaThreadDumpFiles(files, DumpOptions{});
  ASSERT_TRUE(a.ok());
  // The fourth file adds a second DeadlockCandidate pair: the series says a deadlock formed.
  bool forming = false;
  for (const Finding& f : a->verdicts) {
    if (f.kind == "deadlock-forming") {
      forming = true;
      EXPECT_NE(f.title.find("between dump 3 and dump 4"), std::string::npos) << f.title;
    }
  }
  EXPECT_TRUE(forming);
  EXPECT_NE(a->json.str().find("\"series\":{\"dumps\":6"), std::string::npos);
}

}  // namespace
}  // namespace inquest
