// Strings whose text the heap holds more than once: the waste interning or a shared constant
// would save. The values are read in one more pass over the dump (shared with other readers,
// fan_out.h), only the arrays behind java.lang.String objects, each hashed once (64-bit hash
// and length; text kept for the duplicated ones only, its first kShownChars characters).
//
//   DuplicateStringFinder f(graph);
//   if (f.visitor()) graph.Reread(f.visitor());
//   DuplicateStrings d = f.Finish(10);
#ifndef INQUEST_HEAP_DUPLICATE_STRINGS_H_
#define INQUEST_HEAP_DUPLICATE_STRINGS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "heap/heap_graph.h"

namespace inquest::heap {

struct DuplicateString {
  std::string text;     // the value (Latin-1 or UTF-16 decoded), cut to kShownChars
  uint64_t count = 0;   // String objects holding it
  uint64_t wasted = 0;  // bytes of all but one of them (the String and its array)
};

struct DuplicateStrings {
  uint64_t strings = 0;              // java.lang.String objects
  uint64_t distinct = 0;             // distinct values among them
  uint64_t wasted = 0;               // bytes all duplicates take beyond one copy of each value
  std::vector<DuplicateString> top;  // most wasteful first
};

inline constexpr size_t kShownChars = 60;

class DuplicateStringFinder {
 public:
  explicit DuplicateStringFinder(const HeapGraph& g);
  ~DuplicateStringFinder();
  // Null when the dump holds no strings.
  HprofVisitor* visitor();
  // What the pass saw (a pass that failed part way counts what it read).
  DuplicateStrings Finish(size_t top) const;

 private:
  class StringValues;
  uint64_t strings_ = 0;
  std::vector<uint8_t> backing_;  // per object: how many strings share it as their value
  std::unique_ptr<StringValues> pass_;
};

}  // namespace inquest::heap

#endif  // INQUEST_HEAP_DUPLICATE_STRINGS_H_
