#include "traces/trace_tree.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>

namespace inquest {

std::string_view SharedHalfName(SharedHalf h) {
  switch (h) {
    case SharedHalf::kClient:
      return "client";
    case SharedHalf::kServer:
      return "server";
    case SharedHalf::kNone:
      break;
  }
  return "";
}

namespace {

// Key of a span within its trace: its id, and whether it is a Zipkin shared server span.
struct IdKey {
  SpanId id;
  bool shared;
  uint32_t node;
  bool operator<(const IdKey& o) const {
    return id != o.id ? id < o.id : shared != o.shared ? shared < o.shared : node < o.node;
  }
};

int32_t Lookup(const std::vector<IdKey>& keys, SpanId id, bool shared) {
  auto it = std::lower_bound(keys.begin(), keys.end(), IdKey{id, shared, 0});
  if (it == keys.end() || it->id != id || it->shared != shared) return -1;
  return static_cast<int32_t>(it->node);
}

bool SameSpan(const Span& a, const Span& b) {
  return a.start == b.start && a.end == b.end && a.name == b.name && a.service == b.service &&
         a.parent_id == b.parent_id;
}

// Builds one trace from the spans `idx` (all with one trace id, ordered by start time).
Trace BuildOne(SpanSet* set, std::span<const uint32_t> idx) {
  Trace t;
  t.id = set->spans[idx.front()].trace_id;
  // Nodes, merging identical duplicates.
  std::vector<IdKey> keys;
  keys.reserve(idx.size());
  for (uint32_t i : idx) {
    const Span& s = set->spans[i];
    TraceNode n;
    n.span = i;
    n.start = s.start;
    n.end = s.end;
    t.nodes.push_back(n);
    keys.push_back(IdKey{s.span_id, s.shared, static_cast<uint32_t>(t.nodes.size() - 1)});
  }
  std::sort(keys.begin(), keys.end());
  std::vector<uint8_t> dropped(t.nodes.size(), 0);  // 1: merged duplicate, 2: id clash
  for (size_t k = 1; k < keys.size(); ++k) {
    if (keys[k].id != keys[k - 1].id || keys[k].shared != keys[k - 1].shared) continue;
    // keys[k - 1] is the first node with this id (or an earlier clash, which points to it).
    size_t first = k - 1;
    while (first > 0 && keys[first - 1].id == keys[k].id &&
           keys[first - 1].shared == keys[k].shared)
      --first;
    TraceNode& keep = t.nodes[keys[first].node];
    const Span& a = set->spans[keep.span];
    const Span& b = set->spans[t.nodes[keys[k].node].span];
    if (SameSpan(a, b)) {
      dropped[keys[k].node] = 1;
      keep.duplicates++;
    } else if (b.shared) {
      // Several receivers of one message (Zipkin messaging): each is its own server span.
      dropped[keys[k].node] = 2;
    } else {
      dropped[keys[k].node] = 2;
      set->AddIssue(b.file, b.offset, SpanLabel(b),
                    fmt::format("another span has the same id ({}); this one is kept without "
                                "children",
                                set->SpanSource(a)));
    }
  }
  // Only the first node of each id answers lookups, except for shared server spans: a child
  // of a shared id goes to the receiver on its own host that was running when it started.
  std::vector<IdKey> lookup;
  lookup.reserve(keys.size());
  for (const IdKey& k : keys)
    if (!dropped[k.node] || (dropped[k.node] == 2 && k.shared)) lookup.push_back(k);
  auto shared_parent = [&](SpanId id, const Span& child) -> int32_t {
    auto it = std::lower_bound(lookup.begin(), lookup.end(), IdKey{id, true, 0});
    int32_t best = -1;
    int best_score = -1;
    for (; it != lookup.end() && it->id == id && it->shared; ++it) {
      const Span& p = set->spans[t.nodes[it->node].span];
      int score =
          (p.host == child.host ? 2 : 0) + (p.start <= child.start && child.start <= p.end ? 1 : 0);
      if (score > best_score) {
        best = static_cast<int32_t>(it->node);
        best_score = score;
      }
    }
    return best;
  };
  // Parents. An orphan is filed under the id of the parent it names (for a shared server span
  // without its client, the client's id).
  std::vector<uint32_t> orphans;
  std::vector<SpanId> orphan_parent;
  std::vector<std::string_view> orphan_text;
  for (uint32_t n = 0; n < t.nodes.size(); ++n) {
    if (dropped[n] == 1) continue;
    const Span& s = set->spans[t.nodes[n].span];
    int32_t p = -1;
    bool has_parent = s.parent_id != 0;
    if (s.shared) {
      p = Lookup(lookup, s.span_id, false);
      if (p >= 0) t.nodes[p].half = SharedHalf::kClient;
      if (p < 0 && has_parent) p = Lookup(lookup, s.parent_id, false);
      has_parent = has_parent || p >= 0;
      t.nodes[n].half = SharedHalf::kServer;
    } else if (has_parent) {
      // A child of a shared id belongs to the server side of it.
      p = shared_parent(s.parent_id, s);
      if (p < 0) p = Lookup(lookup, s.parent_id, false);
    }
    if (p == static_cast<int32_t>(n)) p = -1;
    if (has_parent && p < 0) {
      t.nodes[n].orphan = true;
      orphans.push_back(n);
      orphan_parent.push_back(s.shared ? s.span_id : s.parent_id);
      orphan_text.push_back(s.shared ? s.span_id_text : s.parent_id_text);
      continue;
    }
    t.nodes[n].parent = p;
  }
  // One synthetic root per missing parent, in the order of their first (earliest) orphan.
  std::map<SpanId, int32_t> synthetic_of;
  for (size_t k = 0; k < orphans.size(); ++k) {
    int32_t& synth = synthetic_of.try_emplace(orphan_parent[k], -1).first->second;
    if (synth < 0) {
      TraceNode node;
      node.span = kSyntheticSpan;
      node.start = INT64_MAX;
      node.end = INT64_MIN;
      synth = static_cast<int32_t>(t.nodes.size());
      t.nodes.push_back(node);
      dropped.push_back(0);
      t.missing.push_back(
          MissingParent{static_cast<uint32_t>(synth), orphan_parent[k], orphan_text[k]});
    }
    TraceNode& o = t.nodes[orphans[k]];
    o.parent = synth;
    t.nodes[synth].start = std::min(t.nodes[synth].start, o.start);
    t.nodes[synth].end = std::max(t.nodes[synth].end, o.end);
    const Span& s = set->spans[o.span];
    set->AddIssue(s.file, s.offset, SpanLabel(s),
                  fmt::format("parent {} is not in the trace; shown under a synthetic root",
                              orphan_text[k].empty() ? FormatSpanId(orphan_parent[k])
                                                     : std::string(orphan_text[k])));
  }
  t.orphans = static_cast<uint32_t>(orphans.size());
  // Children lists (nodes are in start order, so each list is too).
  std::vector<uint32_t> counts(t.nodes.size(), 0);
  for (uint32_t n = 0; n < t.nodes.size(); ++n)
    if (dropped[n] != 1 && t.nodes[n].parent >= 0) counts[t.nodes[n].parent]++;
  uint32_t at = 0;
  for (uint32_t n = 0; n < t.nodes.size(); ++n) {
    t.nodes[n].child_begin = at;
    at += counts[n];
  }
  t.children.resize(at);
  std::fill(counts.begin(), counts.end(), 0);
  for (uint32_t n = 0; n < t.nodes.size(); ++n) {
    if (dropped[n] == 1 || t.nodes[n].parent < 0) continue;
    TraceNode& p = t.nodes[t.nodes[n].parent];
    t.children[p.child_begin + counts[t.nodes[n].parent]++] = n;
  }
  for (uint32_t n = 0; n < t.nodes.size(); ++n) t.nodes[n].child_count = counts[n];
  for (uint32_t n = 0; n < t.nodes.size(); ++n)
    if (dropped[n] != 1 && t.nodes[n].parent < 0 && !t.IsSynthetic(n)) t.roots.push_back(n);
  for (const MissingParent& m : t.missing) t.roots.push_back(m.node);
  RefreshTrace(*set, &t);
  // Nodes not reached from a root sit on a cycle of parents (or under one).
  std::vector<uint8_t> placed(t.nodes.size(), 0);
  for (uint32_t n : t.order) placed[n] = 1;
  for (uint32_t n = 0; n < t.nodes.size(); ++n) {
    if (dropped[n] == 1 || placed[n]) continue;
    t.left_out++;
    // Walk up to find the cycle for the message.
    std::vector<uint32_t> path;
    std::vector<uint8_t> seen(t.nodes.size(), 0);
    int32_t c = static_cast<int32_t>(n);
    while (c >= 0 && !seen[c]) {
      seen[c] = 1;
      path.push_back(static_cast<uint32_t>(c));
      c = t.nodes[c].parent;
    }
    std::string chain;
    if (c >= 0) {
      auto from = std::find(path.begin(), path.end(), static_cast<uint32_t>(c));
      for (auto it = from; it != path.end(); ++it)
        chain += SpanLabel(set->spans[t.nodes[*it].span]) + " -> ";
      chain += SpanLabel(set->spans[t.nodes[c].span]);
    }
    const Span& s = set->spans[t.nodes[n].span];
    set->AddIssue(s.file, s.offset, SpanLabel(s),
                  fmt::format("on or under a cycle of parents ({}); left out of the tree", chain));
  }
  for (uint32_t n = 0; n < t.nodes.size(); ++n) t.duplicates += dropped[n] == 1;
  for (uint32_t n : t.order) {
    const Span* s = t.SpanOf(*set, n);
    if (!s) continue;
    t.spans++;
    if (s->error()) t.error_spans++;
  }
  return t;
}

}  // namespace

void RefreshTrace(const SpanSet& set, Trace* t) {
  t->order.clear();
  t->start = INT64_MAX;
  t->end = INT64_MIN;
  std::vector<uint32_t> stack;
  // Roots by start time, the synthetic ones last.
  for (auto it = t->roots.rbegin(); it != t->roots.rend(); ++it) {
    t->nodes[*it].depth = 0;
    stack.push_back(*it);
  }
  while (!stack.empty()) {
    uint32_t n = stack.back();
    stack.pop_back();
    t->order.push_back(n);
    const TraceNode& node = t->nodes[n];
    t->start = std::min(t->start, node.start);
    t->end = std::max(t->end, node.end);
    auto kids = t->ChildrenOf(n);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
      t->nodes[*it].depth = node.depth + 1;
      stack.push_back(*it);
    }
  }
  if (t->order.empty()) t->start = t->end = kNoTime;
}

