// The frames a profile asks to hide: its drop_frames and keep_frames regular expressions (RE2
// syntax, as Go's regexp), applied as pprof applies them when it loads a profile. A location whose
// function matches drop_frames but not keep_frames is cut from every stack together with what it
// called (the allocator's or profiler's own frames below the user's code), inlined frames within a
// location likewise. Function names are compared without their parameter lists ("f(int)" is "f").
//
//   INQ_RETURN_IF_ERROR(PruneFrames(profile));
#ifndef INQUEST_PROFILE_PROFILE_PRUNE_H_
#define INQUEST_PROFILE_PROFILE_PRUNE_H_

#include "base/status.h"
#include "profile/profile.h"

namespace inquest::profile {

// A BadInput when an expression does not compile.
Status PruneFrames(Profile& p);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_PROFILE_PRUNE_H_
