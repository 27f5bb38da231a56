// Reading a pprof profile from a file or from bytes, whatever its layout: profile.proto (gzipped
// as pprof writes it, zstd, or plain) or a legacy text heap profile; then the frames the profile
// asks to hide are pruned (profile_prune.h), as pprof does on loading.
//
//   INQ_ASSIGN_OR_RETURN(Profile p, ReadProfile("heap.pb.gz"));
//
// A truncated or corrupt compressed stream, a file that expands past kMaxProfileBytes or the
// decompression limits (base/decompress.h), and anything that is neither layout are BadInputs
// naming the file (and the byte offset or line where one is known).
#ifndef INQUEST_PROFILE_PROFILE_READ_H_
#define INQUEST_PROFILE_PROFILE_READ_H_

#include <climits>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "profile/profile.h"

namespace inquest::profile {

// The most a profile may hold once decompressed: the 2 GiB a protobuf message can have.
inline constexpr uint64_t kMaxProfileBytes = INT_MAX;

Result<Profile> ReadProfile(const std::string& path);
// Decompressed bytes already in memory (tests, fuzzers).
Result<Profile> ReadProfileFromBytes(std::string_view bytes, const std::string& name);

// True when `head` (the first decompressed bytes of a file) starts a profile inquest reads.
bool LooksLikeProfile(std::string_view head);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_PROFILE_READ_H_
