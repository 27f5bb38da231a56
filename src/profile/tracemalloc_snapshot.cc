#include "profile/tracemalloc_snapshot.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <memory>
#include <utility>

#include "base/decompress.h"
#include "profile/pickle_reader.h"

namespace inquest::profile {

namespace {

// How far into a file LooksLikeTracemallocSnapshot looks for the class name: the PROTO, a
// FRAME and the two short strings of STACK_GLOBAL come first (36 bytes in protocol 4 and 5).
constexpr size_t kTracemallocSniffBytes = 64;

// Turns the pickle's values into a snapshot, checking each one's shape.
class TracemallocBuilder {
 public:
  TracemallocBuilder(const PickleDocument& doc, TracemallocSnapshot* snap)
      : doc_(doc), snap_(snap) {}

  Status Build() {
    const PickleValue& root = doc_.root();
    if (root.kind != PickleKind::kObject || doc_.object(root).cls != PickleClass::kSnapshot)
      return Error("the pickle holds no tracemalloc.Snapshot", 0);
    const PickleObject& snapshot = doc_.object(root);
    INQ_ASSIGN_OR_RETURN(PickleValue traces_obj, StateField(snapshot, "traces"));
    INQ_ASSIGN_OR_RETURN(PickleValue limit, StateField(snapshot, "traceback_limit"));
    if (limit.kind != PickleKind::kInt)
      return Error("the snapshot's traceback_limit is not an integer", snapshot.offset);
    snap_->traceback_limit = limit.number;
    if (traces_obj.kind != PickleKind::kObject ||
        doc_.object(traces_obj).cls != PickleClass::kTraces)
      return Error("the snapshot's traces are not a tracemalloc._Traces", snapshot.offset);
    const PickleObject& traces = doc_.object(traces_obj);
    INQ_ASSIGN_OR_RETURN(PickleValue list, StateField(traces, "_traces"));
    if (list.kind != PickleKind::kList && list.kind != PickleKind::kTuple)
      return Error("the snapshot's _traces is not a list", traces.offset);
    std::span<const PickleValue> items = doc_.items(list);
    snap_->traces.reserve(items.size());
    snap_->has_total_nframe = !items.empty();
    for (size_t i = 0; i < items.size(); ++i) INQ_RETURN_IF_ERROR(AddTrace(items[i], i));
    return Status::Ok();
  }

 private:
  Status Error(std::string msg, uint64_t at) const {
    return Status::BadInput(std::move(msg), SourceLocation{snap_->name, 0, at, true});
  }
  Status TraceError(size_t i, std::string_view what) const {
    return Status::BadInput(fmt::format("trace {} of the snapshot: {}", i, what),
                            SourceLocation{snap_->name});
  }

  // The value under `key` in an object's state dict (the last one set wins, as in Python).
  Result<PickleValue> StateField(const PickleObject& obj, std::string_view key) const {
    if (!obj.has_state || obj.state.kind != PickleKind::kDict)
      return Error(fmt::format("the {} has no state dict", PickleClassName(obj.cls)), obj.offset);
    const PickleValue* found = nullptr;
    for (const auto& [k, v] : doc_.dict(obj.state))
      if (k.kind == PickleKind::kString && doc_.str(k) == key) found = &v;
    if (found == nullptr)
      return Error(fmt::format("the {} has no {}", PickleClassName(obj.cls), key), obj.offset);
    return *found;
  }

  static bool IsUint(const PickleValue& v, uint64_t max) {
    return v.kind == PickleKind::kInt && v.number >= 0 && static_cast<uint64_t>(v.number) <= max;
  }

  Status AddTrace(const PickleValue& v, size_t i) {
    if (v.kind != PickleKind::kTuple || (v.index != 3 && v.index != 4))
      return TraceError(i, "not a (domain, size, traceback[, total_nframe]) tuple");
    std::span<const PickleValue> f = doc_.items(v);
    if (!IsUint(f[0], UINT32_MAX)) return TraceError(i, "the domain is not an unsigned integer");
    if (!IsUint(f[1], INT64_MAX)) return TraceError(i, "the size is not an unsigned integer");
    TracemallocTrace t;
    t.domain = static_cast<uint32_t>(f[0].number);
    t.size = static_cast<uint64_t>(f[1].number);
    INQ_ASSIGN_OR_RETURN(t.traceback, Traceback(f[2], i));
    if (v.index == 4) {
      if (!IsUint(f[3], UINT32_MAX)) return TraceError(i, "total_nframe is not an integer");
      t.total_nframe = static_cast<uint32_t>(f[3].number);
    } else {
      snap_->has_total_nframe = false;
      t.total_nframe = snap_->tracebacks[t.traceback].count;
    }
    snap_->traces.push_back(t);
    return Status::Ok();
  }