std::vector<Trace> BuildTraces(SpanSet* set) {
  // Sorting compact keys rather than indices into the spans keeps the sort in cache.
  struct Key {
    uint64_t hi, lo;
    TimePoint start;
    uint32_t index;
  };
  const std::vector<Span>& spans = set->spans;
  std::vector<Key> keys(spans.size());
  for (uint32_t i = 0; i < spans.size(); ++i)
    keys[i] = Key{spans[i].trace_id.hi, spans[i].trace_id.lo, spans[i].start, i};
  std::sort(keys.begin(), keys.end(), [](const Key& x, const Key& y) {
    if (x.hi != y.hi) return x.hi < y.hi;
    if (x.lo != y.lo) return x.lo < y.lo;
    if (x.start != y.start) return x.start < y.start;
    return x.index < y.index;
  });
  std::vector<uint32_t> idx(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) idx[i] = keys[i].index;
  keys = {};
  std::vector<Trace> traces;
  for (size_t i = 0; i < idx.size();) {
    size_t j = i + 1;
    while (j < idx.size() && spans[idx[j]].trace_id == spans[idx[i]].trace_id) ++j;
    traces.push_back(BuildOne(set, std::span<const uint32_t>(idx.data() + i, j - i)));
    i = j;
  }
  std::stable_sort(traces.begin(), traces.end(),
                   [](const Trace& a, const Trace& b) { return a.start < b.start; });
  return traces;
}

const Trace* FindTrace(const std::vector<Trace>& traces, std::string_view id) {
  TraceId want;
  if (!ParseHexTraceId(id, &want)) want = TraceId{0, HashIdText(id), false};
  for (const Trace& t : traces)
    if (t.id == want) return &t;
  return nullptr;
}

std::string TraceName(const SpanSet& set, const Trace& t) {
  if (t.roots.empty()) return "?";
  const Span* s = t.SpanOf(set, t.main_root());
  if (!s) return "(missing root)";
  return fmt::format("{}: {}", s->service.empty() ? "?" : s->service, s->name);
}

}  // namespace inquest
