#include "native/hotspot_vmstructs.h"

#include <fmt/format.h>

#include <cstring>
#include <vector>

namespace inquest {
namespace {

// An entry of a table, read whole (its stride) and taken apart at the published offsets.
class Entry {
 public:
  bool Load(const RuntimeMemory& m, uint64_t addr, size_t stride) {
    bytes_.resize(stride);
    return m.Bytes(addr, bytes_.data(), stride);
  }
  template <typename T>
  bool At(uint64_t offset, T* out) const {
    if (offset > bytes_.size() || bytes_.size() - offset < sizeof(T)) return false;
    std::memcpy(out, bytes_.data() + offset, sizeof(T));
    return true;
  }

 private:
  std::vector<char> bytes_;
};

// The value of one of libjvm's exported layout variables (each a uint64_t).
bool Variable(const HotSpotTables::SymbolFn& symbol, const RuntimeMemory& m, std::string_view name,
              uint64_t* out) {
  uint64_t at = symbol(name);
  return at != 0 && m.Get(at, out);
}

// The table's layout: the address of its first entry, the stride and the named offsets.
struct Layout {
  uint64_t first = 0;
  uint64_t stride = 0;
  std::vector<uint64_t> offsets;
};

Status ReadLayout(const HotSpotTables::SymbolFn& symbol, const RuntimeMemory& m,
                  std::string_view table, std::string_view prefix,
                  const std::vector<std::string_view>& names, Layout* out) {
  uint64_t table_at = symbol(table);
  if (table_at == 0 || !m.Pointer(table_at, &out->first) || out->first == 0) {
    return Status::BadInput(fmt::format("{} is not readable in the core", table));
  }
  std::string stride = fmt::format("{}ArrayStride", prefix);
  if (!Variable(symbol, m, stride, &out->stride) || out->stride == 0 || out->stride > 256) {
    return Status::BadInput(fmt::format("{} is missing or implausible", stride));
  }
  for (std::string_view n : names) {
    uint64_t v = 0;
    std::string var = fmt::format("{}{}Offset", prefix, n);
    if (!Variable(symbol, m, var, &v) || v >= out->stride) {
      return Status::BadInput(fmt::format("{} is missing or outside its entry", var));
    }
    out->offsets.push_back(v);
  }
  return Status::Ok();
}

// Reads entries from `layout.first` until one whose first name pointer is null, calling
// `take(entry, name)` for each; fails naming the entry that could not be read.
template <typename Take>
Status ReadEntries(const RuntimeMemory& m, std::string_view table, const Layout& layout,
                   Take take) {
  Entry e;
  for (size_t i = 0;; ++i) {
    if (i == kMaxHotSpotEntries) {
      return Status::BadInput(fmt::format("{} has no end within {} entries", table, i));
    }
    uint64_t at = layout.first + i * layout.stride;
    uint64_t name_at = 0;
    if (!e.Load(m, at, layout.stride) || !e.At(layout.offsets[0], &name_at)) {
      return Status::BadInput(
          fmt::format("{} entry {} (at {:#x}) is not in the core", table, i, at));
    }
    if (name_at == 0) return Status::Ok();
    std::string name;
    if (!m.CString(name_at, kMaxHotSpotNameBytes, &name)) {
      return Status::BadInput(fmt::format("{} entry {}: its name is not readable", table, i));
    }
    if (Status s = take(e, std::move(name), i); !s.ok()) return s;
  }
}

}  // namespace

Result<HotSpotTables> HotSpotTables::Read(const SymbolFn& symbol, const ReadMemoryFn& read) {
  RuntimeMemory m(read);
  HotSpotTables t;
  Layout structs;
  Status s = ReadLayout(symbol, m, "gHotSpotVMStructs", "gHotSpotVMStructEntry",
                        {"TypeName", "FieldName", "TypeString", "IsStatic", "Offset", "Address"},
                        &structs);
  if (!s.ok()) return s;
  s = ReadEntries(m, "gHotSpotVMStructs", structs, [&](const Entry& e, std::string type, size_t i) {
    uint64_t field_at = 0, type_string_at = 0;
    int32_t is_static = 0;
    HotSpotField f;
    std::string field;
    if (!e.At(structs.offsets[1], &field_at) || !e.At(structs.offsets[2], &type_string_at) ||
        !e.At(structs.offsets[3], &is_static) || !e.At(structs.offsets[4], &f.offset) ||
        !e.At(structs.offsets[5], &f.address) || field_at == 0 ||
        !m.CString(field_at, kMaxHotSpotNameBytes, &field)) {
      return Status::BadInput(
          fmt::format("gHotSpotVMStructs entry {} ({}) is not readable", i, type));
    }
    f.is_static = is_static != 0;
    // A type string may be absent (null) for some entries; the field is still usable.
    if (type_string_at != 0) m.CString(type_string_at, kMaxHotSpotNameBytes, &f.type);
    t.fields_.emplace(type + "::" + field, std::move(f));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  Layout types;
  if (ReadLayout(symbol, m, "gHotSpotVMTypes", "gHotSpotVMTypeEntry",
                 {"TypeName", "Size", "SuperclassName"}, &types)
          .ok()) {
    s = ReadEntries(m, "gHotSpotVMTypes", types, [&](const Entry& e, std::string name, size_t) {
      uint64_t size = 0, super_at = 0;
      std::string super;
      if (e.At(types.offsets[2], &super_at) && super_at != 0 &&
          m.CString(super_at, kMaxHotSpotNameBytes, &super)) {
        t.supers_.emplace(name, std::move(super));
      }
      if (e.At(types.offsets[1], &size)) t.sizes_.emplace(std::move(name), size);
      return Status::Ok();
    });
    if (!s.ok()) t.problems_.push_back(s.message() + "; the entries before it are used");
  }
  Layout ints;
  if (ReadLayout(symbol, m, "gHotSpotVMIntConstants", "gHotSpotVMIntConstantEntry",
                 {"Name", "Value"}, &ints)
          .ok()) {
    s = ReadEntries(m, "gHotSpotVMIntConstants", ints,
                    [&](const Entry& e, std::string name, size_t) {
                      int32_t v = 0;
                      if (e.At(ints.offsets[1], &v)) t.ints_.emplace(std::move(name), v);
                      return Status::Ok();
                    });
    if (!s.ok()) t.problems_.push_back(s.message() + "; the entries before it are used");
  }
  Layout longs;
  if (ReadLayout(symbol, m, "gHotSpotVMLongConstants", "gHotSpotVMLongConstantEntry",
                 {"Name", "Value"}, &longs)
          .ok()) {
    s = ReadEntries(m, "gHotSpotVMLongConstants", longs,
                    [&](const Entry& e, std::string name, size_t) {
                      int64_t v = 0;
                      if (e.At(longs.offsets[1], &v)) t.longs_.emplace(std::move(name), v);
                      return Status::Ok();
                    });
    if (!s.ok()) t.problems_.push_back(s.message() + "; the entries before it are used");
  }
  return t;
}

const HotSpotField* HotSpotTables::Field(std::string_view type, std::string_view field) const {
  std::string at(type);
  for (int depth = 0; depth < kMaxHotSpotTypeDepth; ++depth) {
    auto it = fields_.find(fmt::format("{}::{}", at, field));
    if (it != fields_.end()) return &it->second;
    auto super = supers_.find(at);
    if (super == supers_.end()) return nullptr;
    at = super->second;
  }
  return nullptr;
}

std::optional<uint64_t> HotSpotTables::TypeSize(std::string_view type) const {
  auto it = sizes_.find(type);
  if (it == sizes_.end()) return std::nullopt;
  return it->second;
}

std::optional<int64_t> HotSpotTables::IntConstant(std::string_view name) const {
  auto it = ints_.find(name);
  if (it == ints_.end()) return std::nullopt;
  return it->second;
}

std::optional<int64_t> HotSpotTables::LongConstant(std::string_view name) const {
  auto it = longs_.find(name);
  if (it == longs_.end()) return std::nullopt;
  return it->second;
}

}  // namespace inquest
