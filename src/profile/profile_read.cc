#include "profile/profile_read.h"

#include <fmt/format.h>

#include "base/input_file.h"
#include "profile/pprof_legacy.h"
#include "profile/pprof_proto.h"
#include "profile/profile_prune.h"

namespace inquest::profile {
namespace {

Result<Profile> ParseDecompressed(std::string_view bytes, const std::string& name) {
  Result<Profile> p = LegacyHeapKindOf(bytes) != LegacyHeapKind::kNone
                          ? ParseLegacyHeap(bytes, name)
                          : ParsePprofProto(bytes, name);
  if (!p.ok()) return p;
  INQ_RETURN_IF_ERROR(PruneFrames(*p));
  return p;
}

Result<Profile> ParseInput(const InputFile& in, const std::string& name) {
  if (!in.warning().ok()) return in.warning();
  if (in.data().size() > kMaxProfileBytes)
    return Status::BadInput(fmt::format("expands past {} bytes, the most a profile.proto message "
                                        "can hold",
                                        kMaxProfileBytes),
                            SourceLocation{name});
  return ParseDecompressed(in.data(), name);
}

}  // namespace

Result<Profile> ReadProfile(const std::string& path) {
  INQ_ASSIGN_OR_RETURN(InputFile in, InputFile::Open(path, kMaxProfileBytes + 1));
  return ParseInput(in, path);
}

Result<Profile> ReadProfileFromBytes(std::string_view bytes, const std::string& name) {
  return ParseDecompressed(bytes, name);
}

bool LooksLikeProfile(std::string_view head) {
  return LegacyHeapKindOf(head) != LegacyHeapKind::kNone || LooksLikePprofProto(head);
}

}  // namespace inquest::profile
