#include "store/sync_github.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "base/json_writer.h"
#include "base/strings.h"

namespace inquest::store {
namespace {

// GitHub's largest page; fewer requests against the rate limit.
constexpr int kPerPage = 100;
// The REST API version the requests are written against (sent as X-GitHub-Api-Version).
constexpr std::string_view kApiVersion = "2022-11-28";

Result<RemoteTicket> FromIssue(simdjson::dom::element issue, std::string_view url) {
  RemoteTicket t;
  std::string_view html_url, state, reason, body;
  if (issue["html_url"].get(html_url) || issue["state"].get(state))
    return Status::BadInput(fmt::format("{}: an issue without html_url or state", url));
  t.url = std::string(html_url);
  if (issue["body"].get(body) == simdjson::SUCCESS) t.action_id = MarkerId(body);
  bool has_reason = issue["state_reason"].get(reason) == simdjson::SUCCESS;
  if (state == "closed") {
    t.status = has_reason && reason == "not_planned" ? ActionStatus::kWontDo : ActionStatus::kDone;
  } else {
    t.status = ActionStatus::kOpen;
  }
  t.state_text =
      has_reason && !reason.empty() ? fmt::format("{} ({})", state, reason) : std::string(state);
  return t;
}

}  // namespace

Status ParseGitHubIssues(std::string_view body, std::string_view url,
                         std::vector<RemoteTicket>* out) {
  simdjson::dom::parser parser;
  simdjson::dom::array issues;
  if (parser.parse(body.data(), body.size()).get_array().get(issues))
    return Status::BadInput(
        fmt::format("{}: expected a JSON array of issues: {}", url, BodyExcerpt(body)));
  for (simdjson::dom::element issue : issues) {
    if (issue["pull_request"].error() == simdjson::SUCCESS) continue;
    INQ_ASSIGN_OR_RETURN(RemoteTicket t, FromIssue(issue, url));
    out->push_back(std::move(t));
  }
  return Status::Ok();
}

Result<RemoteTicket> ParseGitHubIssue(std::string_view body, std::string_view url) {
  simdjson::dom::parser parser;
  simdjson::dom::element issue;
  if (parser.parse(body.data(), body.size()).get(issue) || !issue.is_object())
    return Status::BadInput(
        fmt::format("{}: expected an issue object: {}", url, BodyExcerpt(body)));
  return FromIssue(issue, url);
}

GitHubTracker::GitHubTracker(GitHubConfig config, HttpTransport* http)
    : config_(std::move(config)), http_(http) {
  config_.api_url = TrimSlash(config_.api_url);
}

bool GitHubTracker::Owns(std::string_view url) const {
  return url.find(fmt::format("/{}/issues/", config_.repo)) != std::string_view::npos;
}

HttpRequest GitHubTracker::Request(std::string method, std::string url) const {
  HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers = {{"Accept", "application/vnd.github+json"},
               {"Authorization", "Bearer " + config_.token},
               {"X-GitHub-Api-Version", std::string(kApiVersion)},
               // GitHub rejects requests without a User-Agent.
               {"User-Agent", "inquest"}};
  return r;
}

Result<std::vector<RemoteTicket>> GitHubTracker::ListTickets() {
  std::vector<RemoteTicket> out;
  std::string url = fmt::format("{}/repos/{}/issues?state=all&labels={}&per_page={}",
                                config_.api_url, config_.repo, kTicketLabel, kPerPage);
  for (int page = 0; !url.empty(); ++page) {
    if (page == kMaxPages)
      return Status::BadInput(fmt::format("{}: more than {} pages of issues", url, kMaxPages));
    Result<HttpResponse> r = http_->Send(Request("GET", url));
    if (!r.ok()) return Fatal(r.status());
    if (r->status != 200)
      return Fatal(TrackerHttpError(fmt::format("listing GitHub issues ({})", url), *r));
    INQ_RETURN_IF_ERROR(ParseGitHubIssues(r->body, url, &out));
    url = LinkNext(r->Header("link"));
    if (!url.empty() && !SameOrigin(url, config_.api_url))
      return Fatal(Status::BadInput(fmt::format(
          "GitHub's Link header sends the next page of issues to {}, which is not on the API's "
          "scheme, host and port ({}): not followed, the token goes to the API only",
          SanitizeForTerminal(url), config_.api_url)));
  }
  return out;
}

Result<RemoteTicket> GitHubTracker::Create(const TicketDraft& draft) {
  HttpRequest req =
      Request("POST", fmt::format("{}/repos/{}/issues", config_.api_url, config_.repo));
  req.headers.emplace_back("Content-Type", "application/json");
  JsonWriter body(JsonStyle::kCompact);
  body.BeginObject().Field("title", draft.title).Field("body", draft.body);
  body.Key("labels").BeginArray().String(kTicketLabel).EndArray().EndObject();
  req.body = body.Take().str();
  Result<HttpResponse> r = http_->Send(req);
  if (!r.ok()) return Fatal(r.status());
  if (r->status != 201)
    return TrackerHttpError(fmt::format("creating a GitHub issue in {}", config_.repo), *r);
  return ParseGitHubIssue(r->body, req.url);
}

}  // namespace inquest::store
