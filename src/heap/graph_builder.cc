#include "heap/graph_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <utility>

#include "heap/class_names.h"
#include "heap/shallow_size.h"

namespace inquest::heap {
namespace {

// Superclass chains longer than this are a corrupt dump (Java's deepest are a few dozen).
constexpr int kMaxClassDepth = 256;
// Past this many ascending runs of ids, a dump's objects are sorted rather than merged.
constexpr size_t kMaxMergedRuns = 4096;

}  // namespace

struct HeapGraphBuilder::Pass1 : HprofVisitor {
  explicit Pass1(HeapGraphBuilder* b) : b(b) {}
  void OnHeader(const HprofHeader& h) override { b->g_->header_ = h; }
  void OnString(uint64_t id, std::string_view s) override {
    b->g_->strings_.emplace_back(id, std::string(s));
  }
  void OnLoadClass(uint32_t serial, uint64_t class_id, uint64_t name_id) override {
    b->class_name_id_[class_id] = name_id;
    b->class_by_serial_[serial] = class_id;
  }
  void OnFrame(const HprofFrame& f) override { b->frames_[f.id] = f; }
  void OnTrace(uint32_t serial, uint32_t thread, std::span<const uint64_t> frames) override {
    b->traces_[serial] = Trace{thread, {frames.begin(), frames.end()}};
  }
  void OnRoot(RootKind kind, uint64_t id, uint32_t thread, int32_t) override {
    b->root_records_.push_back({id, kind, thread});
  }
  void OnThreadObject(uint64_t id, uint32_t serial, uint32_t trace) override {
    b->thread_by_serial_[serial] = {id, trace};
  }
  void OnClassDump(const HprofClassDump& c, uint64_t) override {
    uint32_t key = b->ClassKey(c.id);
    HeapClass& k = b->g_->classes_[key];
    k.dumped = true;
    k.super_id = c.super_id;
    k.loader_id = c.loader_id;
    k.declared_size = c.instance_size;
    k.statics = c.statics;
    k.class_refs.clear();
    for (uint64_t r : {c.super_id, c.loader_id, c.signers_id, c.domain_id})
      if (r != 0) k.class_refs.push_back(r);
    for (const auto& s : c.statics)
      if (s.type == kTypeObject && s.value != 0) k.class_refs.push_back(s.value);
    // Constant pool entries are not followed, as MAT and VisualVM do not: old JVMs list the
    // resolved string literals there, and counting them would keep those strings off the
    // retained sizes of the structures that hold them.
    auto& names = b->field_name_ids_[key];
    names.clear();
    k.layout.clear();
    for (const auto& f : c.fields) {
      k.layout.push_back(HeapField{"", f.type, 0});
      names.push_back(f.name_id);
    }
    // A class object is numbered like any object; its "length" is its own class key.
    b->AddObject(c.id, b->class_class_key_, key);
  }
  void OnInstance(uint64_t id, uint64_t class_id, std::string_view fields, uint64_t) override {
    b->AddObject(id, b->ClassKey(class_id), 0);
  }
  void OnObjectArray(uint64_t id, uint64_t class_id, uint32_t length, uint64_t) override {
    uint32_t key = b->ClassKey(class_id);
    b->g_->classes_[key].kind = HeapClass::Kind::kObjectArray;
    b->AddObject(id, key, length);
  }
  void OnPrimitiveArray(uint64_t id, uint8_t type, uint32_t length, uint64_t) override {
    b->AddObject(id, b->PrimitiveKey(type), length);
  }
  HeapGraphBuilder* b;
};

// Pass 2 runs twice: counting each object's references, then writing them where the counts
// put them (objects are numbered by id, not in the order the file gives them).
struct HeapGraphBuilder::Pass2 : HprofVisitor {
  Pass2(HeapGraphBuilder* b, bool counting)
      : b(b), g(b->g_), counting(counting), begun(g->objects(), false) {}
  // Starts object `id`'s references (a repeated id's second object is skipped); `ok` turns
  // false when the file no longer matches pass 1.
  void Begin(uint64_t id) {
    current = kNoIndex;
    if (!ok) return;
    uint32_t rank = g->Find(id);
    if (rank == kNoIndex) {
      ok = false;
      return;
    }
    if (begun[rank]) return;
    begun[rank] = true;
    current = rank;
    auto it = b->locals_of_.find(current);
    if (it != b->locals_of_.end())
      for (uint32_t local : it->second) Put(local);
  }
  void Put(uint32_t target) {
    if (counting) {
      ++g->edge_start_[current + 1];
      return;
    }
    uint32_t& at = g->edge_start_[current];
    if (at >= g->edges_.size()) {
      ok = false;
      return;
    }
    g->edges_[at++] = target;
  }
  void Edge(uint64_t id, bool weak = false) {
    if (id == 0 || current == kNoIndex) return;
    uint32_t t = g->Find(id);
    if (t == kNoIndex) {
      if (counting) ++b->dangling_;
      return;
    }
    Put(weak ? t | kWeakEdge : t);
  }
  void OnClassDump(const HprofClassDump& c, uint64_t) override {
    Begin(c.id);
    if (current == kNoIndex) return;
    for (uint64_t r : g->classes_[g->length_[current]].class_refs) Edge(r);
  }
  void OnInstance(uint64_t id, uint64_t class_id, std::string_view fields, uint64_t) override {
    Begin(id);
    if (current == kNoIndex) return;
    const HeapClass& c = g->classes_[g->object_class_[current]];
    Edge(class_id);
    if (counting && fields.size() != c.field_bytes) ++b->field_mismatches_;
    int idsz = g->header_.id_size;
    for (const HeapField& f : c.layout) {
      if (f.type != kTypeObject) continue;
      if (f.offset + idsz > fields.size()) break;
      Edge(ReadBigEndian(fields, f.offset, idsz), c.is_reference && f.name == "referent");
    }
  }
  void OnObjectArray(uint64_t id, uint64_t class_id, uint32_t, uint64_t) override {
    Begin(id);
    Edge(class_id);
  }
  void OnArrayElements(std::string_view raw) override {
    if (current == kNoIndex) return;
    int idsz = g->header_.id_size;
    for (size_t p = 0; p + idsz <= raw.size(); p += idsz) Edge(ReadBigEndian(raw, p, idsz));
  }
  void OnPrimitiveArray(uint64_t id, uint8_t, uint32_t, uint64_t) override { Begin(id); }
  HeapGraphBuilder* b;
  HeapGraph* g;
  bool counting;
  std::vector<bool> begun;
  uint32_t current = kNoIndex;
  bool ok = true;
};

uint32_t HeapGraphBuilder::ClassKey(uint64_t class_id) {
  auto [it, inserted] = class_key_.try_emplace(class_id, 0);
  if (inserted) {
    it->second = static_cast<uint32_t>(g_->classes_.size());
    HeapClass c;
    c.id = class_id;
    g_->classes_.push_back(std::move(c));
    field_name_ids_.emplace_back();
  }
  return it->second;
}

uint32_t HeapGraphBuilder::PrimitiveKey(uint8_t type) {
  if (type >= 12) type = kTypeByte;
  if (prim_key_[type] == kNoIndex) {
    prim_key_[type] = static_cast<uint32_t>(g_->classes_.size());
    HeapClass c;
    c.name = std::string(PrimitiveArrayName(type));
    c.kind = HeapClass::Kind::kPrimitiveArray;
    c.element_type = type;
    c.dumped = true;
    g_->classes_.push_back(std::move(c));
    field_name_ids_.emplace_back();
  }
  return prim_key_[type];
}

void HeapGraphBuilder::AddObject(uint64_t id, uint32_t key, uint32_t length) {
  if (g_->object_class_.size() >= kMaxObjects) return;  // counted as a warning at the end
  file_ids_.push_back(id);
  g_->object_class_.push_back(key);
  g_->length_.push_back(length);
}

std::string HeapGraphBuilder::ClassName(uint64_t class_id) const {
  auto it = class_name_id_.find(class_id);
  if (it == class_name_id_.end()) return fmt::format("unknown-class@0x{:x}", class_id);
  std::string_view raw = g_->String(it->second);
  if (raw.empty()) return fmt::format("unknown-class@0x{:x}", class_id);
  return JavaClassName(raw);
}

void HeapGraphBuilder::FinishClasses() {
  std::sort(g_->strings_.begin(), g_->strings_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  uint64_t missing_classes = 0;
  for (size_t key = 0; key < g_->classes_.size(); ++key) {
    HeapClass& c = g_->classes_[key];
    if (c.kind == HeapClass::Kind::kPrimitiveArray) continue;
    if (key == class_class_key_) continue;
    c.name = ClassName(c.id);
    if (!c.name.empty() && c.name.back() == ']' && c.kind == HeapClass::Kind::kInstance &&
        !c.dumped)
      c.kind = HeapClass::Kind::kObjectArray;
    for (size_t f = 0; f < c.layout.size(); ++f)
      c.layout[f].name = std::string(g_->String(field_name_ids_[key][f]));
    if (!c.dumped && c.kind == HeapClass::Kind::kInstance) ++missing_classes;
  }
  // Every instance field of the hierarchy, own first, each with its offset in the dump.
  int idsz = g_->header_.id_size;
  for (HeapClass& c : g_->classes_) {
    if (c.kind != HeapClass::Kind::kInstance || !c.dumped) continue;
    std::vector<HeapField> all = c.layout;
    // Weak, soft and phantom referents do not keep an object alive; a FinalReference's
    // (java.lang.ref.Finalizer's) does, until the finalizer has run.
    auto weak = [](const std::string& name) {
      return name == "java.lang.ref.WeakReference" || name == "java.lang.ref.SoftReference" ||
             name == "java.lang.ref.PhantomReference";
    };
    c.is_reference = weak(c.name);
    uint64_t super = c.super_id;
    for (int depth = 0; super != 0 && depth < kMaxClassDepth; ++depth) {
      auto it = class_key_.find(super);
      if (it == class_key_.end()) break;
      const HeapClass& s = g_->classes_[it->second];
      if (weak(s.name)) c.is_reference = true;
      size_t own = field_name_ids_[it->second].size();
      all.insert(all.end(), s.layout.begin(), s.layout.begin() + std::min(own, s.layout.size()));
      super = s.super_id;
    }
    uint32_t offset = 0;
    for (HeapField& f : all) {
      f.offset = offset;
      offset += HprofTypeSize(f.type, idsz);
    }
    c.layout = std::move(all);
    c.field_bytes = offset;
  }
  // Class objects are instances of java.lang.Class: use its real key when the dump has it.
  for (size_t key = 0; key < g_->classes_.size(); ++key) {
    if (key != class_class_key_ && g_->classes_[key].name == "java.lang.Class" &&
        g_->classes_[key].dumped) {
      g_->classes_[class_class_key_].id = g_->classes_[key].id;
      break;
    }
  }
  if (missing_classes > 0)
    g_->warnings_.push_back(fmt::format(
        "{} classes with instances have no class dump: their instances are counted and sized "
        "from their field bytes, and their references are not followed",
        missing_classes));
}

void HeapGraphBuilder::IndexIds() {
  uint32_t n = g_->objects();
  // Objects are numbered by id. A dump in address order (most) is numbered already.
  bool sorted = true;
  for (uint32_t i = 1; i < n && sorted; ++i) sorted = file_ids_[i - 1] < file_ids_[i];
  if (sorted) {
    g_->ids_.Build(std::move(file_ids_));
    file_ids_ = {};
    return;
  }
  // Sorted as (id, place) pairs: a direct sort, far faster than sorting places by their ids.
  struct Entry {
    uint64_t id;
    uint32_t place;
  };
  std::vector<Entry> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = {file_ids_[i], i};
  std::vector<uint64_t>().swap(file_ids_);
  auto less = [](const Entry& a, const Entry& b) {
    return a.id != b.id ? a.id < b.id : a.place < b.place;
  };
  // Dumps are written region by region, each in address order: a few long ascending runs,
  // merged pairwise (log2 of their count passes) rather than sorted from scratch.
  std::vector<size_t> runs{0};
  for (size_t k = 1; k < order.size(); ++k)
    if (less(order[k], order[k - 1])) runs.push_back(k);
  if (runs.size() > kMaxMergedRuns) {
    std::sort(order.begin(), order.end(), less);
  } else {
    runs.push_back(order.size());
    while (runs.size() > 2) {
      std::vector<size_t> merged{0};
      for (size_t r = 0; r + 2 < runs.size(); r += 2) {
        std::inplace_merge(order.begin() + runs[r], order.begin() + runs[r + 1],
                           order.begin() + runs[r + 2], less);
        merged.push_back(runs[r + 2]);
      }
      if (runs.size() % 2 == 0) merged.push_back(runs.back());
      runs = std::move(merged);
    }
  }
  // The classes and lengths in id order; an id repeated keeps its first object only.
  std::vector<uint64_t> ids;
  std::vector<uint32_t> classes, lengths;
  ids.reserve(n);
  classes.reserve(n);
  lengths.reserve(n);
  for (const Entry& e : order) {
    if (!ids.empty() && ids.back() == e.id) {
      ++duplicates_;
      continue;
    }
    ids.push_back(e.id);
    classes.push_back(g_->object_class_[e.place]);
    lengths.push_back(g_->length_[e.place]);
  }
  std::vector<Entry>().swap(order);
  g_->object_class_ = std::move(classes);
  g_->length_ = std::move(lengths);
  g_->ids_.Build(std::move(ids));
  if (duplicates_ > 0)
    g_->warnings_.push_back(
        fmt::format("{} objects repeat an id already dumped: each id is counted and followed once",
                    duplicates_));
}

void HeapGraphBuilder::DetectSizing() {
  int idsz = g_->header_.id_size;
  g_->ref_size_ = idsz;
  uint64_t gcd = 0;
  const IdIndex& ids = g_->ids_;
  for (uint32_t i = 0; i + 1 < ids.size(); ++i) {
    uint64_t at = ids.At(i), next = ids.At(i + 1);
    gcd = gcd == 0 ? next - at : std::gcd(gcd, next - at);
    // An object array whose next neighbour starts inside the span its elements would take
    // with 8-byte references: the heap used compressed ones.
    if (idsz == 8 && g_->ref_size_ == 8 &&
        g_->classes_[g_->object_class_[i]].kind == HeapClass::Kind::kObjectArray &&
        next < at + 16 + uint64_t{g_->length_[i]} * 8)
      g_->ref_size_ = 4;
  }
  g_->alignment_ = static_cast<int>(std::clamp<uint64_t>(gcd == 0 ? 8 : gcd, 8, 256));
  if (gcd != 0 && (gcd & (gcd - 1)) != 0) g_->alignment_ = 8;
}

void HeapGraphBuilder::SizeClasses() {
  ShallowSizing s{g_->header_.id_size, g_->ref_size_, g_->alignment_};
  // Instance sizes need the superclass's first: resolve through the chain each time (chains
  // are short, classes few).
  for (HeapClass& c : g_->classes_) {
    if (c.kind != HeapClass::Kind::kInstance) continue;
    if (!c.dumped) {
      c.instance_size = 0;
      continue;
    }
    std::vector<const HeapClass*> chain;
    const HeapClass* k = &c;
    for (int depth = 0; k != nullptr && depth < kMaxClassDepth; ++depth) {
      chain.push_back(k);
      auto it = k->super_id ? class_key_.find(k->super_id) : class_key_.end();
      k = it == class_key_.end() ? nullptr : &g_->classes_[it->second];
    }
    std::vector<std::vector<uint8_t>> own_types;
    for (const HeapClass* x : chain) {
      size_t key = x - g_->classes_.data();
      std::vector<uint8_t> types;
      for (size_t f = 0; f < field_name_ids_[key].size() && f < x->layout.size(); ++f)
        types.push_back(x->layout[f].type);
      own_types.push_back(std::move(types));
    }
    c.instance_size = InstanceSize(s, own_types);
  }
  for (HeapClass& c : g_->classes_) {
    std::vector<uint8_t> types;
    for (const auto& st : c.statics) types.push_back(st.type);
    c.statics_size = StaticsSize(s, types);
  }
}

void HeapGraphBuilder::PlaceRoots() {
  bool sticky = false;
  for (const RootRecord& r : root_records_) {
    uint32_t i = g_->Find(r.id);
    if (i == kNoIndex) continue;
    bool local = r.kind == RootKind::kJavaFrame || r.kind == RootKind::kJniLocal ||
                 r.kind == RootKind::kNativeStack;
    if (local && r.thread_serial != 0) {
      auto t = thread_by_serial_.find(r.thread_serial);
      uint32_t thread = t == thread_by_serial_.end() ? kNoIndex : g_->Find(t->second.first);
      if (thread != kNoIndex) {
        locals_of_[thread].push_back(i);
        continue;
      }
    }
    if (r.kind == RootKind::kStickyClass) sticky = true;
    g_->roots_.push_back({i, r.kind});
  }
  // Dumps that mark no system classes (some jmap 1.5 ones): the boot loader's classes are.
  if (!sticky) {
    for (const HeapClass& c : g_->classes_) {
      if (c.dumped && c.loader_id == 0 && c.id != 0) {
        uint32_t i = g_->Find(c.id);
        if (i != kNoIndex) g_->roots_.push_back({i, RootKind::kStickyClass});
      }
    }
  }
  std::sort(g_->roots_.begin(), g_->roots_.end(), [](const HeapRoot& a, const HeapRoot& b) {
    return a.object != b.object ? a.object < b.object : a.kind < b.kind;
  });
  g_->roots_.erase(
      std::unique(g_->roots_.begin(), g_->roots_.end(),
                  [](const HeapRoot& a, const HeapRoot& b) { return a.object == b.object; }),
      g_->roots_.end());
  for (auto& [thread, locals] : locals_of_) {
    std::sort(locals.begin(), locals.end());
    locals.erase(std::unique(locals.begin(), locals.end()), locals.end());
  }
}

void HeapGraphBuilder::NameThreads() {
  std::vector<uint32_t> serials;
  for (const auto& [serial, t] : thread_by_serial_) serials.push_back(serial);
  std::sort(serials.begin(), serials.end());
  for (uint32_t serial : serials) {
    const auto& [id, trace_serial] = thread_by_serial_[serial];
    HeapThread t;
    t.serial = serial;
    t.object = g_->Find(id);
    auto tr = traces_.find(trace_serial);
    if (tr != traces_.end()) {
      for (uint64_t fid : tr->second.frames) {
        auto f = frames_.find(fid);
        if (f == frames_.end()) continue;
        auto cls = class_by_serial_.find(f->second.class_serial);
        std::string cname = cls == class_by_serial_.end() ? "?" : ClassName(cls->second);
        std::string_view file = g_->String(f->second.source_file_id);
        int32_t line = f->second.line;
        std::string where = line > 0     ? fmt::format("{}:{}", file, line)
                            : line == -3 ? fmt::format("{}:native method", file)
                            : line == -2 ? fmt::format("{}:compiled method", file)
                                         : std::string(file.empty() ? "unknown" : file);
        t.frames.push_back(
            fmt::format("{}.{} ({})", cname, g_->String(f->second.method_name_id), where));
      }
    }
    auto l = t.object == kNoIndex ? locals_of_.end() : locals_of_.find(t.object);
    if (l != locals_of_.end()) t.locals = l->second;
    g_->threads_.push_back(std::move(t));
  }
}

Status HeapGraphBuilder::Build(const StreamOpener& open, uint64_t data_size,
                               const std::string& name) {
  g_->open_ = open;
  g_->data_size_ = data_size;
  std::fill(std::begin(prim_key_), std::end(prim_key_), kNoIndex);
  class_class_key_ = 0;
  {
    HeapClass c;
    c.name = "java.lang.Class";
    c.kind = HeapClass::Kind::kClass;
    c.dumped = true;
    g_->classes_.push_back(std::move(c));
    field_name_ids_.emplace_back();
  }
  Pass1 p1(this);
  INQ_ASSIGN_OR_RETURN(auto s1, open());
  Status read1 = ReadHprof(std::move(s1), &p1, &g_->counts_, data_size);
  if (!read1.ok()) {
    if (g_->header_.id_size == 0 || g_->objects() == 0 || g_->counts_.over_limit) return read1;
    g_->warnings_.push_back(
        fmt::format("{}; the {} objects before it are analysed", read1.ToString(), g_->objects()));
  }
  if (g_->objects() >= kMaxObjects)
    g_->warnings_.push_back(fmt::format(
        "the dump holds more than {} objects; those past it are left out", kMaxObjects));
  if (g_->counts_.unknown_records > 0)
    g_->warnings_.push_back(fmt::format(
        "{} records of tags the format does not define were skipped (the first, 0x{:02x}, at "
        "byte {})",
        g_->counts_.unknown_records, g_->counts_.first_unknown_tag,
        g_->counts_.first_unknown_offset));
  FinishClasses();
  IndexIds();
  DetectSizing();
  SizeClasses();
  PlaceRoots();
  NameThreads();

  // References: counted per object, then written in place (CSR), in two reads of the file.
  g_->edge_start_.assign(g_->objects() + 1, 0);
  Pass2 count(this, true);
  INQ_ASSIGN_OR_RETURN(auto s2, open());
  Status read2 = ReadHprof(std::move(s2), &count, nullptr, data_size);
  if (!count.ok)
    return Status::BadInput("the file changed between the passes over it", SourceLocation{name});
  if (!read1.ok() && read2.ok()) return Status::BadInput("the file changed while it was read");
  uint64_t total = 0;
  for (uint32_t i = 0; i <= g_->objects(); ++i) {
    total += g_->edge_start_[i];
    if (total >= (uint64_t{1} << 32))
      return Status::Unsupported("the dump holds more than 4 billion references");
    g_->edge_start_[i] = static_cast<uint32_t>(total);
  }
  // edge_start_[i] is where object i's references start: the second read writes each from
  // there, moving the entry to its end (the next object's start), so every entry then
  // shifts one place up.
  g_->edges_.assign(total, 0);
  Pass2 fill(this, false);
  INQ_ASSIGN_OR_RETURN(auto s3, open());
  (void)ReadHprof(std::move(s3), &fill, nullptr, data_size);
  if (!fill.ok)
    return Status::BadInput("the file changed between the passes over it", SourceLocation{name});
  for (uint32_t i = g_->objects(); i > 0; --i) g_->edge_start_[i] = g_->edge_start_[i - 1];
  g_->edge_start_[0] = 0;
  if (dangling_ > 0)
    g_->warnings_.push_back(fmt::format(
        "{} references point to objects not in the dump (left out of the graph)", dangling_));
  if (field_mismatches_ > 0)
    g_->warnings_.push_back(
        fmt::format("{} instances hold a different number of field bytes than their class declares",
                    field_mismatches_));
  return Status::Ok();
}

}  // namespace inquest::heap
