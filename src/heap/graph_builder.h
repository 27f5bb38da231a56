// Builds a HeapGraph in two streaming passes over the dump (internal to heap/: heap_graph.cc's
// entry points use it). Pass 1 numbers the objects in file order and keeps their ids, classes
// and array lengths, the class dumps, the roots and the threads' stacks; between the passes the
// ids are indexed, compressed references and the alignment detected, the classes sized and the
// roots placed (locals under their thread); pass 2 fills the references in CSR form.
#ifndef INQUEST_HEAP_GRAPH_BUILDER_H_
#define INQUEST_HEAP_GRAPH_BUILDER_H_

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "heap/heap_graph.h"

namespace inquest::heap {

using StreamOpener = std::function<Result<std::unique_ptr<ByteStream>>()>;

// The friend that fills a HeapGraph's private arrays.
class HeapGraphBuilder {
 public:
  explicit HeapGraphBuilder(HeapGraph* g) : g_(g) {}

  Status Build(const StreamOpener& open, uint64_t data_size, const std::string& name);

 private:
  struct Pass1;
  struct Pass2;
  struct RootRecord {
    uint64_t id;
    RootKind kind;
    uint32_t thread_serial;
  };
  struct Trace {
    uint32_t thread_serial = 0;
    std::vector<uint64_t> frames;
  };

  uint32_t ClassKey(uint64_t class_id);
  uint32_t PrimitiveKey(uint8_t type);
  void AddObject(uint64_t id, uint32_t key, uint32_t length);
  void FinishClasses();
  void IndexIds();
  void DetectSizing();
  void SizeClasses();
  void PlaceRoots();
  void NameThreads();
  std::string ClassName(uint64_t class_id) const;

  HeapGraph* g_;
  absl::flat_hash_map<uint64_t, uint32_t> class_key_;  // class id -> key
  absl::flat_hash_map<uint64_t, uint64_t> class_name_id_;
  absl::flat_hash_map<uint32_t, uint64_t> class_by_serial_;
  absl::flat_hash_map<uint64_t, HprofFrame> frames_;
  absl::flat_hash_map<uint32_t, Trace> traces_;
  absl::flat_hash_map<uint32_t, std::pair<uint64_t, uint32_t>> thread_by_serial_;
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> locals_of_;  // thread object -> locals
  std::vector<RootRecord> root_records_;
  std::vector<std::vector<uint64_t>> field_name_ids_;  // per class key, own fields' name ids
  uint32_t prim_key_[12];
  uint32_t class_class_key_ = kNoIndex;  // java.lang.Class, for class objects
  std::vector<uint64_t> file_ids_;       // pass 1: each object's id, in file order
  uint64_t missing_class_instances_ = 0;
  uint64_t dangling_ = 0;
  uint64_t duplicates_ = 0;
  uint64_t field_mismatches_ = 0;
};

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_GRAPH_BUILDER_H_
