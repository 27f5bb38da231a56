// The service a log file's path names, for records that carry none: "var/log/web28/pricing.log"
// is the pricing service, "logs/checkout/app.log" the checkout service. File names that say
// what kind of log it is rather than whose ("access.log", "app.log", "syslog", "stdout"), kept
// as data in path_service.cc, give way to their folder; a folder that looks like a host (a
// digit in it: "web28", "ip-10-0-0-7") or like a log folder ("log", "var") names nothing, and
// names that look machine-made (a run of three digits, a hash part: "i-034bdb4a981bd") are
// ids, not services, once their instance parts are cut ("checkout-7f9c8d6b5-x2x9z", a pod, is
// the checkout service). LoadLogFile also drops the path's service when it is
// the host the records name ("web17-0.txt" of host web17).
//
//   std::string s = ServiceFromPath("var/log/ip-10-6-1-2/api-gateway.log.1.gz");  // "api-gateway"
//
// What it cannot know: a service whose name has a digit in it and sits as the folder of a
// generic file name ("payments-v2/app.log" names nothing), or a file named after its host.
#ifndef INQUEST_LOGS_PATH_SERVICE_H_
#define INQUEST_LOGS_PATH_SERVICE_H_

#include <string>
#include <string_view>

namespace inquest {

// The service `path` names, or "" when it names none. Compression, rotation (".1", "-20240102",
// ".2024-01-02") and log extensions are taken off first.
std::string ServiceFromPath(std::string_view path);

// The folder a file sits in, when it could name a service ("logs/billing-web/app25.log" ->
// "billing-web"): a word with no digit, not generic. Only a candidate: `analyze` takes it for
// the records of a file whose name names none when other evidence names the same service (a
// change record, another file's records), since a folder may as well be how the bundle was
// collected ("collected/", "incident-42/").
std::string FolderServiceCandidate(std::string_view path);

// The file name without its compression, rotation and log suffixes ("api.log.2.gz" -> "api").
std::string_view LogStem(std::string_view name);

}  // namespace inquest

#endif  // INQUEST_LOGS_PATH_SERVICE_H_
