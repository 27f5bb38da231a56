#include "heap/collections.h"

#include <absl/container/flat_hash_map.h>

#include "heap/top_k.h"

namespace inquest::heap {

const std::vector<CollectionCountField>& CollectionCountFields() {
  static const std::vector<CollectionCountField> kFields = {
      {"java.util.HashMap", "size"},
      {"java.util.TreeMap", "size"},
      {"java.util.IdentityHashMap", "size"},
      {"java.util.WeakHashMap", "size"},
      {"java.util.Hashtable", "count"},
      {"java.util.ArrayList", "size"},
      {"java.util.LinkedList", "size"},
      {"java.util.Vector", "elementCount"},
      {"java.util.PriorityQueue", "size"},
      {"java.util.concurrent.ArrayBlockingQueue", "count"},
      {"java.util.concurrent.PriorityBlockingQueue", "size"},
      // The uncontended count; under contention part of it sits in counterCells.
      {"java.util.concurrent.ConcurrentHashMap", "baseCount"},
      {"java.util.concurrent.ConcurrentSkipListMap", "baseCount"},
  };
  return kFields;
}

namespace {

// The count field's offset in the instances of class `key`, or -1: the first class up the
// chain that the table names.
int CountFieldOffset(const HeapGraph& g, uint32_t key,
                     const absl::flat_hash_map<uint64_t, uint32_t>& by_id) {
  const HeapClass& c = g.classes()[key];
  if (c.kind != HeapClass::Kind::kInstance) return -1;
  const HeapClass* k = &c;
  for (int depth = 0; k != nullptr && depth < 64; ++depth) {
    for (const CollectionCountField& f : CollectionCountFields()) {
      if (k->name != f.class_name) continue;
      // The subclass's layout holds the superclass's fields after its own: the last of that
      // name is the table class's.
      int offset = -1;
      for (const HeapField& field : c.layout)
        if (field.name == f.field && field.type == kTypeInt) offset = int(field.offset);
      return offset;
    }
    auto it = by_id.find(k->super_id);
    k = it == by_id.end() ? nullptr : &g.classes()[it->second];
  }
  return -1;
}

}  // namespace

struct CollectionCounter::Pass : HprofVisitor {
  absl::flat_hash_map<uint64_t, std::pair<size_t, int>> wanted;  // id -> (row, offset)
  std::vector<CollectionRow>* rows = nullptr;
  void OnInstance(uint64_t id, uint64_t, std::string_view fields, uint64_t) override {
    auto it = wanted.find(id);
    if (it == wanted.end()) return;
    auto [row, offset] = it->second;
    if (size_t(offset) + 4 <= fields.size())
      (*rows)[row].elements = int32_t(uint32_t(ReadBigEndian(fields, offset, 4)));
  }
};

CollectionCounter::CollectionCounter(const HeapGraph& g, const DominatorTree& t, size_t top,
                                     const std::vector<uint32_t>& also)
    : pass_(std::make_unique<Pass>()) {
  absl::flat_hash_map<uint64_t, uint32_t> by_id;
  for (uint32_t k = 0; k < g.classes().size(); ++k)
    if (g.classes()[k].dumped && g.classes()[k].id != 0) by_id[g.classes()[k].id] = k;
  std::vector<int> offset(g.classes().size());
  for (uint32_t k = 0; k < g.classes().size(); ++k) offset[k] = CountFieldOffset(g, k, by_id);
  pass_->rows = &rows_;
  auto add = [&](uint32_t i) {
    if (offset[g.ClassOf(i)] < 0 || pass_->wanted.contains(g.IdOf(i))) return;
    pass_->wanted[g.IdOf(i)] = {rows_.size(), offset[g.ClassOf(i)]};
    rows_.push_back({i, -1});
  };
  for (uint32_t i : also) add(i);
  for (uint32_t i : TopBy(g.objects(), top, [&](uint32_t i) {
         return t.idom[i] != kNoIndex && offset[g.ClassOf(i)] >= 0 ? t.retained[i] : 0;
       }))
    add(i);
}

CollectionCounter::~CollectionCounter() = default;

HprofVisitor* CollectionCounter::visitor() { return rows_.empty() ? nullptr : pass_.get(); }

}  // namespace inquest::heap
