#include "store/sync_jira.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <array>

#include "base/json_writer.h"
#include "base/strings.h"

namespace inquest::store {
namespace {

// Jira Cloud returns at most 100 issues a page whatever is asked (the answer's maxResults says
// what it used); the loop follows what came back.
constexpr int kMaxResults = 100;
// Resolutions that mean the work was dropped, not done (Jira's defaults and common additions).
constexpr std::array<std::string_view, 7> kWontDoResolutions = {
    "Won't Do", "Won't Fix", "Declined", "Duplicate", "Cannot Reproduce", "Rejected", "Obsolete"};

ActionStatus FromCategory(std::string_view category, std::string_view resolution) {
  if (category == "done") {
    for (std::string_view r : kWontDoResolutions)
      if (EqualsIgnoreCase(r, resolution)) return ActionStatus::kWontDo;
    return ActionStatus::kDone;
  }
  if (category == "indeterminate") return ActionStatus::kInProgress;
  return ActionStatus::kOpen;
}

}  // namespace

Result<size_t> ParseJiraSearch(std::string_view body, std::string_view url,
                               std::string_view browse_base, std::vector<RemoteTicket>* out,
                               int64_t* total) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::array issues;
  if (parser.parse(body.data(), body.size()).get(doc) || doc["issues"].get(issues) ||
      doc["total"].get(*total))
    return Status::BadInput(fmt::format("{}: expected a search result with issues and total: {}",
                                        url, BodyExcerpt(body)));
  size_t n = 0;
  for (simdjson::dom::element issue : issues) {
    ++n;
    std::string_view key, status_name, category, resolution, description;
    if (issue["key"].get(key))
      return Status::BadInput(fmt::format("{}: issue {} has no key", url, n));
    simdjson::dom::element fields;
    if (issue["fields"].get(fields) || fields["status"]["statusCategory"]["key"].get(category))
      return Status::BadInput(fmt::format("{}: issue {} has no status category", url, key));
    // Optional: a missing status name or a null resolution (unresolved) leaves them empty.
    if (fields["status"]["name"].get(status_name)) status_name = {};
    if (fields["resolution"]["name"].get(resolution)) resolution = {};
    RemoteTicket t;
    t.url = fmt::format("{}{}", browse_base, key);
    if (fields["description"].get(description) == simdjson::SUCCESS)
      t.action_id = MarkerId(description);
    t.status = FromCategory(category, resolution);
    t.state_text = resolution.empty() ? std::string(status_name)
                                      : fmt::format("{} ({})", status_name, resolution);
    out->push_back(std::move(t));
  }
  return n;
}

JiraTracker::JiraTracker(JiraConfig config, HttpTransport* http)
    : config_(std::move(config)), http_(http) {
  config_.url = TrimSlash(config_.url);
}

bool JiraTracker::Owns(std::string_view url) const {
  std::string prefix = fmt::format("{}/browse/{}-", config_.url, config_.project);
  return url.starts_with(prefix);
}

HttpRequest JiraTracker::Request(std::string method, std::string url) const {
  HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers = {{"Accept", "application/json"}};
  if (!config_.email.empty()) {
    r.basic_user = config_.email;
    r.basic_password = config_.token;
  } else {
    r.headers.emplace_back("Authorization", "Bearer " + config_.token);
  }
  return r;
}

Result<std::vector<RemoteTicket>> JiraTracker::ListTickets() {
  std::vector<RemoteTicket> out;
  std::string jql = fmt::format("project = \"{}\" AND labels = \"{}\" ORDER BY key ASC",
                                config_.project, kTicketLabel);
  std::string browse = fmt::format("{}/browse/", config_.url);
  int64_t start = 0;
  for (int page = 0;; ++page) {
    std::string url = fmt::format(
        "{}/rest/api/2/search?jql={}&startAt={}&maxResults={}&fields=status,resolution,description",
        config_.url, UrlEncode(jql), start, kMaxResults);
    if (page == kMaxPages)
      return Status::BadInput(fmt::format("{}: more than {} pages of issues", url, kMaxPages));
    Result<HttpResponse> r = http_->Send(Request("GET", url));
    if (!r.ok()) return Fatal(r.status());
    if (r->status != 200)
      return Fatal(TrackerHttpError(fmt::format("searching Jira ({})", url), *r));
    int64_t total = 0;
    INQ_ASSIGN_OR_RETURN(size_t n, ParseJiraSearch(r->body, url, browse, &out, &total));
    start += static_cast<int64_t>(n);
    if (n == 0 || start >= total) break;
  }
  return out;
}

Result<RemoteTicket> JiraTracker::Create(const TicketDraft& draft) {
  HttpRequest req = Request("POST", fmt::format("{}/rest/api/2/issue", config_.url));
  req.headers.emplace_back("Content-Type", "application/json");
  JsonWriter body(JsonStyle::kCompact);
  body.BeginObject().Key("fields").BeginObject();
  body.Key("project").BeginObject().Field("key", config_.project).EndObject();
  body.Field("summary", draft.title).Field("description", draft.body);
  body.Key("issuetype").BeginObject().Field("name", config_.issue_type).EndObject();
  body.Key("labels").BeginArray().String(kTicketLabel).EndArray();
  body.EndObject().EndObject();
  req.body = body.Take().str();
  Result<HttpResponse> r = http_->Send(req);
  if (!r.ok()) return Fatal(r.status());
  if (r->status != 201)
    return TrackerHttpError(fmt::format("creating a Jira issue in {}", config_.project), *r);
  simdjson::dom::parser parser;
  std::string_view key;
  if (parser.parse(r->body.data(), r->body.size())["key"].get(key))
    return Status::BadInput(
        fmt::format("{}: the answer names no issue key: {}", req.url, BodyExcerpt(r->body)));
  RemoteTicket t;
  t.url = fmt::format("{}/browse/{}", config_.url, key);
  t.status = ActionStatus::kOpen;
  t.state_text = "created";
  return t;
}

}  // namespace inquest::store
