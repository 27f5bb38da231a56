// "Born here, crashed there": when the crashing frame received a null pointer argument, walk
// down the callers to the frame where that value was born -- a local that is null there, or a
// value the frame computed (returned from a call) and passed down.
//
//   std::optional<NullOrigin> o = FindNullOrigin(*transcript.CrashedThread());
//   // o->crash_frame = 0 (f, argument p), o->origin_frame = 2, o->origin_is_local = true
#ifndef INQUEST_DUMPS_GDB_NULL_ORIGIN_H_
#define INQUEST_DUMPS_GDB_NULL_ORIGIN_H_

#include <cstddef>
#include <optional>
#include <string>

#include "dumps/gdb/gdb_transcript.h"

namespace inquest {

struct NullOrigin {
  size_t crash_frame = 0;        // index in the thread's frames of the frame that crashed
  std::string argument;          // the null argument it received
  size_t origin_frame = 0;       // index of the frame where the null was born
  std::string origin_name;       // the local (or argument passed on) that holds it there, if seen
  bool origin_is_local = false;  // a local of the origin frame is null (bt full)
  bool locals_known = false;     // the transcript has locals for the origin frame
  std::vector<size_t> passed_through;  // frames between that only handed it down
};

// True for a value gdb prints for a null pointer: "0x0", "0x0 <sym>", "(T *) 0x0", "NULL".
bool IsNullPointerValue(std::string_view value);

// The crash frame is the first after "<signal handler called>", else frame 0. nullopt when it
// has no null pointer argument or no caller.
std::optional<NullOrigin> FindNullOrigin(const GdbThread& thread);

}  // namespace inquest

#endif  // INQUEST_DUMPS_GDB_NULL_ORIGIN_H_
