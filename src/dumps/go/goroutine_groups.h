// Groups goroutines that share a stack, in one pass and O(n): each goroutine's signature at the
// chosen similarity is hashed and looked up in a table of groups; equal hashes are confirmed by
// comparing the stacks, so a hash collision never merges two different stacks.
//
//   GoroutineGrouper grouper(StackSimilarity::kIgnoreWaitTime);
//   while (parser.Next(&g)) grouper.Add(g);
//   std::vector<GoroutineGroup> groups = grouper.Finish(lead_id);  // ordered, see Finish
//
// Groups keep one sample goroutine whose views point into the dump's bytes.
#ifndef INQUEST_DUMPS_GO_GOROUTINE_GROUPS_H_
#define INQUEST_DUMPS_GO_GOROUTINE_GROUPS_H_

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dumps/dump.h"
#include "dumps/go/goroutine.h"

namespace inquest {

struct GoroutineGroup {
  Goroutine sample;    // the first goroutine seen with this signature
  uint64_t count = 0;  // goroutines in the group (debug=1 records count for their N)
  uint32_t wait_min = 0, wait_max = 0;  // minutes, over the group
  uint64_t locked = 0;                  // how many are locked to their thread
  std::vector<uint64_t> ids;            // the first kIdsKept ids, in dump order
  bool lead = false;                    // holds the panicking goroutine, or a running one
  double own_code = 0;  // share of the sample's frames outside the runtime and standard library
  static constexpr size_t kIdsKept = 8;  // enough to find them in the dump; the count says the rest
};

class GoroutineGrouper {
 public:
  explicit GoroutineGrouper(StackSimilarity similarity) : similarity_(similarity) {}

  // Adds one goroutine (its views must stay valid until the groups are no longer used).
  void Add(const Goroutine& g);

  // The groups, ordered: the group holding goroutine `lead_id` (the panicking one; 0 for none)
  // or else a running goroutine first, whole stacks before partial ones, then by count, then
  // by the share of the program's own code in the stack, then by position in the dump.
  std::vector<GoroutineGroup> Finish(uint64_t lead_id);

  uint64_t goroutines() const { return goroutines_; }

 private:
  uint64_t Hash(const Goroutine& g) const;
  bool Same(const Goroutine& a, const Goroutine& b) const;

  StackSimilarity similarity_;
  std::vector<GoroutineGroup> groups_;
  std::vector<uint32_t> next_;  // next group with the same hash, or UINT32_MAX
  std::unordered_map<uint64_t, uint32_t> first_;
  uint64_t goroutines_ = 0;
};

// True for functions of the Go runtime and standard library ("runtime.gopark",
// "net/http.(*conn).serve", "sync.(*Mutex).Lock"); false for the program's own code ("main.f",
// "github.com/x/y.F").
bool IsGoStdlibFunc(std::string_view func);

// The first frame of the program's own code (where the goroutine waits in user terms), or the
// innermost frame when all are runtime; null for an empty stack.
const GoFrame* FirstOwnFrame(const Goroutine& g);

}  // namespace inquest

#endif  // INQUEST_DUMPS_GO_GOROUTINE_GROUPS_H_
