// profile.proto, the pprof tools' format: the (already decompressed) bytes of a Profile message
// read through Debian's protobuf library into inquest's Profile model, every cross reference
// checked.
//
//   INQ_ASSIGN_OR_RETURN(Profile p, ParsePprofProto(bytes, "heap.pb.gz"));
//
// What is refused, as a BadInput naming the file: bytes that are not a Profile message (with the
// byte offset of the first top-level field that does not decode), an id of 0 or defined twice, a
// sample naming a location that is not defined, a line naming a function that is not defined, a
// string index past the string table, a sample whose value count differs from the sample types.
#ifndef INQUEST_PROFILE_PPROF_PROTO_H_
#define INQUEST_PROFILE_PPROF_PROTO_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "profile/profile.h"

namespace inquest::profile {

Result<Profile> ParsePprofProto(std::string_view bytes, const std::string& name);

// True when `head` (the first decompressed bytes of a file) starts as a Profile message: a run of
// well-formed top-level fields of profile.proto (in any order), a sample type among the first.
bool LooksLikePprofProto(std::string_view head);

}  // namespace inquest::profile

#endif  // INQUEST_PROFILE_PPROF_PROTO_H_
