// The walk from victim to origin for a fault on a null or near-null address: the frame where
// the bad pointer was used, then up the callers while it was a parameter, to the frame where it
// was a local, and there the source line that assigned it (a call whose return value was not
// checked, a literal NULL) or the fact that nothing assigned it:
//
//   "acct=0x0 in apply_refund (billing.c:118) came from lookup_account(99812) in
//    process_event (billing.c:74), which returned NULL unchecked"
//
// Each step rests on evidence in the report (variable values, frame lines) and the source
// file; where that runs out, the walk says so and `concluded` stays false.
#ifndef INQUEST_NATIVE_ORIGIN_WALK_H_
#define INQUEST_NATIVE_ORIGIN_WALK_H_

#include <string>
#include <vector>

#include "native/core_report.h"

namespace inquest {

// Needs the crashing thread first in `report.threads`, with variables. Reads source files
// (their DWARF paths, else by name under `source_dirs`).
CoreWalk WalkToOrigin(const CoreReport& report, const std::vector<std::string>& source_dirs);

// One assignment found in source: `target = callee(args)` or `target = expr`.
struct SourceAssignment {
  int line = 0;
  std::string callee;             // empty when the right side is not a call
  std::vector<std::string> args;  // argument expressions, as written
  std::string expr;               // the right side, as written
};

// The last assignment to `name` in `lines[from-1 .. to-1]` (1-based, inclusive), looking at
// `name = ...` and declarations `T *name = ...`; a comparison (`==`) is not an assignment.
// line == 0 when there is none.
SourceAssignment FindAssignment(const std::vector<std::string>& lines, const std::string& name,
                                int from, int to);

// The first line in [from, to] that tests `name` against null (`!name`, `name == NULL`,
// `name != nullptr`, `if (name)`, `assert(name`), or 0.
int FindNullCheck(const std::vector<std::string>& lines, const std::string& name, int from, int to);

}  // namespace inquest

#endif  // INQUEST_NATIVE_ORIGIN_WALK_H_
