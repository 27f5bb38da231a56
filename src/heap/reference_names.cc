#include "heap/reference_names.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

namespace inquest::heap {

struct ReferenceNamer::Pass : HprofVisitor {
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

ReferenceNamer::ReferenceNamer(const HeapGraph& g,
                               const std::vector<std::pair<uint32_t, uint32_t>>& pairs)
    : names_(pairs.size()), pass_(std::make_unique<Pass>()) {
  Pass& pass = *pass_;
  pass.g = &g;
  pass.names = &names_;
  std::vector<std::string>& names = names_;
  for (size_t k = 0; k < pairs.size(); ++k) {
    auto [from, to] = pairs[k];
    const HeapClass& c = g.classes()[g.ClassOf(from)];
    uint64_t target = g.IdOf(to);
    if (c.kind == HeapClass::Kind::kClass) {
      const HeapClass& own = g.classes()[g.ArrayLength(from)];
      for (const auto& s : own.statics)
        if (s.type == kTypeObject && s.value == target)
          names[k] = "static " + std::string(g.String(s.name_id));
      if (names[k].empty() && own.super_id == target) names[k] = "super class";
      if (names[k].empty() && own.loader_id == target) names[k] = "class loader";
      continue;
    }
    bool local = false;
    for (const HeapThread& t : g.threads())
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
    pass.wanted[g.IdOf(from)].push_back({k, target});
  }
}

ReferenceNamer::~ReferenceNamer() = default;

HprofVisitor* ReferenceNamer::visitor() { return pass_.get(); }

}  // namespace inquest::heap
