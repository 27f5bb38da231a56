// Which of a few dozen words each log record holds, ASCII case ignored (the question the
// change-record rules ask of every record of `analyze`'s first pass): WordSet (base/word_set.h)
// against RE2::Set with the words as quoted literals, and against one case-insensitive search
// per word, on the same generated records.
#include <benchmark/benchmark.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "base/word_set.h"

namespace inquest {
namespace {

// Change-like and nothing-changed words, of the kinds the rules hold.
const std::vector<std::string> kWords = {"invalidate",
                                         "invalidation",
                                         "cache flush",
                                         "flushall",
                                         "purge",
                                         "evict all",
                                         "feature flag",
                                         "flag changed",
                                         "flag toggled",
                                         "config reload",
                                         "reloaded config",
                                         "config changed",
                                         "settings updated",
                                         "deploying",
                                         "deployed",
                                         "deployment",
                                         "deploy.",
                                         "rollout",
                                         "rolled out",
                                         "rollback",
                                         "rolled back",
                                         "release ",
                                         "upgraded to",
                                         "migration applied",
                                         "schema migration",
                                         "no change",
                                         "nothing changed",
                                         "unchanged",
                                         "already up to date",
                                         "skipping",
                                         "dry run",
                                         "no-op"};

// Records as the first pass sees their texts: messages of JSON lines, whole access-log lines,
// Java log lines; one in 500 says a change.
const std::vector<std::string>& Records() {
  static const std::vector<std::string> records = [] {
    std::vector<std::string> r;
    for (int i = 0; i < 200000; ++i) {
      switch (i % 4) {
        case 0:
          r.push_back("request.done");
          break;
        case 1:
          r.push_back("10.0.3." + std::to_string(i % 250) +
                      " - - [29/May/2026:14:11:08 +0000] \"POST /checkout HTTP/1.1\" 200 " +
                      std::to_string(900 + i % 3000) +
                      " \"https://shop.example.com/cart\" \"Mozilla/5.0 (X11; Linux x86_64)\" "
                      "rt=0.109 request_id=" +
                      std::to_string(100000 + i));
          break;
        case 2:
          r.push_back("cache miss, origin fetch key=catalog:v98 source=pricing-db");
          break;
        default:
          r.push_back(i % 500 == 3 ? "Published catalog.invalidate key=catalog:v98 reason=sync"
                                   : "served carousel items=12 took=31ms");
      }
    }
    return r;
  }();
  return records;
}

size_t RecordBytes() {
  size_t n = 0;
  for (const std::string& r : Records()) n += r.size();
  return n;
}

void BM_WordSet(benchmark::State& state) {
  WordSet set;
  for (const std::string& w : kWords) set.Add(w);
  size_t hits = 0;
  for (auto _ : state) {
    for (const std::string& r : Records()) {
      WordSet::Found found;
      set.Scan(r, &found);
      hits += found.any();
    }
  }
  benchmark::DoNotOptimize(hits);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * RecordBytes()));
}
BENCHMARK(BM_WordSet)->Unit(benchmark::kMillisecond);

void BM_Re2Set(benchmark::State& state) {
  RE2::Options opts;
  opts.set_case_sensitive(false);
  opts.set_log_errors(false);
  RE2::Set set(opts, RE2::UNANCHORED);
  for (const std::string& w : kWords) set.Add(RE2::QuoteMeta(w), nullptr);
  set.Compile();
  size_t hits = 0;
  std::vector<int> found;
  for (auto _ : state) {
    for (const std::string& r : Records()) {
      found.clear();
      hits += set.Match(r, &found);
    }
  }
  benchmark::DoNotOptimize(hits);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * RecordBytes()));
}
BENCHMARK(BM_Re2Set)->Unit(benchmark::kMillisecond);

void BM_SearchPerWord(benchmark::State& state) {
  auto same = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  size_t hits = 0;
  for (auto _ : state) {
    for (const std::string& r : Records()) {
      bool any = false;
      for (const std::string& w : kWords)
        any |= std::search(r.begin(), r.end(), w.begin(), w.end(), same) != r.end();
      hits += any;
    }
  }
  benchmark::DoNotOptimize(hits);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * RecordBytes()));
}
BENCHMARK(BM_SearchPerWord)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace inquest

BENCHMARK_MAIN();
