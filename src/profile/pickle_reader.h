// A bounded reader of the pickle subset tracemalloc.Snapshot.dump writes (protocols 2 to 5):
// ints, strings, tuples, lists, dicts and objects of the two tracemalloc classes. It never
// runs anything: a GLOBAL or STACK_GLOBAL naming another class, and any opcode outside the
// subset (REDUCE, INST, persistent ids, ...), is a BadInput naming the byte offset and opcode.
//
//   INQ_ASSIGN_OR_RETURN(PickleDocument doc, ReadPickle(bytes, "snapshot.pickle"));
//   if (doc.root().kind == PickleKind::kObject) ... doc.object(doc.root()).state ...
//
// Every value, memo entry and container item costs at least one byte of input (the subset has
// no DUP), so memory stays within a small multiple of the input whatever the file declares;
// lengths are checked against the bytes that remain before anything is taken.
#ifndef INQUEST_PROFILE_PICKLE_READER_H_
#define INQUEST_PROFILE_PICKLE_READER_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace inquest::profile {

enum class PickleKind : uint8_t {
  kNone,
  kBool,
  kInt,
  kString,
  kTuple,
  kList,
  kDict,
  kClass,
  kObject
};

// The classes a snapshot names, the only ones GLOBAL and STACK_GLOBAL accept.
enum class PickleClass : uint8_t { kSnapshot, kTraces };
std::string_view PickleClassName(PickleClass c);  // "tracemalloc.Snapshot"

// One value, 16 bytes: a snapshot of a million traces holds several million.
struct PickleValue {
  PickleKind kind = PickleKind::kNone;
  // kString: length; kTuple: item count; kList, kDict, kObject: which one; kClass: PickleClass.
  uint32_t index = 0;
  // kInt, kBool: the value; kString: offset of its UTF-8 bytes in the input; kTuple: its first
  // item in the document's tuple items. A memoized value read back (BINGET) is the same
  // PickleValue, so equal (kind, index, number) means the same pickled object.
  int64_t number = 0;
};

// An object made by NEWOBJ, with the state BUILD gave it.
struct PickleObject {
  PickleClass cls = PickleClass::kSnapshot;
  PickleValue state;
  bool has_state = false;
  uint64_t offset = 0;  // of its NEWOBJ opcode
};

// The values of one pickle. Strings are views into the input given to ReadPickle: the document
// is valid while those bytes are.
class PickleDocument {
 public:
  const PickleValue& root() const { return root_; }
  int protocol() const { return protocol_; }
  // The accessors expect a value of the right kind (checked by the caller).
  std::string_view str(const PickleValue& v) const {
    return input_.substr(static_cast<size_t>(v.number), v.index);
  }
  // A tuple's or a list's items.
  std::span<const PickleValue> items(const PickleValue& v) const;
  std::span<const std::pair<PickleValue, PickleValue>> dict(const PickleValue& v) const {
    return dicts_[v.index];
  }
  const PickleObject& object(const PickleValue& v) const { return objects_[v.index]; }
  // Values the pickle made (memo reads not counted).
  uint64_t values() const { return values_; }

 private:
  friend class PickleMachine;
  std::string_view input_;
  PickleValue root_;
  int protocol_ = 0;
  uint64_t values_ = 0;
  std::vector<PickleValue> tuple_items_;
  std::vector<std::vector<PickleValue>> lists_;
  std::vector<std::vector<std::pair<PickleValue, PickleValue>>> dicts_;
  std::vector<PickleObject> objects_;
};

// Runs the pickle in `bytes` up to its STOP (bytes after it are ignored). Errors are BadInput
// with `name` and the byte offset of the opcode at fault: a cut file, an opcode or class
// outside the subset, a stack or memo misuse, more than kMaxPickleMarks nested marks.
Result<PickleDocument> ReadPickle(std::string_view bytes, const std::string& name);

// Marks open at once: a snapshot nests four (the state dict, the trace list, a trace, a long
// traceback); the cap turns a file of nothing but MARKs into an error, not a growing stack.
inline constexpr size_t kMaxPickleMarks = 64;

// The pickle opcode's name ("STACK_GLOBAL"), or "" for a byte that is no opcode.
std::string_view PickleOpcodeName(uint8_t op);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_PICKLE_READER_H_
