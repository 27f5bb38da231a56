#include "traces/node_ref.h"

#include <fmt/format.h>

#include <unordered_map>

namespace inquest {
namespace {

const MissingParent* MissingOf(const Trace& t, uint32_t node) {
  for (const MissingParent& m : t.missing)
    if (m.node == node) return &m;
  return nullptr;
}

std::string BaseRef(const SpanSet& set, const Trace& t, uint32_t node) {
  if (const Span* s = t.SpanOf(set, node)) return SpanLabel(*s);
  return NodeSpanId(set, t, node);
}

}  // namespace

std::string NodeSpanId(const SpanSet& set, const Trace& t, uint32_t node) {
  if (const Span* s = t.SpanOf(set, node))
    return s->span_id_text.empty() ? FormatSpanId(s->span_id) : std::string(s->span_id_text);
  const MissingParent* m = MissingOf(t, node);
  if (!m) return "-";
  return m->text.empty() ? FormatSpanId(m->id) : std::string(m->text);
}

std::vector<std::string> NodeRefs(const SpanSet& set, const Trace& t) {
  std::vector<std::string> refs(t.nodes.size());
  std::vector<uint8_t> placed(t.nodes.size(), 0);
  for (uint32_t n : t.order) placed[n] = 1;
  std::unordered_map<std::string, uint32_t> seen;
  // Node indices follow start time (synthetic roots come last), so numbers do too.
  for (uint32_t n = 0; n < t.nodes.size(); ++n) {
    refs[n] = BaseRef(set, t, n);
    if (!placed[n]) continue;
    uint32_t k = ++seen[refs[n]];
    if (k > 1) refs[n] += fmt::format("#{}", k);
  }
  return refs;
}

}  // namespace inquest
