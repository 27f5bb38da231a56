// How output names the spans of one trace. A span id alone does not identify a span: Zipkin's
// shared RPC spans give the client and server halves one id (and each receiver of a message
// reuses it again), and some exports hold two different spans with one id. Every output (text,
// Markdown, JSON, the skew and critical-path lists) prints a node's ref, unique in its trace:
//   - the span's id as written, with "+server" on a shared server half (SpanLabel);
//   - for a synthetic root, the id of the missing parent it stands for;
//   - "#2", "#3", ... on the second and later nodes whose text would be the same, by start time.
//
//   std::vector<std::string> refs = NodeRefs(set, trace);
//   for (uint32_t n : trace.order) Print(refs[n], SharedHalfName(trace.nodes[n].half));
#ifndef INQUEST_TRACES_NODE_REF_H_
#define INQUEST_TRACES_NODE_REF_H_

#include <string>
#include <vector>

#include "traces/trace_tree.h"

namespace inquest {

// One ref per node of `t` (indexed by node); nodes outside the tree (on a parent cycle) get
// their span's label without a number.
std::vector<std::string> NodeRefs(const SpanSet& set, const Trace& t);

// The id a node's span carries as written (no "+server", no number), or for a synthetic root the
// missing parent's id.
std::string NodeSpanId(const SpanSet& set, const Trace& t, uint32_t node);

}  // namespace inquest

#endif  // INQUEST_TRACES_NODE_REF_H_
