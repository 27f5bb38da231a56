#include "profile/profile_flame.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <cstring>
#include <string>

#include "profile/profile_math.h"

namespace inquest::profile {
namespace {

// Appends each sample's frames (root first) to `in`; with `net`, sums identical stacks in it
// instead of adding stacks.
void AppendStacks(const Profile& p, const ProfileNodes::LocationNodes& map, size_t type, int sign,
                  FlameInput& in, absl::flat_hash_map<std::string, int64_t>* net) {
  const size_t types = p.sample_types.size();
  std::vector<uint32_t> frames;
  for (size_t s = 0; s < p.samples.size(); ++s) {
    int64_t w = p.values[s * types + type];
    if (w == 0) continue;
    const Sample& sample = p.samples[s];
    frames.clear();
    for (uint32_t i = sample.location_count; i-- > 0;) {
      uint32_t loc = p.stack[sample.first_location + i];
      for (uint32_t k = map.first[loc + 1]; k-- > map.first[loc];) frames.push_back(map.nodes[k]);
    }
    if (net) {
      std::string key(frames.size() * sizeof(uint32_t), '\0');
      if (!frames.empty()) std::memcpy(key.data(), frames.data(), key.size());
      int64_t& sum = (*net)[key];
      sum = WrapAdd(sum, sign < 0 ? WrapNeg(w) : w);
      continue;
    }
    if (in.frames.size() + frames.size() > UINT32_MAX) return;  // a sketch; the rest is left out
    in.stacks.push_back(
        {static_cast<uint32_t>(in.frames.size()), static_cast<uint32_t>(frames.size()), w});
    in.frames.insert(in.frames.end(), frames.begin(), frames.end());
  }
}

}  // namespace

FlameInput ProfileFlameInput(const Profile& p, size_t type, Granularity by, const Profile* base) {
  FlameInput in;
  ProfileNodes nodes(by);
  ProfileNodes::LocationNodes map = nodes.Map(p);
  const ValueType& t = p.sample_types[type];
  in.unit = FlameUnitFromName(t.unit);
  if (!base) {
    in.title = fmt::format("{} ({})", t.type, p.source);
    AppendStacks(p, map, type, 1, in, nullptr);
  } else {
    in.title = fmt::format("{} growth ({} minus {})", t.type, p.source, base->source);
    ProfileNodes::LocationNodes base_map = nodes.Map(*base);
    absl::flat_hash_map<std::string, int64_t> net;
    AppendStacks(p, map, type, 1, in, &net);
    AppendStacks(*base, base_map, type, -1, in, &net);
    for (const auto& [key, value] : net) {
      if (value == 0) continue;
      size_t count = key.size() / sizeof(uint32_t);
      in.stacks.push_back(
          {static_cast<uint32_t>(in.frames.size()), static_cast<uint32_t>(count), value});
      size_t at = in.frames.size();
      in.frames.resize(at + count);
      if (count) std::memcpy(in.frames.data() + at, key.data(), key.size());
    }
  }
  in.names = std::move(nodes).TakeNames();
  return in;
}

FlameInput TracemallocFlameInput(const TracemallocSnapshot& snap) {
  FlameInput in;
  in.unit = FlameUnit::kBytes;
  in.title = fmt::format("traced memory ({})", snap.name);
  absl::flat_hash_map<uint64_t, uint32_t> names;  // (file, line) -> name index
  auto name_of = [&](const TracemallocFrame& f) {
    uint64_t key = (uint64_t{f.filename} << 32) | f.lineno;
    auto [it, fresh] = names.try_emplace(key, static_cast<uint32_t>(in.names.size()));
    if (fresh) in.names.push_back(fmt::format("{}:{}", snap.filenames[f.filename], f.lineno));
    return it->second;
  };
  for (const TracemallocTrace& t : snap.traces) {
    std::span<const TracemallocFrame> frames = snap.Frames(t);
    if (in.frames.size() + frames.size() > UINT32_MAX) break;
    in.stacks.push_back({static_cast<uint32_t>(in.frames.size()),
                         static_cast<uint32_t>(frames.size()), static_cast<int64_t>(t.size)});
    for (size_t i = frames.size(); i-- > 0;) in.frames.push_back(name_of(frames[i]));
  }
  return in;
}

}  // namespace inquest::profile
