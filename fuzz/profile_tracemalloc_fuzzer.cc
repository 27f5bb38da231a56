// Python tracemalloc snapshots: the pickle reader, the statistics in every grouping, a
// comparison of the input with itself, and the three renderings, on any bytes.
#include <string>
#include <string_view>

#include "profile/tracemalloc_output.h"
#include "profile/tracemalloc_snapshot.h"
#include "profile/tracemalloc_stats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace inquest::profile;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)LooksLikeTracemallocSnapshot(bytes);
  inquest::Result<TracemallocSnapshot> snap =
      ReadTracemallocSnapshotFromBytes(bytes, "fuzz.pickle");
  if (!snap.ok()) {
    // Every refusal says where.
    if (snap.status().code() != inquest::StatusCode::kBadInput) __builtin_trap();
    return 0;
  }
  for (TraceGroup g : {TraceGroup::kLineno, TraceGroup::kFilename, TraceGroup::kTraceback}) {
    for (bool cumulative : {false, true}) {
      inquest::Result<TracemallocStats> s = Statistics(*snap, g, cumulative);
      if (!s.ok()) continue;
      // Without cumulative mode the groups share the traced blocks out exactly.
      uint64_t count = 0;
      for (const TracemallocStat& r : s->rows) count += static_cast<uint64_t>(r.count);
      if (!cumulative && count != snap->traces.size()) __builtin_trap();
      (void)TracemallocText(*s, 5);
      (void)TracemallocMarkdown(*s, 5);
      (void)TracemallocJson(*s, 0);
      (void)TracemallocHeadline(*s);
    }
    inquest::Result<TracemallocStats> d = CompareTo(*snap, *snap, g, false);
    if (!d.ok()) __builtin_trap();
    for (const TracemallocStat& r : d->rows)
      if (r.size_diff != 0 || r.count_diff != 0) __builtin_trap();
    (void)TracemallocText(*d, 5);
  }
  return 0;
}
