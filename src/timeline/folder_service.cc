#include "timeline/folder_service.h"

#include <algorithm>

#include "logs/path_service.h"
#include "timeline/change.h"

namespace inquest {

void KnownServices::Add(std::string_view service) {
  if (service.empty() || service == "-" || service == "(other)" || Has(service)) return;
  names_.emplace_back(service);
}

bool KnownServices::Has(std::string_view service) const {
  return std::any_of(names_.begin(), names_.end(),
                     [&](const std::string& k) { return SameService(k, service); });
}

std::string FolderServiceOf(std::string_view path, const KnownServices& known) {
  std::string folder = FolderServiceCandidate(path);
  return !folder.empty() && known.Has(folder) ? folder : "";
}

}  // namespace inquest
