// Jira as a ticket tracker, through the REST API v2
// (https://developer.atlassian.com/cloud/jira/platform/rest/v2/): POST /rest/api/2/issue to
// create, GET /rest/api/2/search with JQL `project = KEY AND labels = inquest` to list, paged
// with startAt and maxResults until `total` is reached.
//
// Authentication: with an account email, HTTP Basic email:token (Jira Cloud API tokens);
// without one, "Authorization: Bearer token" (personal access tokens of Jira Data Center).
//
// State mapping, by status category (the workflow's own status names vary): "new" -> open,
// "indeterminate" -> in progress, "done" -> won't do when the resolution is one of
// kWontDoResolutions, else done.
#ifndef INQUEST_STORE_SYNC_JIRA_H_
#define INQUEST_STORE_SYNC_JIRA_H_

#include <string>

#include "store/sync_http.h"
#include "store/sync_tracker.h"

namespace inquest::store {

struct JiraConfig {
  std::string url;      // the site, e.g. https://example.atlassian.net
  std::string project;  // project key, e.g. OPS
  std::string issue_type = "Task";
  std::string email;  // Jira Cloud: the token's account; empty: bearer token
  std::string token;
  bool allow_http_loopback = false;  // see GitHubConfig
};

class JiraTracker : public TicketTracker {
 public:
  // `http` must outlive this.
  JiraTracker(JiraConfig config, HttpTransport* http);

  std::string_view name() const override { return "jira"; }
  bool Owns(std::string_view url) const override;
  bool ReportsProgress() const override { return true; }
  Result<std::vector<RemoteTicket>> ListTickets() override;
  Result<RemoteTicket> Create(const TicketDraft& draft) override;

 private:
  HttpRequest Request(std::string method, std::string url) const;
  JiraConfig config_;
  HttpTransport* http_;
};

// One page of /rest/api/2/search: appends its issues to *out (URLs under `browse_base`,
// "https://site/browse/") and returns how many the page held; *total gets the answer's total.
Result<size_t> ParseJiraSearch(std::string_view body, std::string_view url,
                               std::string_view browse_base, std::vector<RemoteTicket>* out,
                               int64_t* total);

}  // namespace inquest::store

#endif  // INQUEST_STORE_SYNC_JIRA_H_
