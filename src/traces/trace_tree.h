// Span trees: the spans of a SpanSet grouped by trace id and linked parent to child.
//
// Duplicate spans (the same id, times, name and service, as exporters that retry write them)
// are merged into one node and counted; two different spans with one id are both kept (the
// second gets no children) and reported. A span whose parent is not in the trace (an orphan) is
// kept under a synthetic root standing for that parent, one per missing parent id (two orphans
// of different missing parents are two unrelated pieces of the trace), and reported. Spans on a
// cycle of parents (A's parent is B, B's is A) cannot be placed: they are left out and reported
// with the cycle. A Zipkin shared server span is the child of the client span with its id.
//
//   std::vector<Trace> traces = BuildTraces(&set);   // issues are added to set.issues
//   for (uint32_t n : traces[0].order) Print(traces[0].nodes[n].depth, traces[0].SpanOf(set, n));
#ifndef INQUEST_TRACES_TRACE_TREE_H_
#define INQUEST_TRACES_TRACE_TREE_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "traces/span_set.h"

namespace inquest {

// TraceNode::span of a synthetic root: it stands for a missing parent and holds its orphans.
inline constexpr uint32_t kSyntheticSpan = UINT32_MAX;

// Which half of a Zipkin shared RPC span a node is: Zipkin lets the server reuse its client's
// span id ("shared": true), so one id names two spans, kept apart by this.
enum class SharedHalf : uint8_t { kNone, kClient, kServer };
// "", "client", "server".
std::string_view SharedHalfName(SharedHalf h);

struct TraceNode {
  uint32_t span = kSyntheticSpan;  // index into SpanSet::spans
  int32_t parent = -1;             // node index; -1 for a root
  uint32_t depth = 0;
  uint32_t child_begin = 0;  // into Trace::children (ordered by start time)
  uint32_t child_count = 0;
  uint32_t duplicates = 0;  // identical copies merged into this node
  bool orphan = false;      // its parent is not in the trace (it hangs under a synthetic root)
  // kServer: a shared server span; kClient: the client span whose id a shared server span of
  // this trace reuses.
  SharedHalf half = SharedHalf::kNone;
  // Times used by the analyses: the span's, moved by the skew adjustment when one was applied.
  TimePoint start = kNoTime;
  TimePoint end = kNoTime;
  int64_t duration() const { return end - start; }
};

// A parent that orphans name but the trace does not hold, and the synthetic node standing for it.
struct MissingParent {
  uint32_t node = 0;
  SpanId id = 0;
  std::string_view text;  // the id as written when it is not hex (a view into the SpanSet)
};

struct Trace {
  TraceId id;
  std::vector<TraceNode> nodes;
  std::vector<uint32_t> children;  // node indices, each node's children by start time
  std::vector<uint32_t> order;     // every placed node, depth first, siblings by start time
  std::vector<uint32_t> roots;     // nodes without a parent (synthetic roots last)
  TimePoint start = kNoTime;       // of the earliest span and the latest end
  TimePoint end = kNoTime;
  // The trace's span count wherever one is printed: spans placed in the tree, synthetic roots
  // not counted; identical copies merged into one node and spans left out are counted apart.
  uint32_t spans = 0;
  uint32_t duplicates = 0;  // identical copies merged (not in `spans`)
  uint32_t left_out = 0;    // spans on a parent cycle (not in `spans`)
  uint32_t error_spans = 0;
  uint32_t orphans = 0;
  std::vector<MissingParent> missing;  // one synthetic root each, by start time

  int64_t duration() const { return end - start; }
  std::span<const uint32_t> ChildrenOf(uint32_t node) const {
    return {children.data() + nodes[node].child_begin, nodes[node].child_count};
  }
  // The root the trace is named after: the earliest real root, else the first synthetic one.
  uint32_t main_root() const { return roots.empty() ? 0 : roots.front(); }
  bool IsSynthetic(uint32_t node) const { return nodes[node].span == kSyntheticSpan; }
  // The span of a node, or nullptr for a synthetic root.
  const Span* SpanOf(const SpanSet& set, uint32_t node) const {
    uint32_t s = nodes[node].span;
    return s == kSyntheticSpan ? nullptr : &set.spans[s];
  }
};

// Every trace of the set, ordered by start time; problems are added to set->issues.
std::vector<Trace> BuildTraces(SpanSet* set);

// The trace with this id (hex, either case, 16 or 32 digits; or the id text of a trace whose id
// was not hex), or nullptr.
const Trace* FindTrace(const std::vector<Trace>& traces, std::string_view id);

// The operation a trace is named after: "service: name" of its main root.
std::string TraceName(const SpanSet& set, const Trace& t);

// Recomputes each node's depth and the trace's start, end and pre-order after node times change.
void RefreshTrace(const SpanSet& set, Trace* t);

}  // namespace inquest

#endif  // INQUEST_TRACES_TRACE_TREE_H_
