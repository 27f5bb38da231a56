#include "profile/profile_top.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "base/strings.h"
#include "profile/profile_math.h"
#include "profile/profile_nodes.h"

namespace inquest::profile {
namespace {

struct NodeSums {
  std::vector<int64_t> flat, cum;
  std::vector<uint64_t> seen;  // the sample stamp that last added to cum
};

struct EdgeState {
  uint64_t stamp = 0;
  int64_t weight = 0;
  bool inline_only = true;
};
using EdgeMap = absl::flat_hash_map<uint64_t, EdgeState>;

// One pass over the samples of `p` (negated when `sign` < 0) the way pprof builds its graph:
// frames from the root down; cum once per node per sample, edges once per sample, flat to the
// leaf (into `sums` when given); nodes not `kept` (when given) skipped, an edge then joining
// the nearest kept caller, as pprof's graph of kept nodes does.
void WalkSamples(const Profile& p, const ProfileNodes::LocationNodes& map, size_t type, int sign,
                 const std::vector<uint8_t>* kept, NodeSums* sums, EdgeMap& edges,
                 uint64_t& stamp) {
  const size_t types = p.sample_types.size();
  for (size_t s = 0; s < p.samples.size(); ++s) {
    int64_t w = p.values[s * types + type];
    if (w == 0) continue;
    if (sign < 0) w = WrapNeg(w);
    ++stamp;
    const Sample& sample = p.samples[s];
    uint32_t parent = kNone;
    bool residual = false;
    for (uint32_t i = sample.location_count; i-- > 0;) {
      uint32_t loc = p.stack[sample.first_location + i];
      uint32_t begin = map.first[loc], end = map.first[loc + 1];
      for (uint32_t k = end; k-- > begin;) {
        uint32_t n = map.nodes[k];
        if (kept && !(*kept)[n]) {
          residual = true;
          continue;
        }
        if (sums && sums->seen[n] != stamp) {
          sums->seen[n] = stamp;
          sums->cum[n] = WrapAdd(sums->cum[n], w);
        }
        if (parent != kNone && n != parent) {
          EdgeState& e = edges[(uint64_t{parent} << 32) | n];
          // The edge stays inline only if every sample reached n as an inlined callee within
          // a location (not the location's own, last, line).
          if (e.stamp != stamp) {
            e.stamp = stamp;
            e.weight = WrapAdd(e.weight, w);
            if (k == end - 1) e.inline_only = false;
          }
        }
        parent = n;
        residual = false;
      }
    }
    if (sums && parent != kNone && !residual) sums->flat[parent] = WrapAdd(sums->flat[parent], w);
  }
}

// Per node: bit 0 an inline in-edge, bit 1 a call in-edge, among the edges whose |weight|
// reaches the cutoff (pprof trims lighter edges before it labels nodes).
std::vector<uint8_t> InEdges(const EdgeMap& edges, size_t nodes, int64_t cutoff) {
  std::vector<uint8_t> in(nodes, 0);
  for (const auto& [key, e] : edges)
    if (WrapAbs(e.weight) >= cutoff) in[key & 0xffffffffu] |= e.inline_only ? 1 : 2;
  return in;
}

bool ByFlat(const TopRow& a, const TopRow& b) {
  if (WrapAbs(a.flat) != WrapAbs(b.flat)) return WrapAbs(a.flat) > WrapAbs(b.flat);
  if (a.name != b.name) return a.name < b.name;
  return WrapAbs(a.cum) > WrapAbs(b.cum);
}

bool ByCum(const TopRow& a, const TopRow& b) {
  if (WrapAbs(a.cum) != WrapAbs(b.cum)) return WrapAbs(a.cum) > WrapAbs(b.cum);
  if (a.name != b.name) return a.name < b.name;
  return WrapAbs(a.flat) > WrapAbs(b.flat);
}

// The sum of |value| over the profile's samples, as pprof takes it: after its merge of samples
// with the same stack and labels (which only matters when a profile mixes signs).
int64_t AbsTotal(const Profile& p, size_t type) {
  int64_t total = 0;
  const size_t types = p.sample_types.size();
  bool mixed = false;
  for (size_t s = 0; s < p.samples.size(); ++s) {
    int64_t v = p.values[s * types + type];
    mixed |= v < 0;
    total = WrapAdd(total, WrapAbs(v));
  }
  if (!mixed) return total;
  absl::flat_hash_map<std::string, int64_t> merged;
  std::string key;
  for (size_t s = 0; s < p.samples.size(); ++s) {
    const Sample& sample = p.samples[s];
    key.clear();
    for (uint32_t loc : p.Stack(sample)) key.append(reinterpret_cast<const char*>(&loc), 4);
    key += '\0';
    for (const Label& l : p.Labels(sample))
      key += fmt::format("{}:{}:{}:{};", p.Str(l.key), p.Str(l.str), l.num, p.Str(l.num_unit));
    int64_t& sum = merged[key];
    sum = WrapAdd(sum, p.values[s * types + type]);
  }
  total = 0;
  for (const auto& [k, v] : merged) total = WrapAdd(total, WrapAbs(v));
  return total;
}

}  // namespace

Result<size_t> ChooseSampleType(const Profile& p, std::string_view wanted) {
  if (p.sample_types.empty())
    return Status::BadInput("the profile declares no sample types", SourceLocation{p.source});
  std::string known;
  for (size_t i = 0; i < p.sample_types.size(); ++i)
    known += fmt::format("{}{} ({})", i ? ", " : "", p.sample_types[i].type, i);
  if (wanted.empty()) wanted = p.default_sample_type;
  if (wanted.empty()) return p.sample_types.size() - 1;
  for (size_t i = 0; i < p.sample_types.size(); ++i)
    if (p.sample_types[i].type == wanted) return i;
  if (std::optional<int64_t> n = ParseInt(wanted);
      n && *n >= 0 && static_cast<size_t>(*n) < p.sample_types.size())
    return static_cast<size_t>(*n);
  return Status::InvalidArgument(
      fmt::format("{} has no sample type \"{}\"; it has {}", p.source, wanted, known));
}

Status CheckComparable(const Profile& p, const Profile& base) {
  bool same = p.sample_types.size() == base.sample_types.size();
  for (size_t i = 0; same && i < p.sample_types.size(); ++i)
    same = p.sample_types[i].type == base.sample_types[i].type &&
           p.sample_types[i].unit == base.sample_types[i].unit;
  if (same) return Status::Ok();
  auto list = [](const Profile& x) {
    std::string out;
    for (const ValueType& t : x.sample_types) out += fmt::format(" {}/{}", t.type, t.unit);
    return out;
  };
  return Status::InvalidArgument(
      fmt::format("{} and {} measure different things ({} against {}): they cannot be compared",
                  base.source, p.source, list(base), list(p)));
}

TopTable ComputeTop(const Profile& p, const TopOptions& options, const Profile* base) {
  TopTable t;
  t.sample_type = p.sample_types[options.sample_type].type;
  t.unit = p.sample_types[options.sample_type].unit;
  t.diff = base != nullptr;
  t.node_fraction = options.node_fraction;
  ProfileNodes nodes(options.by);
  ProfileNodes::LocationNodes map = nodes.Map(p);
  ProfileNodes::LocationNodes base_map;
  if (base) base_map = nodes.Map(*base);
  const size_t type = options.sample_type;

  NodeSums sums;
  sums.flat.assign(nodes.size(), 0);
  sums.cum.assign(nodes.size(), 0);
  sums.seen.assign(nodes.size(), 0);
  EdgeMap edges;
  uint64_t stamp = 0;
  WalkSamples(p, map, type, 1, nullptr, &sums, edges, stamp);
  if (base) WalkSamples(*base, base_map, type, -1, nullptr, &sums, edges, stamp);

  t.total = base ? AbsTotal(*base, type) : 0;
  if (t.total == 0) t.total = AbsTotal(p, type);

  // pprof's trimming: nodes whose |cum| is below the fraction of the flat sum go, then the
  // first max_rows of the sorted rest stay.
  int64_t flat_sum = 0;
  for (int64_t f : sums.flat) flat_sum = WrapAdd(flat_sum, f);
  const int64_t cutoff = WrapAbs(GoInt64(static_cast<double>(flat_sum) * options.node_fraction));
  std::vector<uint32_t> order;
  for (uint32_t n = 0; n < nodes.size(); ++n) {
    if (sums.flat[n] == 0 && sums.cum[n] == 0) continue;
    ++t.nodes;
    if (WrapAbs(sums.cum[n]) < cutoff) {
      ++t.dropped;
      continue;
    }
    t.rows.push_back(TopRow{nodes.name(n), sums.flat[n], sums.cum[n], InlineMark::kNone});
    order.push_back(n);
  }
  t.kept = t.rows.size();
  // Sort indexes with the rows so each row keeps its node.
  std::vector<size_t> idx(t.rows.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  auto less = options.sort_by_cum ? ByCum : ByFlat;
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return less(t.rows[a], t.rows[b]); });
  if (idx.size() > options.max_rows) idx.resize(options.max_rows);
  std::vector<TopRow> rows;
  std::vector<uint8_t> kept(nodes.size(), 0);
  rows.reserve(idx.size());
  for (size_t i : idx) {
    rows.push_back(std::move(t.rows[i]));
    kept[order[i]] = 1;
  }
  // Inline marks come from the edges of the graph of the nodes shown, as in pprof.
  if (rows.size() < t.nodes) {
    edges.clear();
    WalkSamples(p, map, type, 1, &kept, nullptr, edges, stamp);
    if (base) WalkSamples(*base, base_map, type, -1, &kept, nullptr, edges, stamp);
  }
  const int64_t edge_cutoff =
      WrapAbs(GoInt64(static_cast<double>(flat_sum) * options.edge_fraction));
  std::vector<uint8_t> in = InEdges(edges, nodes.size(), edge_cutoff);
  for (size_t r = 0; r < rows.size(); ++r) {
    uint8_t bits = in[order[idx[r]]];
    if (bits & 1)
      rows[r].inline_mark = (bits & 2) ? InlineMark::kPartialInline : InlineMark::kInline;
  }
  t.rows = std::move(rows);
  return t;
}

}  // namespace inquest::profile
