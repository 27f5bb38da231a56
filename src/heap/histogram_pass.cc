#include "heap/histogram_pass.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>

#include "heap/class_names.h"
#include "heap/hprof_reader.h"
#include "heap/shallow_size.h"

namespace inquest::heap {
namespace {

struct Counts {
  uint64_t instances = 0;
  uint64_t elements = 0;
  uint64_t bytes[2] = {0, 0};  // arrays: with 4- and with 8-byte references
  uint64_t largest[2] = {0, 0};
};

struct ClassInfo {
  uint64_t super_id = 0;
  std::vector<uint8_t> field_types;
  std::vector<uint8_t> static_types;
};

class HistogramVisitor : public HprofVisitor {
 public:
  void OnHeader(const HprofHeader& h) override { header = h; }
  void OnString(uint64_t id, std::string_view s) override { strings[id] = std::string(s); }
  void OnLoadClass(uint32_t, uint64_t class_id, uint64_t name_id) override {
    names[class_id] = name_id;
  }
  void OnRoot(RootKind, uint64_t, uint32_t, int32_t) override { ++roots; }
  void OnClassDump(const HprofClassDump& c, uint64_t) override {
    Next(c.id);
    ClassInfo& k = classes[c.id];
    k.super_id = c.super_id;
    k.field_types.clear();
    k.static_types.clear();
    for (const auto& f : c.fields) k.field_types.push_back(f.type);
    for (const auto& s : c.statics) k.static_types.push_back(s.type);
  }
  void OnInstance(uint64_t id, uint64_t class_id, std::string_view, uint64_t) override {
    Next(id);
    if (class_id != last_class_) {
      last_class_ = class_id;
      last_counts_ = &instances[class_id];
    }
    ++last_counts_->instances;
  }
  void OnObjectArray(uint64_t id, uint64_t class_id, uint32_t length, uint64_t) override {
    Next(id);
    Add(&arrays[class_id], length, 4, header.id_size);
    array_id_ = id;
    array_length_ = length;
  }
  void OnPrimitiveArray(uint64_t id, uint8_t type, uint32_t length, uint64_t) override {
    Next(id);
    int es = HprofTypeSize(type, header.id_size);
    Counts& c = primitives[type & 15];
    ++c.instances;
    c.elements += length;
    for (int r = 0; r < 2; ++r) {
      ShallowSizing s{header.id_size, r == 0 ? 4 : header.id_size, 8};
      uint64_t size = PrimitiveArraySize(s, type, length);
      c.bytes[r] += size;
      c.largest[r] = std::max(c.largest[r], size);
    }
    (void)es;
  }

  void Add(Counts* c, uint32_t length, int, int) {
    ++c->instances;
    c->elements += length;
    for (int r = 0; r < 2; ++r) {
      ShallowSizing s{header.id_size, r == 0 ? 4 : header.id_size, 8};
      uint64_t size = ObjectArraySize(s, length);
      c->bytes[r] += size;
      c->largest[r] = std::max(c->largest[r], size);
    }
  }
  // Each object record: judges the object array before it (compressed references when this
  // object starts inside the span its elements would take with 8-byte ones).
  void Next(uint64_t id) {
    ++objects;
    if (array_id_ != 0 && header.id_size == 8 && id > array_id_ &&
        id < array_id_ + 16 + uint64_t{array_length_} * 8)
      compressed = true;
    array_id_ = 0;
  }

  HprofHeader header;
  absl::flat_hash_map<uint64_t, std::string> strings;
  absl::flat_hash_map<uint64_t, uint64_t> names;
  absl::flat_hash_map<uint64_t, ClassInfo> classes;
  absl::flat_hash_map<uint64_t, Counts> instances;
  absl::flat_hash_map<uint64_t, Counts> arrays;
  Counts primitives[16];
  uint64_t objects = 0;
  uint64_t roots = 0;
  bool compressed = false;

 private:
  uint64_t last_class_ = ~uint64_t{0};
  Counts* last_counts_ = nullptr;
  uint64_t array_id_ = 0;
  uint32_t array_length_ = 0;
};

std::string NameOf(const HistogramVisitor& v, uint64_t class_id) {
  auto n = v.names.find(class_id);
  auto s = n == v.names.end() ? v.strings.end() : v.strings.find(n->second);
  if (s == v.strings.end()) return fmt::format("unknown-class@0x{:x}", class_id);
  return JavaClassName(s->second);
}

}  // namespace

Result<HeapReport> HistogramOnly(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return Status::IoError("cannot read the file", path);
  INQ_ASSIGN_OR_RETURN(auto stream, ByteStream::Open(path));
  uint64_t size = stream->compression() == Compression::kNone ? uint64_t(st.st_size) : 0;
  HistogramVisitor v;
  HprofCounts counts;
  Status read = ReadHprof(std::move(stream), &v, &counts, size);
  if (!read.ok() && (v.objects == 0 || counts.over_limit)) return read;
  HeapReport r;
  r.histogram_only = true;
  r.path = path;
  r.version = v.header.version;
  r.id_size = v.header.id_size;
  r.ref_size = v.compressed ? 4 : v.header.id_size;
  r.alignment = 8;
  r.time_ms = v.header.time_ms;
  r.time = v.header.time();
  r.objects = v.objects;
  r.roots = v.roots;
  if (!read.ok())
    r.warnings.push_back(fmt::format("{}; the histogram counts the {} objects before it",
                                     read.ToString(), v.objects));
  int variant = v.compressed || v.header.id_size == 4 ? 0 : 1;
  ShallowSizing s{v.header.id_size, r.ref_size, 8};
  for (const auto& [class_id, c] : v.instances) {
    std::vector<std::vector<uint8_t>> chain;
    uint64_t k = class_id;
    for (int depth = 0; k != 0 && depth < 256; ++depth) {
      auto it = v.classes.find(k);
      if (it == v.classes.end()) break;
      chain.push_back(it->second.field_types);
      k = it->second.super_id;
    }
    uint64_t each = chain.empty() ? 0 : InstanceSize(s, chain);
    r.histogram.push_back(
        ClassRow{NameOf(v, class_id), c.instances, c.instances * each, 0, 0, each});
  }
  for (const auto& [class_id, c] : v.arrays)
    r.histogram.push_back(ClassRow{NameOf(v, class_id), c.instances, c.bytes[variant], 0,
                                   c.elements, c.largest[variant]});
  for (int t = 0; t < 16; ++t)
    if (v.primitives[t].instances > 0)
      r.histogram.push_back(ClassRow{std::string(PrimitiveArrayName(uint8_t(t))),
                                     v.primitives[t].instances, v.primitives[t].bytes[variant], 0,
                                     v.primitives[t].elements, v.primitives[t].largest[variant]});
  uint64_t class_objects = 0, class_bytes = 0;
  for (const auto& [id, c] : v.classes) {
    ++class_objects;
    class_bytes += StaticsSize(s, c.static_types);
  }
  if (class_objects > 0)
    r.histogram.push_back(ClassRow{"java.lang.Class", class_objects, class_bytes, 0, 0, 0});
  for (const ClassRow& row : r.histogram) r.total_bytes += row.shallow;
  std::sort(r.histogram.begin(), r.histogram.end(), [](const ClassRow& a, const ClassRow& b) {
    return a.shallow != b.shallow ? a.shallow > b.shallow : a.name < b.name;
  });
  return r;
}

}  // namespace inquest::heap
