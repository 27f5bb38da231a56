// Reading a large OTLP/JSON trace export, against simdjson's own throughput on the same bytes
// (the ceiling: an On Demand walk that touches every span's fields and decodes nothing). The
// file comes from bench/traces_generate.py; bench/traces_compare.sh runs this beside jq.
//
//   INQUEST_TRACES_FILE=bench/data/traces-1g.json build-bench/bench/traces_benchmark
//
// Throughput is bytes of the file per second of wall time (bytes_per_second); on a shared
// machine compare the CPU column too.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdlib>
#include <string>

#include "base/input_file.h"
#include "traces/critical_path.h"
#include "traces/span_set.h"
#include "traces/trace_tree.h"

namespace inquest {
namespace {

namespace od = simdjson::ondemand;

std::string FilePath() {
  const char* p = std::getenv("INQUEST_TRACES_FILE");
  return p ? p : "bench/data/traces-1g.json";
}

// The ceiling: iterate every document, every resourceSpans/scopeSpans/spans array and every
// field of every span, reading nothing but the keys. The spans are counted so the walk is not
// optimised away.
uint64_t WalkSpans(const simdjson::padded_string& buf) {
  od::parser parser;
  od::document_stream stream;
  if (parser.iterate_many(buf, 64 << 20).get(stream)) return 0;
  uint64_t spans = 0;
  for (auto doc : stream) {
    od::object root;
    if (doc.get_object().get(root)) break;
    for (auto f : root) {
      od::array rs;
      if (f.value().get_array().get(rs)) continue;
      for (auto r : rs) {
        od::object ro;
        if (r.get_object().get(ro)) break;
        od::array scopes;
        if (ro["scopeSpans"].get_array().get(scopes)) continue;
        for (auto sc : scopes) {
          od::object so;
          if (sc.get_object().get(so)) break;
          od::array sp;
          if (so["spans"].get_array().get(sp)) continue;
          for (auto s : sp) {
            od::object obj;
            if (s.get_object().get(obj)) break;
            for (auto field : obj) {
              std::string_view k;
              if (field.unescaped_key().get(k)) break;
            }
            ++spans;
          }
        }
      }
    }
  }
  return spans;
}

void BM_SimdjsonWalk(benchmark::State& state) {
  simdjson::padded_string buf;
  if (simdjson::padded_string::load(FilePath()).get(buf)) {
    state.SkipWithError("cannot read INQUEST_TRACES_FILE");
    return;
  }
  uint64_t spans = 0;
  for (auto _ : state) spans = WalkSpans(buf);
  state.counters["spans"] = static_cast<double>(spans);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buf.size()));
}

void BM_ReadSpans(benchmark::State& state) {
  uint64_t bytes = 0, spans = 0;
  for (auto _ : state) {
    SpanSet set;
    Status s = ReadTraceFile(FilePath(), &set);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
    bytes = set.files[0].bytes;
    spans = set.spans.size();
  }
  state.counters["spans"] = static_cast<double>(spans);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void BM_ReadTreesCriticalPaths(benchmark::State& state) {
  uint64_t bytes = 0, traces = 0;
  for (auto _ : state) {
    SpanSet set;
    Status s = ReadTraceFile(FilePath(), &set);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
    std::vector<Trace> all = BuildTraces(&set);
    int64_t total = 0;
    for (const Trace& t : all) total += ComputeCriticalPath(set, t).total_ns;
    benchmark::DoNotOptimize(total);
    bytes = set.files[0].bytes;
    traces = all.size();
  }
  state.counters["traces"] = static_cast<double>(traces);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

// One iteration each: a pass over a gigabyte is long enough to time on its own.
BENCHMARK(BM_SimdjsonWalk)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadSpans)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReadTreesCriticalPaths)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace inquest

BENCHMARK_MAIN();
