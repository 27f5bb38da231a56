// Fuzz target for what the ticket sync reads from GitHub and Jira: issue lists, search pages,
// created-issue answers, Link headers, rate-limit headers and ticket markers.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "store/sync_github.h"
#include "store/sync_http.h"
#include "store/sync_jira.h"
#include "store/sync_retry.h"
#include "store/sync_tracker.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace inquest::store;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<RemoteTicket> out;
  (void)ParseGitHubIssues(in, "fuzz", &out);
  (void)ParseGitHubIssue(in, "fuzz");
  int64_t total = 0;
  (void)ParseJiraSearch(in, "fuzz", "https://j/browse/", &out, &total);
  (void)LinkNext(in);
  (void)MarkerId(in);
  HttpResponse r;
  r.status = 429;
  size_t cut = in.find('\n');
  r.headers["retry-after"] = std::string(in.substr(0, cut));
  r.headers["x-ratelimit-remaining"] = "0";
  r.headers["x-ratelimit-reset"] =
      std::string(cut == std::string_view::npos ? "" : in.substr(cut + 1));
  (void)RequestedWait(r, std::chrono::system_clock::time_point());
  (void)TrackerHttpError("fuzz", r);
  return 0;
}
