#include "heap/heap_graph.h"

#include <sys/stat.h>

#include <algorithm>

#include "heap/graph_builder.h"
#include "heap/shallow_size.h"

namespace inquest::heap {

std::string_view HeapGraph::String(uint64_t id) const {
  auto it = std::lower_bound(strings_.begin(), strings_.end(), id,
                             [](const auto& e, uint64_t v) { return e.first < v; });
  return it != strings_.end() && it->first == id ? std::string_view(it->second)
                                                 : std::string_view();
}

uint32_t HeapGraph::Find(uint64_t id) const { return ids_.Find(id); }

Status HeapGraph::Reread(HprofVisitor* visitor) const {
  if (!open_) return Status::Internal("no dump to read again");
  INQ_ASSIGN_OR_RETURN(auto stream, open_());
  return ReadHprof(std::move(stream), visitor, nullptr, data_size_);
}

uint64_t HeapGraph::Shallow(uint32_t i) const {
  const HeapClass& c = classes_[object_class_[i]];
  ShallowSizing s{header_.id_size, ref_size_, alignment_};
  switch (c.kind) {
    case HeapClass::Kind::kInstance:
      return c.instance_size;
    case HeapClass::Kind::kObjectArray:
      return ObjectArraySize(s, length_[i]);
    case HeapClass::Kind::kPrimitiveArray:
      return PrimitiveArraySize(s, c.element_type, length_[i]);
    case HeapClass::Kind::kClass:
      return classes_[length_[i]].statics_size;  // a class object's length is its class key
  }
  return 0;
}

Result<HeapGraph> BuildHeapGraph(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return Status::IoError("cannot read the file", path);
  INQ_ASSIGN_OR_RETURN(auto probe, ByteStream::Open(path));
  uint64_t size = probe->compression() == Compression::kNone ? uint64_t(st.st_size) : 0;
  probe.reset();
  HeapGraph g;
  HeapGraphBuilder b(&g);
  INQ_RETURN_IF_ERROR(b.Build([path] { return ByteStream::Open(path); }, size, path));
  return g;
}

Result<HeapGraph> BuildHeapGraphFromBytes(std::string_view bytes, const std::string& name) {
  HeapGraph g;
  HeapGraphBuilder b(&g);
  INQ_RETURN_IF_ERROR(b.Build(
      [bytes, name]() -> Result<std::unique_ptr<ByteStream>> {
        return ByteStream::FromMemory(bytes, name);
      },
      bytes.size(), name));
  return g;
}

}  // namespace inquest::heap
