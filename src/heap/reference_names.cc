// HeapGraph::NameReferences: one more pass over the dump, decoding only the objects asked about.
#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include "heap/heap_graph.h"

namespace inquest::heap {
namespace {

struct NamingPass : HprofVisitor {
  const HeapGraph* g;
  // object id -> (index into names, target id) of every pair it is the source of
  absl::flat_hash_map<uint64_t, std::vector<std::pair<size_t, uint64_t>>> wanted;
  std::vector<std::string>* names;
  const std::vector<std::pair<size_t, uint64_t>>* array = nullptr;
  uint64_t element = 0;

  void OnInstance(uint64_t id, uint64_t, std::string_view fields, uint64_t) override {
    auto it = wanted.find(id);
    if (it == wanted.end()) return;
    uint32_t i = g->Find(id);
    const HeapClass& c = g->classes()[g->ClassOf(i)];
    int idsz = g->header().id_size;
    for (auto& [slot, target] : it->second) {
      for (const HeapField& f : c.layout) {
        if (f.type != kTypeObject || f.offset + idsz > fields.size()) continue;
        if (ReadBigEndian(fields, f.offset, idsz) == target) {
          (*names)[slot] = "field " + f.name;
          break;
        }
      }
    }
  }
  void OnObjectArray(uint64_t id, uint64_t, uint32_t, uint64_t) override {
    auto it = wanted.find(id);
    array = it == wanted.end() ? nullptr : &it->second;
    element = 0;
  }
  void OnArrayElements(std::string_view raw) override {
    if (array == nullptr) return;
    int idsz = g->header().id_size;
    for (size_t p = 0; p + idsz <= raw.size(); p += idsz, ++element) {
      uint64_t v = ReadBigEndian(raw, p, idsz);
      for (auto& [slot, target] : *array)
        if (v == target && (*names)[slot].empty()) (*names)[slot] = fmt::format("[{}]", element);
    }
  }
  void OnPrimitiveArray(uint64_t, uint8_t, uint32_t, uint64_t) override { array = nullptr; }
  void OnClassDump(const HprofClassDump&, uint64_t) override { array = nullptr; }
};

}  // namespace

std::vector<std::string> HeapGraph::NameReferences(
    const std::vector<std::pair<uint32_t, uint32_t>>& pairs) const {
  std::vector<std::string> names(pairs.size());
  NamingPass pass;
  pass.g = this;
  pass.names = &names;
  for (size_t k = 0; k < pairs.size(); ++k) {
    auto [from, to] = pairs[k];
    const HeapClass& c = classes_[object_class_[from]];
    uint64_t target = IdOf(to);
    if (c.kind == HeapClass::Kind::kClass) {
      const HeapClass& own = classes_[length_[from]];
      for (const auto& s : own.statics)
        if (s.type == kTypeObject && s.value == target)
          names[k] = "static " + std::string(String(s.name_id));
      if (names[k].empty() && own.super_id == target) names[k] = "super class";
      if (names[k].empty() && own.loader_id == target) names[k] = "class loader";
      continue;
    }
    bool local = false;
    for (const HeapThread& t : threads_)
      if (t.object == from && std::binary_search(t.locals.begin(), t.locals.end(), to))
        local = true;
    if (local) {
      names[k] = "local variable";
      continue;
    }
    if (c.id == target) {
      names[k] = "its class";
      continue;
    }
    pass.wanted[IdOf(from)].push_back({k, target});
  }
  // A pass that fails part way leaves the names it could not reach empty.
  if (!pass.wanted.empty()) (void)Reread(&pass);
  return names;
}

}  // namespace inquest::heap
