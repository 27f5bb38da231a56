// pprof profiles: profile.proto or legacy text heap profiles (decompressed bytes), pruned, then
// the top table by function, line and file, alone and as a diff against itself, in every
// rendering, and the flame graph.
#include <string>
#include <string_view>

#include "profile/flame_graph.h"
#include "profile/profile_flame.h"
#include "profile/profile_output.h"
#include "profile/profile_read.h"
#include "profile/profile_top.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace inquest::profile;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)LooksLikeProfile(bytes);
  inquest::Result<Profile> p = ReadProfileFromBytes(bytes, "fuzz.pb");
  if (!p.ok() || p->sample_types.empty()) return 0;
  inquest::Result<size_t> type = ChooseSampleType(*p, "");
  if (!type.ok()) return 0;
  for (Granularity by : {Granularity::kFunctions, Granularity::kLines, Granularity::kFiles}) {
    TopTable t = ComputeTop(*p, {.sample_type = *type, .by = by, .node_fraction = 0});
    TopView v{&*p, &t, nullptr};
    (void)TopText(v);
    (void)TopMarkdown(v);
    (void)TopJson(v);
    TopTable d = ComputeTop(*p, {.sample_type = *type, .by = by, .max_rows = 5}, &*p);
    for (const TopRow& r : d.rows)
      if (r.flat != 0) __builtin_trap();  // a profile minus itself is zero everywhere
    inquest::Result<FlameGraph> g = RenderFlameGraph(ProfileFlameInput(*p, *type, by, nullptr));
    (void)g;
  }
  return 0;
}
