// A heap dump as an object graph in compact arrays: every object (instances, arrays, class
// objects) numbered densely in the order of its id, its class, its shallow size, its
// outgoing references in CSR form, and the GC roots by kind. Built in two streaming passes over
// the file (ids and classes first, references second), so the file is never held in memory.
//
//   INQ_ASSIGN_OR_RETURN(HeapGraph g, BuildHeapGraph("app.hprof"));
//   for (uint32_t i = 0; i < g.objects(); ++i) ... g.ClassOf(i), g.Shallow(i), g.Refs(i)
//
// Shallow sizes follow the JVM's own accounting as `jmap -histo` and Eclipse MAT report it:
// the header (mark word plus class pointer), fields at their sizes with references compressed
// when the heap used compressed oops (found from the addresses, as MAT does: an object array
// that would overlap the next object with 8-byte references), each superclass's fields rounded
// to the reference size, the whole rounded to the object alignment (the GCD of the gaps between
// objects, 8 to 256). Arrays: header, length, elements. A class object counts its static fields.
#ifndef INQUEST_HEAP_HEAP_GRAPH_H_
#define INQUEST_HEAP_HEAP_GRAPH_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "heap/hprof_reader.h"
#include "heap/id_index.h"

namespace inquest::heap {

inline constexpr uint32_t kNoIndex = 0xFFFFFFFFu;
// An edge whose target carries this bit is a weak or soft referent (a Reference's `referent`).
inline constexpr uint32_t kWeakEdge = 0x80000000u;
// Objects above this many cannot be numbered with the weak bit free.
inline constexpr uint64_t kMaxObjects = kWeakEdge - 1;

struct HeapField {
  std::string name;
  uint8_t type = 0;
  uint32_t offset = 0;  // in the instance's field bytes
};

struct HeapClass {
  enum class Kind : uint8_t { kInstance, kObjectArray, kPrimitiveArray, kClass };
  std::string name;  // Java name: "java.util.HashMap", "java.lang.String[]", "int[]"
  Kind kind = Kind::kInstance;
  uint64_t id = 0;  // the class object's id (0: a primitive array type or a missing class)
  uint64_t super_id = 0;
  uint64_t loader_id = 0;
  bool dumped = false;            // its class dump was in the file
  uint8_t element_type = 0;       // primitive arrays
  std::vector<HeapField> layout;  // every instance field, own first, then the superclasses'
  uint32_t field_bytes = 0;       // the layout's bytes in the dump
  uint32_t declared_size = 0;     // the class dump's own "instance size" (its own fields)
  uint64_t instance_size = 0;     // shallow size of one instance
  uint64_t statics_size = 0;      // shallow size of the class object itself
  std::vector<HprofClassDump::Static> statics;  // names by id (resolved through `strings`)
  std::vector<uint64_t> class_refs;  // the class object's references (super, loader, statics...)
  bool is_reference = false;  // a weak, soft or phantom Reference: its referent is not kept alive
};

struct HeapRoot {
  uint32_t object = 0;
  RootKind kind = RootKind::kUnknown;
};

struct HeapThread {
  uint32_t object = kNoIndex;  // the java.lang.Thread
  uint32_t serial = 0;
  std::vector<std::string> frames;  // "java.lang.Object.wait (Object.java:native method)"
  std::vector<uint32_t> locals;     // objects its frames hold
};

class HeapGraph {
 public:
  uint32_t objects() const { return static_cast<uint32_t>(object_class_.size()); }
  uint32_t ClassOf(uint32_t i) const { return object_class_[i]; }
  uint64_t Shallow(uint32_t i) const;
  // Outgoing references of object i (targets may carry kWeakEdge).
  std::span<const uint32_t> Refs(uint32_t i) const {
    return {edges_.data() + edge_start_[i], edges_.data() + edge_start_[i + 1]};
  }
  uint32_t ArrayLength(uint32_t i) const { return length_[i]; }
  // The object with this id, or kNoIndex.
  uint32_t Find(uint64_t id) const;
  uint64_t IdOf(uint32_t i) const { return ids_.At(i); }

  const std::vector<HeapClass>& classes() const { return classes_; }
  const std::vector<HeapRoot>& roots() const { return roots_; }
  const std::vector<HeapThread>& threads() const { return threads_; }
  const HprofHeader& header() const { return header_; }
  const HprofCounts& counts() const { return counts_; }
  uint64_t edge_count() const { return edges_.size(); }
  int ref_size() const { return ref_size_; }
  int alignment() const { return alignment_; }
  // What the reading could not do and still went on with (a truncated dump, references to
  // objects not in it, instances whose class dump is missing), one sentence each.
  const std::vector<std::string>& warnings() const { return warnings_; }
  // The string the dump stores under `id`, or "".
  std::string_view String(uint64_t id) const;
  // One more streaming pass over the dump into `visitor` (for what the graph does not keep:
  // field values, array contents).
  Status Reread(HprofVisitor* visitor) const;

 private:
  friend class HeapGraphBuilder;
  HprofHeader header_;
  HprofCounts counts_;
  int ref_size_ = 8;
  int alignment_ = 8;
  std::vector<HeapClass> classes_;
  std::vector<uint32_t> object_class_;
  std::vector<uint32_t> length_;
  IdIndex ids_;  // objects are numbered in the order of their ids
  std::vector<uint32_t> edge_start_;
  std::vector<uint32_t> edges_;
  std::vector<HeapRoot> roots_;
  std::vector<HeapThread> threads_;
  std::vector<std::string> warnings_;
  std::vector<std::pair<uint64_t, std::string>> strings_;  // sorted by id
  std::function<Result<std::unique_ptr<ByteStream>>()> open_;
  uint64_t data_size_ = 0;
};

// Reads `path` (plain, gzip or zstd) into a graph. A dump cut short yields the graph of the
// objects before the cut, with a warning; a file that is not HPROF, or breaks before its first
// heap dump, is a BadInput with the byte offset.
Result<HeapGraph> BuildHeapGraph(const std::string& path);
// The same from bytes in memory (tests, the fuzzer).
Result<HeapGraph> BuildHeapGraphFromBytes(std::string_view bytes, const std::string& name);

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_HEAP_GRAPH_H_
