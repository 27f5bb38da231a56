// Conformance with DataDog/gostackparse's test fixtures: every goroutine of every
// *.golden.json (id, state, wait, locked to thread, frames, frames elided, created by) and
// every error line it lists.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <string>

#include "base/mapped_file.h"
#include "base/time.h"
#include "dumps/go/goroutine_parser.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kNanosPerMinute = 60 * kNanosPerSecond;

fs::path GoFixtures() { return fs::path(TestFixturesDir()) / "dumps" / "go"; }

std::string Str(simdjson::dom::element e, const char* key) {
  std::string_view s;
  if (e[key].get_string().get(s)) return {};
  return std::string(s);
}

int64_t Int(simdjson::dom::element e, const char* key) {
  int64_t v = 0;
  if (e[key].get_int64().get(v)) return -1;
  return v;
}

bool Bool(simdjson::dom::element e, const char* key) {
  bool v = false;
  if (e[key].get_bool().get(v)) return false;
  return v;
}

void ExpectFrame(simdjson::dom::element want, const GoFrame& got, const std::string& where) {
  EXPECT_EQ(Str(want, "Func"), got.func) << where;
  EXPECT_EQ(Str(want, "File"), got.file) << where;
  EXPECT_EQ(Int(want, "Line"), static_cast<int64_t>(got.line)) << where;
}

TEST(GoConformance, GostackparseGoldens) {
  if (!fs::exists(GoFixtures())) GTEST_SKIP() << "no fixtures at " << GoFixtures();
  int files = 0, goroutines = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(GoFixtures())) {
    std::string name = entry.path().filename().string();
    if (!name.ends_with(".golden.json")) continue;
    std::string stem = name.substr(0, name.size() - strlen(".golden.json"));
    SCOPED_TRACE(stem);
    ++files;
    Result<MappedFile> txt = MappedFile::Open((GoFixtures() / (stem + ".txt")).string());
    ASSERT_TRUE(txt.ok()) << txt.status().ToString();
    DumpIssues issues;
    GoroutineParser parser(txt->data(), &issues);
    std::map<uint64_t, Goroutine> complete;
    Goroutine g;
    while (parser.Next(&g))
      if (!g.incomplete) complete[g.id] = g;

    simdjson::dom::parser json;
    simdjson::dom::element golden;
    ASSERT_EQ(json.load(entry.path().string()).get(golden), simdjson::SUCCESS);
    // Errors: one per damaged goroutine, on the same line.
    simdjson::dom::array errors;
    std::vector<uint64_t> want_lines;
    if (!golden["Errors"].get_array().get(errors)) {
      for (simdjson::dom::element e : errors) {
        std::string_view msg;
        ASSERT_EQ(e.get_string().get(msg), simdjson::SUCCESS);
        size_t at = msg.find("on line ");
        ASSERT_NE(at, std::string_view::npos) << msg;
        want_lines.push_back(std::stoull(std::string(msg.substr(at + 8))));
      }
    }
    std::vector<uint64_t> got_lines;
    for (const DumpIssue& i : issues.samples()) got_lines.push_back(i.line);
    EXPECT_EQ(want_lines, got_lines);

    simdjson::dom::array want;
    size_t want_count = 0;
    if (!golden["Goroutines"].get_array().get(want)) {
      for (simdjson::dom::element w : want) {
        ++want_count;
        ++goroutines;
        uint64_t id = static_cast<uint64_t>(Int(w, "ID"));
        std::string where = stem + " goroutine " + std::to_string(id);
        auto it = complete.find(id);
        ASSERT_NE(it, complete.end()) << where;
        const Goroutine& got = it->second;
        EXPECT_EQ(Str(w, "State"), got.state) << where;
        EXPECT_EQ(Int(w, "Wait"), int64_t{got.wait_minutes} * kNanosPerMinute) << where;
        EXPECT_EQ(Bool(w, "LockedToThread"), got.locked_to_thread) << where;
        EXPECT_EQ(Bool(w, "FramesElided"), got.frames_elided) << where;
        simdjson::dom::array stack;
        ASSERT_EQ(w["Stack"].get_array().get(stack), simdjson::SUCCESS);
        ASSERT_EQ(stack.size(), got.frames.size()) << where;
        size_t k = 0;
        for (simdjson::dom::element f : stack) ExpectFrame(f, got.frames[k++], where);
        simdjson::dom::element created;
        if (!w["CreatedBy"].get(created) && !created.is_null()) {
          ASSERT_TRUE(got.has_created_by) << where;
          ExpectFrame(created, got.created_by, where + " created by");
        } else {
          EXPECT_FALSE(got.has_created_by) << where;
        }
      }
    }
    EXPECT_EQ(want_count, complete.size());
  }
  EXPECT_EQ(files, 13);
  EXPECT_GT(goroutines, 20);
}

TEST(GoConformance, AncestorsAreNotPartOfTheStack) {
  fs::path p = GoFixtures() / "ancestors.txt";
  if (!fs::exists(p)) GTEST_SKIP() << "no fixture " << p;
  Result<MappedFile> txt = MappedFile::Open(p.string());
  ASSERT_TRUE(txt.ok());
  DumpIssues issues;
  GoroutineParser parser(txt->data(), &issues);
  Goroutine g;
  bool found = false;
  while (parser.Next(&g)) {
    if (g.id != 25) continue;
    found = true;
    EXPECT_EQ(g.frames.size(), 2u);
    ASSERT_FALSE(g.ancestors.empty());
    EXPECT_EQ(g.ancestors.front(), 24u);
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace inquest