  // The index of a traceback tuple, the same for every trace that shares the pickled tuple (one
  // lookup) or has equal frames (one content lookup per distinct tuple).
  Result<uint32_t> Traceback(const PickleValue& v, size_t i) {
    if (v.kind != PickleKind::kTuple) return TraceError(i, "the traceback is not a tuple");
    auto [by_tuple, fresh] = by_tuple_.try_emplace(std::pair(v.number, v.index), 0);
    if (!fresh) return by_tuple->second;
    key_.clear();
    uint32_t first = static_cast<uint32_t>(snap_->frames.size());
    for (const PickleValue& frame : doc_.items(v)) {
      if (frame.kind != PickleKind::kTuple || frame.index != 2)
        return TraceError(i, "a frame is not a (filename, lineno) tuple");
      std::span<const PickleValue> fl = doc_.items(frame);
      if (fl[0].kind != PickleKind::kString) return TraceError(i, "a filename is not a string");
      if (!IsUint(fl[1], UINT32_MAX)) return TraceError(i, "a line number is not an integer");
      TracemallocFrame out{Filename(fl[0]), static_cast<uint32_t>(fl[1].number)};
      snap_->frames.push_back(out);
      key_.append(reinterpret_cast<const char*>(&out.filename), sizeof out.filename);
      key_.append(reinterpret_cast<const char*>(&out.lineno), sizeof out.lineno);
    }
    auto [by_content, added] =
        by_content_.try_emplace(key_, static_cast<uint32_t>(snap_->tracebacks.size()));
    if (added) {
      snap_->tracebacks.push_back({first, static_cast<uint32_t>(snap_->frames.size() - first)});
    } else {
      snap_->frames.resize(first);
    }
    by_tuple->second = by_content->second;
    return by_content->second;
  }

  uint32_t Filename(const PickleValue& s) {
    auto [by_offset, fresh] = by_offset_.try_emplace(s.number, 0);
    if (!fresh) return by_offset->second;
    std::string_view text = doc_.str(s);
    auto [by_text, added] =
        by_text_.try_emplace(text, static_cast<uint32_t>(snap_->filenames.size()));
    if (added) snap_->filenames.emplace_back(text);
    by_offset->second = by_text->second;
    return by_text->second;
  }

  const PickleDocument& doc_;
  TracemallocSnapshot* snap_;
  // (first item, item count) of a pickled tuple -> traceback
  absl::flat_hash_map<std::pair<int64_t, uint32_t>, uint32_t> by_tuple_;
  absl::flat_hash_map<std::string, uint32_t> by_content_;    // frames' bytes -> traceback
  absl::flat_hash_map<int64_t, uint32_t> by_offset_;         // string offset -> filename
  absl::flat_hash_map<std::string_view, uint32_t> by_text_;  // views into the input
  std::string key_;
};

}  // namespace

uint64_t TracemallocSnapshot::TotalSize() const {
  uint64_t total = 0;
  for (const TracemallocTrace& t : traces) total += t.size;
  return total;
}

Result<TracemallocSnapshot> ReadTracemallocSnapshotFromBytes(std::string_view bytes,
                                                             std::string name) {
  INQ_ASSIGN_OR_RETURN(PickleDocument doc, ReadPickle(bytes, name));
  TracemallocSnapshot snap;
  snap.name = std::move(name);
  snap.pickle_protocol = doc.protocol();
  TracemallocBuilder builder(doc, &snap);
  INQ_RETURN_IF_ERROR(builder.Build());
  return snap;
}

Result<TracemallocSnapshot> ReadTracemallocSnapshot(const std::string& path) {
  INQ_ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> stream, ByteStream::Open(path));
  // The whole pickle is held: its memo may refer back to any earlier value.
  std::string bytes;
  size_t used = 0;
  for (;;) {
    if (bytes.size() - used < (size_t{1} << 20))
      bytes.resize(std::max<size_t>(bytes.size() * 2, size_t{1} << 20));
    INQ_ASSIGN_OR_RETURN(size_t n, stream->Read(bytes.data() + used, bytes.size() - used));
    if (n == 0) break;
    used += n;
  }
  bytes.resize(used);
  return ReadTracemallocSnapshotFromBytes(bytes, path);
}

bool LooksLikeTracemallocSnapshot(std::string_view head) {
  if (head.size() < 2 || static_cast<uint8_t>(head[0]) != 0x80) return false;
  if (head[1] < 2 || head[1] > 5) return false;
  std::string_view start = head.substr(0, kTracemallocSniffBytes);
  size_t module = start.find("tracemalloc");
  return module != std::string_view::npos &&
         start.find("Snapshot", module) != std::string_view::npos;
}

}  // namespace inquest::profile
