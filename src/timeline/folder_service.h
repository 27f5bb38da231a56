// The one rule every command uses to name the service of records that name none and whose file
// name names none either ("logs/catalog-publisher/node17.log"): the file's folder, when other
// evidence names the same service (a change record, an alert, another file's records). A folder
// alone is only a candidate (logs/path_service.h): it may as well be how the bundle was
// collected ("collected/", "incident-42/").
//
//   KnownServices known;
//   for (...) known.Add(record_service);
//   std::string s = FolderServiceOf("logs/catalog-publisher/node17.log", known);
//   // "catalog-publisher" when known holds catalog-publisher (or catalog-publisher-service)
#ifndef INQUEST_TIMELINE_FOLDER_SERVICE_H_
#define INQUEST_TIMELINE_FOLDER_SERVICE_H_

#include <string>
#include <string_view>
#include <vector>

namespace inquest {

// The services the evidence names, one name per service (SameService, timeline/change.h).
class KnownServices {
 public:
  // Adds `service` unless it is empty, a placeholder ("-", "(other)") or known already.
  void Add(std::string_view service);
  bool Has(std::string_view service) const;
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
};

// The service of the records of the file at `path` that name none, for a file whose path names
// no service (ServiceFromPath is empty, or named its host and was dropped: the caller knows):
// FolderServiceCandidate(path) when `known` holds that service, "" otherwise.
std::string FolderServiceOf(std::string_view path, const KnownServices& known);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_FOLDER_SERVICE_H_
