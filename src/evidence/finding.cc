#include "evidence/finding.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace inquest {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
    case Severity::kCritical:
      return "critical";
  }
  return "info";
}

std::string ServiceAndSubject(std::string_view service, std::string_view subject) {
  // A subject is an identifier (a key, a pool); a phrase is a detector's note, not a name.
  if (subject.empty() || subject.find(' ') != std::string_view::npos) return std::string(service);
  if (service.empty() || ToLower(subject).find(ToLower(service)) != std::string::npos)
    return std::string(subject);
  return fmt::format("{} {}", service, subject);
}

}  // namespace inquest
