// The legacy text heap profiles pprof still reads: Go's and gperftools' "heap profile: ..." (the
// heap, heap_v2, heapz_v2 and heapprofile samplings) and Java's "--- heapz 1 ---", each into
// the Profile model exactly as pprof's own parser builds it: sampled counts and sizes scaled
// back by 1/(1-exp(-size/rate)) as pprof does, return addresses moved back one byte to land on
// the call (Go and gperftools), the block size kept as the numeric label "bytes", the memory map
// after "MAPPED_LIBRARIES:" or "--- Memory map: ---" read into mappings, Java's symbol lines into
// functions.
//
//   if (LegacyHeapKindOf(text) != LegacyHeapKind::kNone) p = ParseLegacyHeap(text, path);
//
// A sample line that does not parse is a BadInput naming the file and line. Legacy CPU,
// contention and thread profiles are not read (an Unsupported error says so).
#ifndef INQUEST_PROFILE_PPROF_LEGACY_H_
#define INQUEST_PROFILE_PPROF_LEGACY_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "profile/profile.h"

namespace inquest::profile {

enum class LegacyHeapKind { kNone, kNative, kJava };

// What the first line of `text` announces.
LegacyHeapKind LegacyHeapKindOf(std::string_view text);

Result<Profile> ParseLegacyHeap(std::string_view text, const std::string& name);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_PPROF_LEGACY_H_
