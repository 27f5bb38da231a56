// Every Java thread dump and hs_err fixture, rendered as `inquest dump` renders it: each claim
// the headline makes must agree with the detail rendered beside it (text, Markdown, JSON).
// A "no contention" headline above a contended lock, a deadlock headline without its cycle, a
// cut dump whose headline does not say so, an empty name in a crash headline all fail here.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "dumps/dump.h"
#include "dumps/java/dump_summary.h"
#include "dumps/java/java_readers.h"
#include "tests/support/test_files.h"

namespace inquest {
namespace verdict_consistency_test {

namespace fs = std::filesystem;

std::vector<fs::path> FixtureFiles(const std::string& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

bool Contains(std::string_view s, std::string_view p) {
  return s.find(p) != std::string_view::npos;
}

std::string_view JsonStr(simdjson::dom::element e, const char* key) {
  std::string_view v;
  return e[key].get_string().get(v) == simdjson::SUCCESS ? v : std::string_view();
}

// The reader `inquest dump` would pick for the file's head, as the command picks it.
std::string_view DetectedReader(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 256 * 1024);
  std::string_view best;
  double best_score = 0.5;
  for (const DumpReader& r : DumpReaders()) {
    double s = r.probe(head);
    if (s > best_score) best = r.name, best_score = s;
  }
  return best;
}

// The quoted thread names in a title: "\"a\" and \"b\" each hold ..." -> {a, b}.
std::vector<std::string> QuotedNames(std::string_view title) {
  std::vector<std::string> out;
  for (size_t b = title.find('"'); b != std::string_view::npos;) {
    size_t e = title.find('"', b + 1);
    if (e == std::string_view::npos) break;
    out.emplace_back(title.substr(b + 1, e - b - 1));
    b = title.find('"', e + 1);
  }
  return out;
}

// "RUNNABLE 12, WAITING 4" from the JSON "states" object, in the enum's order.
std::string StatesFromJson(simdjson::dom::element dump) {
  std::vector<std::string> parts;
  for (int i = 0; i <= static_cast<int>(JavaThreadState::kUnknown); ++i) {
    std::string_view name = JavaThreadStateName(static_cast<JavaThreadState>(i));
    int64_t n = 0;
    if (dump["states"][name].get_int64().get(n) == simdjson::SUCCESS && n > 0)
      parts.push_back(fmt::format("{} {}", name, n));
  }
  return parts.empty() ? "none" : fmt::format("{}", fmt::join(parts, ", "));
}

size_t ArraySize(simdjson::dom::element e, const char* key) {
  simdjson::dom::array a;
  return e[key].get_array().get(a) == simdjson::SUCCESS ? a.size() : 0;
}

TEST(VerdictConsistencyTest, JavaHeadlinesAgreeWithTheirDetail) {
  std::vector<fs::path> files = FixtureFiles(TestFixturesDir() + "/dumps/java");
  if (files.empty()) GTEST_SKIP() << "fixtures not present";
  size_t quiet_with_waits = 0, incomplete = 0;
  for (const fs::path& p : files) {
    SCOPED_TRACE(p.string());
    std::string bytes = ReadTestFile(p);
    EXPECT_EQ(DetectedReader(bytes), "java-threads");
    Result<DumpAnalysis> a = JavaThreadDumpReader().analyze(p.string(), bytes, DumpOptions{});
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_FALSE(a->verdicts.empty());
    const std::string& head = a->verdicts.front().title;
    SCOPED_TRACE(head);
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(a->json.str()).get(doc), simdjson::SUCCESS);
    simdjson::dom::array dumps;
    ASSERT_EQ(doc["dumps"].get_array().get(dumps), simdjson::SUCCESS);
    ASSERT_GT(dumps.size(), 0u);
    simdjson::dom::element last;
    ASSERT_EQ(dumps.at(dumps.size() - 1).get(last), simdjson::SUCCESS);
    uint64_t last_threads = 0;
    ASSERT_EQ(last["threads"].get_uint64().get(last_threads), simdjson::SUCCESS);
    size_t cycles = 0;
    std::vector<std::string> cycle_threads;
    std::vector<std::string> cut;
    for (simdjson::dom::element d : dumps) {
      cycles += ArraySize(d, "deadlocks");
      simdjson::dom::array dl;
      if (d["deadlocks"].get_array().get(dl) == simdjson::SUCCESS)
        for (simdjson::dom::element c : dl)
          for (simdjson::dom::element e : c["edges"])
            cycle_threads.emplace_back(JsonStr(e, "thread"));
      bool complete = false;
      EXPECT_EQ(d["complete"].get_bool().get(complete), simdjson::SUCCESS);
      std::string_view why = JsonStr(d, "incomplete");
      if (!why.empty()) cut.emplace_back(why);
      if (!complete) EXPECT_FALSE(why.empty()) << "a dump not complete must say why";
    }
    const Finding* quiet = nullptr;
    bool deadlock = false;
    for (const Finding& f : a->verdicts) {
      if (f.kind == "no-deadlock") quiet = &f;
      if (f.kind == "deadlock") {
        deadlock = true;
        // A deadlock headline only over a cycle the detail shows, thread for thread.
        for (const std::string& name : QuotedNames(f.title)) {
          EXPECT_NE(std::find(cycle_threads.begin(), cycle_threads.end(), name),
                    cycle_threads.end())
              << name << " is named deadlocked but is in no cycle of the detail";
        }
      }
      if (f.kind == "lock-contention") {  // its lock is listed with at least that many waiters
        EXPECT_TRUE(Contains(a->text, "Contended locks:"));
      }
    }
    EXPECT_EQ(deadlock, cycles > 0);
    if (cycles > 0) {
      EXPECT_TRUE(Contains(a->text, "Deadlocks (") || Contains(a->text, "deadlock cycle(s)"));
    }
    if (quiet != nullptr) {
      EXPECT_EQ(cycles, 0u);
      // The counts and states the headline gives are the detail's.
      EXPECT_TRUE(Contains(
          quiet->title,
          fmt::format("among {} ({})", JavaCount(last_threads, "thread"), StatesFromJson(last))));
      bool says_none = Contains(quiet->title, "no deadlock or contention");
      simdjson::dom::array contended;
      ASSERT_EQ(last["contended"].get_array().get(contended), simdjson::SUCCESS);
      if (says_none) {
        EXPECT_EQ(contended.size(), 0u) << "\"no contention\" above a contended lock";
        EXPECT_FALSE(Contains(a->text, "Contended locks:"));
        EXPECT_FALSE(Contains(a->markdown, "**Contended locks**"));
        EXPECT_FALSE(Contains(StatesFromJson(last), "BLOCKED")) << "\"no contention\" with a "
                                                                   "BLOCKED thread";
      } else {
        ++quiet_with_waits;
        // What the headline says waits is what the detail lists first.
        simdjson::dom::element first;
        if (contended.at(0).get(first) == simdjson::SUCCESS) {
          std::string_view lock = JsonStr(first, "lock");
          EXPECT_TRUE(Contains(quiet->title, fmt::format("<0x{}>", lock)));
          EXPECT_TRUE(Contains(a->text, fmt::format("<0x{}>", lock)));
        }
      }
    }
    // A dump read in part says so first, in every format, and is less sure of what it lacks.
    if (!cut.empty()) {
      ++incomplete;
      EXPECT_EQ(a->verdicts.front().kind, "dump-incomplete");
      for (const std::string& c : cut) {
        EXPECT_TRUE(Contains(head, c));
        EXPECT_TRUE(Contains(a->text, c));
        EXPECT_TRUE(Contains(a->markdown, c));
      }
      if (quiet != nullptr) EXPECT_LE(quiet->confidence, kIncompleteDumpConfidence);
    } else {
      EXPECT_NE(a->verdicts.front().kind, "dump-incomplete");
      if (quiet != nullptr) EXPECT_EQ(quiet->confidence, kWholeDumpConfidence);
    }
  }
  // The fixtures hold both: quiet dumps with a short wait, and fragments.
  EXPECT_GE(quiet_with_waits, 3u);
  EXPECT_GE(incomplete, 3u);
}

// Headline phrase per crash site, as the detail names it ("Crash site (...)").
struct SitePhrase {
  std::string_view site;
  std::string_view headline;
};
constexpr SitePhrase kSitePhrases[] = {
    {"a jump to a bad address", "a jump to"},
    {"code in no library", "belongs to no library"},
    {"native library called through JNI", "called through JNI"},
    {"native library loaded through JNA", "through JNA"},
    {"system library", "crash in system library"},
    {"native library", "native "},
    {"JIT-compiled Java code", "crash in JIT-compiled Java code"},
    {"AOT-compiled Java code", "crash in AOT-compiled Java code"},
    {"interpreted Java code", "crash in interpreted Java code"},
    {"VM-generated stub code", "crash in VM-generated stub code"},
    {"the JVM's JIT compiler", "crash in the JIT compiler"},
    {"the JVM's sun.misc.Unsafe access", "crash in sun.misc.Unsafe access"},
    {"the JVM's garbage collector", "crash in the garbage collector"},
    {"the JVM", "crash inside the JVM"},
};

// The marks an empty name leaves in a title: "native library  in", "compiler () in".
void ExpectNoEmptyNames(std::string_view title) {
  EXPECT_FALSE(Contains(title, "  ")) << title;
  EXPECT_FALSE(Contains(title, " ()")) << title;
  EXPECT_FALSE(Contains(title, "()  ")) << title;
  EXPECT_FALSE(Contains(title, " in ,")) << title;
  EXPECT_FALSE(title.ends_with(" in") || title.ends_with(": ") || title.ends_with(" ")) << title;
}

TEST(VerdictConsistencyTest, HsErrHeadlinesAgreeWithTheirDetail) {
  std::vector<fs::path> files = FixtureFiles(TestFixturesDir() + "/dumps/hs_err");
  if (files.empty()) GTEST_SKIP() << "fixtures not present";
  size_t sites = 0, fragments = 0;
  for (const fs::path& p : files) {
    SCOPED_TRACE(p.string());
    std::string bytes = ReadTestFile(p);
    // One treatment of fragments: every file is read as what it is, none rejected.
    EXPECT_EQ(DetectedReader(bytes), "hs-err");
    Result<DumpAnalysis> a = HsErrReader().analyze(p.string(), bytes, DumpOptions{});
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_EQ(a->verdicts.size(), 1u);
    const Finding& v = a->verdicts[0];
    SCOPED_TRACE(v.title);
    ExpectNoEmptyNames(v.title);
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(a->json.str()).get(doc), simdjson::SUCCESS);
    std::string_view error = JsonStr(doc, "error");
    bool oom = v.kind == "jvm-native-oom" || v.kind == "jvm-thread-limit";
    if (error.empty() && !oom) {
      ++fragments;
      EXPECT_EQ(v.kind, "hs-err-fragment");
      EXPECT_TRUE(v.title.starts_with("fragment: no error header")) << v.title;
      EXPECT_TRUE(Contains(a->text, "(no error header)"));
    } else {
      EXPECT_NE(v.kind, "hs-err-fragment");
    }
    if (oom) {  // every cause line the detail shows is in the headline
      simdjson::dom::array causes;
      if (doc["out_of_memory_causes"].get_array().get(causes) == simdjson::SUCCESS) {
        for (simdjson::dom::element c : causes) {
          std::string_view text;
          ASSERT_EQ(c.get_string().get(text), simdjson::SUCCESS);
          EXPECT_TRUE(Contains(v.title, text));
        }
      } else if (!JsonStr(doc, "out_of_memory").empty()) {
        EXPECT_TRUE(Contains(v.title, JsonStr(doc, "out_of_memory")));
      }
    }
    if (v.kind == "jvm-internal-error" && !JsonStr(doc, "error_detail").empty()) {
      EXPECT_TRUE(Contains(v.title, JsonStr(doc, "error_detail")));
    }
    simdjson::dom::element site;
    if (doc["crash_site"].get(site) == simdjson::SUCCESS && site.is_object() && !oom) {
      ++sites;
      std::string_view kind = JsonStr(site, "kind"), name = JsonStr(site, "name");
      EXPECT_FALSE(name.empty());
      EXPECT_TRUE(Contains(v.title, name)) << "the headline names the crash site " << name;
      auto phrase = std::find_if(std::begin(kSitePhrases), std::end(kSitePhrases),
                                 [&](const SitePhrase& s) { return s.site == kind; });
      ASSERT_NE(phrase, std::end(kSitePhrases)) << kind;
      EXPECT_TRUE(Contains(v.title, phrase->headline)) << kind;
      EXPECT_TRUE(Contains(a->text, fmt::format("Crash site ({}): {}", kind, name)));
    }
  }
  EXPECT_GE(sites, 15u);
  EXPECT_GE(fragments, 5u);
}

}  // namespace verdict_consistency_test
}  // namespace inquest
