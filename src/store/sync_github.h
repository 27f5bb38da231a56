// GitHub issues as a ticket tracker, through the REST API
// (https://docs.github.com/en/rest/issues/issues): POST /repos/{owner}/{repo}/issues to create,
// GET /repos/{owner}/{repo}/issues?state=all&labels=inquest&per_page=100 to list, following the
// Link header's rel="next" from page to page as long as it stays on the API's scheme, host and
// port (the token goes nowhere else: a next page elsewhere is an error naming its URL).
//
// State mapping: open -> open; closed with state_reason "not_planned" -> won't do; any other
// closed (completed, or no reason) -> done. GitHub has no "in progress".
#ifndef INQUEST_STORE_SYNC_GITHUB_H_
#define INQUEST_STORE_SYNC_GITHUB_H_

#include <string>

#include "store/sync_http.h"
#include "store/sync_tracker.h"

namespace inquest::store {

struct GitHubConfig {
  // The REST API root: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise.
  std::string api_url = "https://api.github.com";
  std::string repo;   // "owner/name"
  std::string token;  // a personal access token or an Actions GITHUB_TOKEN
  // Whether an http:// api_url on this machine was accepted (sync_config: --allow-http-loopback);
  // the token still goes to api_url's own scheme, host and port only.
  bool allow_http_loopback = false;
};

class GitHubTracker : public TicketTracker {
 public:
  // `http` must outlive this (normally a RetryingTransport over CurlTransport).
  GitHubTracker(GitHubConfig config, HttpTransport* http);

  std::string_view name() const override { return "github"; }
  bool Owns(std::string_view url) const override;
  bool ReportsProgress() const override { return false; }
  Result<std::vector<RemoteTicket>> ListTickets() override;
  Result<RemoteTicket> Create(const TicketDraft& draft) override;

 private:
  HttpRequest Request(std::string method, std::string url) const;
  GitHubConfig config_;
  HttpTransport* http_;
};

// Parses one page of GET .../issues (a JSON array) into *out, skipping pull requests (the
// issues endpoint lists them too). BadInput naming the URL when the body is not such an array.
Status ParseGitHubIssues(std::string_view body, std::string_view url,
                         std::vector<RemoteTicket>* out);
// Parses one issue object (the answer to a create).
Result<RemoteTicket> ParseGitHubIssue(std::string_view body, std::string_view url);

}  // namespace inquest::store

#endif  // INQUEST_STORE_SYNC_GITHUB_H_
