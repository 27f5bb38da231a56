// The ticket sync without a network: HTTP answers scripted in memory, a real SQLite store in a
// temporary folder. tests/e2e/sync_*_test.py runs the same code against local GitHub and Jira
// servers.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <stdlib.h>

#include <deque>
#include <filesystem>
#include <map>

#include "base/config.h"
#include "store/store.h"
#include "store/sync_actions.h"
#include "store/sync_config.h"
#include "store/sync_github.h"
#include "store/sync_http.h"
#include "store/sync_jira.h"
#include "store/sync_retry.h"

namespace inquest::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

// Answers requests from a queue and records them.
class ScriptedTransport : public HttpTransport {
 public:
  void Push(int status, std::string body, std::map<std::string, std::string, std::less<>> h = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(h);
    answers_.push_back(std::move(r));
  }
  Result<HttpResponse> Send(const HttpRequest& request) override {
    sent.push_back(request);
    if (answers_.empty()) return Status::IoError("connection refused: " + request.url);
    HttpResponse r = std::move(answers_.front());
    answers_.pop_front();
    return r;
  }
  std::vector<HttpRequest> sent;

 private:
  std::deque<HttpResponse> answers_;
};

HttpRequest GetRequest() {
  HttpRequest r;
  r.url = "http://t/x";
  return r;
}

TEST(LinkNextTest, FindsTheNextPageAmongOtherRelations) {
  EXPECT_EQ(LinkNext(R"(<https://api.github.com/repositories/1/issues?page=2>; rel="next", )"
                     R"(<https://api.github.com/repositories/1/issues?page=5>; rel="last")"),
            "https://api.github.com/repositories/1/issues?page=2");
  EXPECT_EQ(LinkNext(R"(<https://x/issues?page=1>; rel="first", <https://x/issues?page=3>; )"
                     R"(rel="prev")"),
            "");
  EXPECT_EQ(LinkNext(R"(<https://x/i?page=4>; rel="prev", <https://x/i?page=6>; rel="next")"),
            "https://x/i?page=6");
  EXPECT_EQ(LinkNext(""), "");
  EXPECT_EQ(LinkNext("<unterminated; rel=\"next\""), "");
}

TEST(RequestedWaitTest, ReadsRetryAfterAndRateLimitReset) {
  system_clock::time_point now = system_clock::from_time_t(1'780'000'000);
  HttpResponse r;
  r.status = 429;
  r.headers["retry-after"] = "7";
  EXPECT_EQ(RequestedWait(r, now), milliseconds(7000));
  r.headers["retry-after"] = "Wed, 21 Oct 2015 07:28:00 GMT";  // in the past: no wait
  EXPECT_EQ(RequestedWait(r, now), milliseconds(0));
  r.headers.clear();
  r.status = 403;
  r.headers["x-ratelimit-remaining"] = "0";
  r.headers["x-ratelimit-reset"] = "1780000042";  // GitHub: epoch seconds
  EXPECT_TRUE(IsRateLimited(r));
  EXPECT_EQ(RequestedWait(r, now), milliseconds(42000));
  r.headers["x-ratelimit-reset"] = "2026-05-28T20:27:10Z";  // Jira: ISO 8601 (epoch + 30 s)
  EXPECT_EQ(RequestedWait(r, now), milliseconds(30000));
  // Absurd values are clamped, not overflowed (found by UBSan).
  r.headers["x-ratelimit-reset"] = "99999999999999";
  EXPECT_GT(RequestedWait(r, now), milliseconds(1'000'000'000'000));
  r.headers["retry-after"] = "99999999999999";
  EXPECT_EQ(RequestedWait(r, now), milliseconds(int64_t{365} * 86400 * 1000));
  r.headers["retry-after"] = "Fri, 31 Dec 9999 23:59:59 GMT";
  EXPECT_GT(RequestedWait(r, now), milliseconds(1'000'000'000'000));
  r.headers.erase("retry-after");
  r.headers["x-ratelimit-remaining"] = "12";  // a plain 403: not a rate limit
  EXPECT_FALSE(IsRateLimited(r));
  EXPECT_EQ(RequestedWait(r, now), std::nullopt);
}

TEST(RetryingTransportTest, WaitsAsToldThenSucceeds) {
  ScriptedTransport inner;
  inner.Push(429, "{}", {{"retry-after", "2"}});
  inner.Push(503, "down");
  inner.Push(200, "[]");
  std::vector<milliseconds> slept;
  RetryingTransport http(&inner, RetryPolicy{}, [&](milliseconds d) { slept.push_back(d); });
  Result<HttpResponse> r = http.Send(GetRequest());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  ASSERT_EQ(slept.size(), 2u);
  EXPECT_EQ(slept[0], milliseconds(2000));  // Retry-After
  EXPECT_EQ(slept[1], milliseconds(2000));  // no header: backoff 1 s doubled once
  EXPECT_EQ(http.stats().retries, 2);
}

TEST(RetryingTransportTest, GivesUpAfterTheAttemptsOrAnOverlongWait) {
  ScriptedTransport inner;
  for (int i = 0; i < 5; ++i) inner.Push(429, "slow down");
  int sleeps = 0;
  RetryPolicy policy;
  policy.max_attempts = 3;
  RetryingTransport http(&inner, policy, [&](milliseconds) { ++sleeps; });
  Result<HttpResponse> r = http.Send(GetRequest());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(inner.sent.size(), 3u);
  EXPECT_EQ(sleeps, 2);

  ScriptedTransport spent;
  spent.Push(403, "{}", {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "99999999999"}});
  RetryingTransport http2(&spent, RetryPolicy{}, [&](milliseconds) { ADD_FAILURE() << "slept"; });
  Result<HttpResponse> r2 = http2.Send(GetRequest());
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->status, 403);
  EXPECT_NE(http2.stats().last_note.find("more than"), std::string::npos);
}

TEST(TrackerHttpErrorTest, FatalForAuthAccessAndLimitsOtherwiseThisItemOnly) {
  HttpResponse r;
  r.body = R"({"message":"Bad credentials"})";
  r.status = 401;
  Status s = TrackerHttpError("listing", r);
  EXPECT_TRUE(IsFatalTrackerError(s));
  EXPECT_NE(s.message().find("token was refused"), std::string::npos);
  EXPECT_NE(s.message().find("Bad credentials"), std::string::npos);
  r.status = 422;
  EXPECT_FALSE(IsFatalTrackerError(TrackerHttpError("creating", r)));
  EXPECT_EQ(TrackerHttpError("creating", r).code(), StatusCode::kBadInput);
  r.status = 403;
  r.headers["x-ratelimit-remaining"] = "0";
  r.headers["x-ratelimit-reset"] = "1780012800";
  s = TrackerHttpError("listing", r);
  EXPECT_TRUE(IsFatalTrackerError(s));
  EXPECT_NE(s.message().find("resets at 2026-05-29T00:00:00Z"), std::string::npos);
  r.status = 502;
  r.headers.clear();
  EXPECT_TRUE(IsFatalTrackerError(TrackerHttpError("listing", r)));
  EXPECT_FALSE(IsFatalTrackerError(Status::BadInput("x")));
  EXPECT_TRUE(IsFatalTrackerError(Fatal(Status::IoError("refused"))));
}

TEST(GitHubParseTest, MapsStatesAndSkipsPullRequests) {
  std::vector<RemoteTicket> out;
  ASSERT_TRUE(
      ParseGitHubIssues(
          R"([{"html_url":"https://github.com/a/b/issues/3","state":"closed",)"
          R"("state_reason":"not_planned","body":"x\n\ninquest-action-id: 12\n"},)"
          R"({"html_url":"https://github.com/a/b/pull/2","state":"open","pull_request":{}},)"
          R"({"html_url":"https://github.com/a/b/issues/1","state":"closed",)"
          R"("state_reason":"completed","body":null},)"
          R"({"html_url":"https://github.com/a/b/issues/4","state":"open","body":"no marker"}])",
          "u", &out)
          .ok());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].status, ActionStatus::kWontDo);
  EXPECT_EQ(out[0].action_id, 12);
  EXPECT_EQ(out[0].state_text, "closed (not_planned)");
  EXPECT_EQ(out[1].status, ActionStatus::kDone);
  EXPECT_EQ(out[1].action_id, std::nullopt);
  EXPECT_EQ(out[2].status, ActionStatus::kOpen);

  Status bad = ParseGitHubIssues(R"({"message":"Bad credentials"})", "https://x/issues", &out);
  EXPECT_EQ(bad.code(), StatusCode::kBadInput);
  EXPECT_NE(bad.message().find("https://x/issues"), std::string::npos);
}

TEST(GitHubTrackerTest, CreateSendsValidJsonAndReadsTheIssue) {
  ScriptedTransport http;
  http.Push(201,
            R"({"number":7,"html_url":"https://github.com/acme/web/issues/7","state":"open"})");
  GitHubConfig config;
  config.api_url = "https://ghe.example/api/v3/";
  config.repo = "acme/web";
  config.token = "t";
  GitHubTracker gh(config, &http);
  TicketDraft draft;
  draft.title = "Quote \" backslash \\ tab\t";
  draft.body = "line 1\nline 2 \xc3\xa9\n\ninquest-action-id: 3\n";
  Result<RemoteTicket> t = gh.Create(draft);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->url, "https://github.com/acme/web/issues/7");
  ASSERT_EQ(http.sent.size(), 1u);
  EXPECT_EQ(http.sent[0].method, "POST");
  EXPECT_EQ(http.sent[0].url, "https://ghe.example/api/v3/repos/acme/web/issues");
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  ASSERT_EQ(parser.parse(http.sent[0].body).get(body), simdjson::SUCCESS) << http.sent[0].body;
  EXPECT_EQ(std::string_view(body["title"]), draft.title);
  EXPECT_EQ(std::string_view(body["body"]), draft.body);
  EXPECT_EQ(std::string_view(body["labels"].at(0)), "inquest");
  EXPECT_TRUE(gh.Owns("https://github.com/acme/web/issues/7"));
  EXPECT_FALSE(gh.Owns("https://github.com/acme/web-old/issues/7"));
  EXPECT_FALSE(gh.Owns("https://github.com/xacme/web/issues/7"));
}

TEST(GitHubTrackerTest, FollowsTheNextPageOnlyOnTheApisOwnOrigin) {
  const std::string page =
      R"([{"html_url":"https://github.com/acme/web/issues/1","state":"open"}])";
  GitHubConfig config;
  config.api_url = "https://api.github.com";
  config.repo = "acme/web";
  config.token = "secret-token";
  // Same scheme, host and port (the port written or not): followed.
  {
    ScriptedTransport http;
    http.Push(200, page, {{"link", R"(<https://API.github.com:443/x?page=2>; rel="next")"}});
    http.Push(200, page);
    GitHubTracker gh(config, &http);
    Result<std::vector<RemoteTicket>> all = gh.ListTickets();
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    EXPECT_EQ(http.sent.size(), 2u);
  }
  for (const char* next :
       {"https://evil.example/x?page=2", "http://api.github.com/x?page=2",
        "https://api.github.com:8443/x?page=2", "https://api.github.com@evil.example/x?page=2",
        "https://api.github.com.evil.example/x?page=2", "ftp://api.github.com/"}) {
    ScriptedTransport http;
    http.Push(200, page, {{"link", fmt::format(R"(<{}>; rel="next")", next)}});
    http.Push(200, page);
    GitHubTracker gh(config, &http);
    Result<std::vector<RemoteTicket>> all = gh.ListTickets();
    ASSERT_FALSE(all.ok()) << next;
    EXPECT_TRUE(IsFatalTrackerError(all.status())) << next;
    EXPECT_NE(all.status().message().find(next), std::string::npos) << all.status().message();
    EXPECT_NE(all.status().message().find("not followed"), std::string::npos);
    ASSERT_EQ(http.sent.size(), 1u) << next;  // the token went to the API only
    EXPECT_EQ(http.sent[0].url.rfind("https://api.github.com/", 0), 0u);
  }
}

TEST(UrlOriginTest, ParsesWhatDecidesWhereATokenGoes) {
  Result<UrlOrigin> o = ParseOrigin("HTTPS://Api.GitHub.com/repos?x=1");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->scheme, "https");
  EXPECT_EQ(o->host, "api.github.com");
  EXPECT_EQ(o->port, 443);
  o = ParseOrigin("http://[::1]:8080");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->host, "[::1]");
  EXPECT_EQ(o->port, 8080);
  for (const char* bad : {"api.github.com", "file:///etc/passwd", "https://user:pw@host/",
                          "https:///path", "https://host:99999/", "https://host:12a/",
                          "https://ho st/", "https://host\\@evil/", "https://[::1/"})
    EXPECT_FALSE(ParseOrigin(bad).ok()) << bad;
  EXPECT_TRUE(SameOrigin("https://h/a?page=2", "https://H:443/"));
  EXPECT_FALSE(SameOrigin("http://h/a", "https://h/"));
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.10.0.254"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_TRUE(IsLoopbackHost("[::1]"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.1.evil.example"));
  EXPECT_FALSE(IsLoopbackHost("128.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("localhost.evil.example"));
}

TEST(SyncConfigTest, TokensTravelOverHttpsOrToThisMachineWhenAskedFor) {
  Result<Config> cfg = ParseConfig("", "inquest.toml");
  ASSERT_TRUE(cfg.ok());
  EnvLookup env = [](std::string_view n) -> std::optional<std::string> {
    if (n == "GITHUB_TOKEN" || n == "JIRA_TOKEN") return std::string("tok");
    return std::nullopt;
  };
  SyncFlags flags;
  flags.repo = "acme/web";
  flags.project = "OPS";
  for (const char* url : {"http://api.example.com", "http://127.0.0.1:8080"}) {
    flags.url = url;
    Result<GitHubConfig> gh = ResolveGitHub(cfg->table, flags, env);
    EXPECT_EQ(gh.status().code(), StatusCode::kInvalidArgument) << url;
    Result<JiraConfig> jira = ResolveJira(cfg->table, flags, env);
    EXPECT_EQ(jira.status().code(), StatusCode::kInvalidArgument) << url;
  }
  flags.allow_http_loopback = true;
  flags.url = "http://api.example.com";
  EXPECT_NE(ResolveGitHub(cfg->table, flags, env).status().message().find("not https"),
            std::string::npos);
  for (const char* url : {"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"}) {
    flags.url = url;
    EXPECT_TRUE(ResolveGitHub(cfg->table, flags, env).ok()) << url;
    EXPECT_TRUE(ResolveJira(cfg->table, flags, env).ok()) << url;
  }
  flags.allow_http_loopback = false;
  flags.url = "https://ghe.example/api/v3";
  EXPECT_TRUE(ResolveGitHub(cfg->table, flags, env).ok());
  flags.url = "https://user@ghe.example/api/v3";
  EXPECT_FALSE(ResolveGitHub(cfg->table, flags, env).ok());
}

TEST(JiraParseTest, MapsStatusCategoriesAndResolutions) {
  std::vector<RemoteTicket> out;
  int64_t total = 0;
  Result<size_t> n = ParseJiraSearch(
      R"({"startAt":0,"maxResults":50,"total":7,"issues":[)"
      R"({"key":"OPS-1","fields":{"status":{"name":"To Do","statusCategory":{"key":"new"}},"resolution":null}},)"
      R"({"key":"OPS-2","fields":{"status":{"name":"Doing","statusCategory":{"key":"indeterminate"}}}},)"
      R"({"key":"OPS-3","fields":{"status":{"name":"Closed","statusCategory":{"key":"done"}},)"
      R"("resolution":{"name":"Won't Do"},"description":"inquest-action-id: 5"}},)"
      R"({"key":"OPS-4","fields":{"status":{"name":"Closed","statusCategory":{"key":"done"}},)"
      R"("resolution":{"name":"Fixed"}}}]})",
      "u", "https://j/browse/", &out, &total);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 4u);
  EXPECT_EQ(total, 7);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].url, "https://j/browse/OPS-1");
  EXPECT_EQ(out[0].status, ActionStatus::kOpen);
  EXPECT_EQ(out[1].status, ActionStatus::kInProgress);
  EXPECT_EQ(out[2].status, ActionStatus::kWontDo);
  EXPECT_EQ(out[2].action_id, 5);
  EXPECT_EQ(out[3].status, ActionStatus::kDone);
  EXPECT_EQ(out[3].state_text, "Closed (Fixed)");
  EXPECT_FALSE(ParseJiraSearch(R"({"errorMessages":["x"]})", "u", "b", &out, &total).ok());
}

// Every prefix of a valid answer (a cut-off body) is an error or a shorter result, never a
// crash; run under ASan in the sanitizer build.
TEST(ParseRobustnessTest, TruncatedAnswersAreErrorsNotCrashes) {
  const std::string github =
      R"([{"html_url":"https://github.com/a/b/issues/3","state":"closed","state_reason":)"
      R"("not_planned","body":"inquest-action-id: 12"},{"html_url":"u","state":"open"}])";
  const std::string jira =
      R"({"startAt":0,"maxResults":50,"total":1,"issues":[{"key":"OPS-1","fields":{"status":)"
      R"({"name":"To Do","statusCategory":{"key":"new"}},"resolution":null}}]})";
  const std::string link = R"(<https://x/i?page=2>; rel="next", <https://x/i?page=9>; rel="last")";
  int github_ok = 0, jira_ok = 0;
  for (size_t n = 0; n <= github.size(); ++n) {
    std::vector<RemoteTicket> out;
    github_ok += ParseGitHubIssues(std::string_view(github).substr(0, n), "u", &out).ok();
  }
  for (size_t n = 0; n <= jira.size(); ++n) {
    std::vector<RemoteTicket> out;
    int64_t total = 0;
    jira_ok += ParseJiraSearch(std::string_view(jira).substr(0, n), "u", "b/", &out, &total).ok();
  }
  EXPECT_EQ(github_ok, 1);  // only the whole body parses
  EXPECT_EQ(jira_ok, 1);
  for (size_t n = 0; n <= link.size(); ++n) {
    std::string next = LinkNext(std::string_view(link).substr(0, n));
    EXPECT_TRUE(next.empty() || next == "https://x/i?page=2") << next;
  }
  EXPECT_EQ(MarkerId("inquest-action-id: "), std::nullopt);
  EXPECT_EQ(MarkerId("inquest-action-id: 99999999999999999999999"), std::nullopt);
  EXPECT_EQ(MarkerId("inquest-action-id: 0"), std::nullopt);
  EXPECT_EQ(MarkerId("x\ninquest-action-id: 42\n"), 42);
}

TEST(JiraTrackerTest, PagesWithStartAtUntilTotal) {
  ScriptedTransport http;
  auto page = [](int start, int total, std::vector<int> keys) {
    std::string issues;
    for (int k : keys)
      issues += fmt::format(R"({}{{"key":"OPS-{}","fields":{{"status":{{"name":"To Do",)"
                            R"("statusCategory":{{"key":"new"}}}}}}}})",
                            issues.empty() ? "" : ",", k);
    return fmt::format(R"({{"startAt":{},"maxResults":2,"total":{},"issues":[{}]}})", start, total,
                       issues);
  };
  // The server caps pages at 2 whatever maxResults asked for.
  http.Push(200, page(0, 5, {1, 2}));
  http.Push(200, page(2, 5, {3, 4}));
  http.Push(200, page(4, 5, {5}));
  JiraConfig config;
  config.url = "https://j.example/";
  config.project = "OPS";
  config.token = "tok";
  JiraTracker jira(config, &http);
  Result<std::vector<RemoteTicket>> all = jira.ListTickets();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->size(), 5u);
  ASSERT_EQ(http.sent.size(), 3u);
  EXPECT_NE(http.sent[1].url.find("startAt=2&"), std::string::npos);
  EXPECT_NE(http.sent[2].url.find("startAt=4&"), std::string::npos);
  EXPECT_NE(http.sent[0].url.find("jql=project%20%3D%20%22OPS%22"), std::string::npos);
  EXPECT_EQ(http.sent[0].headers.back().second, "Bearer tok");
  EXPECT_TRUE(jira.Owns("https://j.example/browse/OPS-12"));
  EXPECT_FALSE(jira.Owns("https://j.example/browse/OTHER-12"));
}

// A tracker in memory: tickets by URL, failures on demand.
class FakeTracker : public TicketTracker {
 public:
  std::string_view name() const override { return "fake"; }
  bool Owns(std::string_view url) const override { return url.starts_with("https://fake/"); }
  bool ReportsProgress() const override { return progress; }
  Result<std::vector<RemoteTicket>> ListTickets() override { return tickets; }
  Result<RemoteTicket> Create(const TicketDraft& draft) override {
    drafts.push_back(draft);
    if (!fail_next.ok()) {
      Status s = fail_next;
      fail_next = Status::Ok();
      return s;
    }
    RemoteTicket t;
    t.url = fmt::format("https://fake/{}", tickets.size() + 1);
    t.action_id = MarkerId(draft.body);
    tickets.push_back(t);
    return t;
  }
  bool progress = false;
  std::vector<RemoteTicket> tickets;
  std::vector<TicketDraft> drafts;
  Status fail_next;
};

class SyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/inquest-sync-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    Result<std::unique_ptr<Store>> s = OpenStore(dir_ + "/inquest.db", {});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    Incident inc;
    inc.title = "Checkout cache stampede";
    inc.sev = "SEV-2";
    Result<int64_t> id = store_->PutIncident(inc);
    ASSERT_TRUE(id.ok());
    incident_ = *id;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  int64_t Add(std::string action, ActionStatus status = ActionStatus::kOpen, std::string url = "") {
    ActionItem item;
    item.incident_id = incident_;
    item.action = std::move(action);
    item.owner = "pricing";
    item.status = status;
    item.ticket_url = std::move(url);
    Result<int64_t> id = store_->AddAction(item);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  ActionItem Get(int64_t id) {
    Result<ActionItem> item = store_->GetAction(id);
    EXPECT_TRUE(item.ok());
    return item.ok() ? *item : ActionItem{};
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  int64_t incident_ = 0;
};

TEST_F(SyncTest, CreatesTicketsOnlyForOpenItemsWithoutOne) {
  int64_t a = Add("Add singleflight to pricing origin fetch");
  int64_t b = Add("Already done", ActionStatus::kDone);
  int64_t c = Add("Elsewhere", ActionStatus::kOpen, "https://linear.example/ISSUE-1");
  FakeTracker tracker;
  Result<SyncReport> r = SyncActions(store_.get(), &tracker, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Count(SyncOutcome::kCreated), 1);
  ASSERT_EQ(tracker.drafts.size(), 1u);
  EXPECT_EQ(tracker.drafts[0].title, "Add singleflight to pricing origin fetch");
  EXPECT_NE(tracker.drafts[0].body.find("Checkout cache stampede"), std::string::npos);
  EXPECT_EQ(MarkerId(tracker.drafts[0].body), a);
  EXPECT_EQ(Get(a).ticket_url, "https://fake/1");
  EXPECT_EQ(Get(b).ticket_url, "");
  EXPECT_EQ(Get(c).ticket_url, "https://linear.example/ISSUE-1");

  // A second run creates nothing more.
  Result<SyncReport> again = SyncActions(store_.get(), &tracker, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->Count(SyncOutcome::kCreated), 0);
  EXPECT_EQ(again->Count(SyncOutcome::kUnchanged), 1);
  EXPECT_EQ(tracker.drafts.size(), 1u);
}

TEST_F(SyncTest, PullsStatusBackAndKeepsHistory) {
  int64_t done = Add("a", ActionStatus::kOpen, "https://fake/1");
  int64_t dropped = Add("b", ActionStatus::kOpen, "https://fake/2");
  int64_t doing = Add("c", ActionStatus::kInProgress, "https://fake/3");
  int64_t reopened = Add("d", ActionStatus::kDone, "https://fake/4");
  FakeTracker tracker;
  tracker.tickets = {
      {"https://fake/1", std::nullopt, ActionStatus::kDone, "closed (completed)"},
      {"https://fake/2", std::nullopt, ActionStatus::kWontDo, "closed (not_planned)"},
      {"https://fake/3", std::nullopt, ActionStatus::kOpen, "open"},
      {"https://fake/4", std::nullopt, ActionStatus::kOpen, "open (reopened)"}};
  Result<SyncReport> r = SyncActions(store_.get(), &tracker, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Count(SyncOutcome::kUpdated), 3);
  EXPECT_EQ(Get(done).status, ActionStatus::kDone);
  EXPECT_EQ(Get(dropped).status, ActionStatus::kWontDo);
  EXPECT_EQ(Get(doing).status, ActionStatus::kInProgress);  // GitHub-like: no progress state
  EXPECT_EQ(Get(reopened).status, ActionStatus::kOpen);
  ActionItem h = Get(done);
  ASSERT_GE(h.history.size(), 2u);
  EXPECT_EQ(h.history.back().note, "sync fake: ticket closed (completed)");

  tracker.progress = true;  // Jira-like: an open ticket does say "open"
  Result<SyncReport> r2 = SyncActions(store_.get(), &tracker, {});
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(Get(doing).status, ActionStatus::kOpen);
}

TEST_F(SyncTest, AdoptsAnOrphanTicketInsteadOfDuplicating) {
  int64_t a = Add("a");
  FakeTracker tracker;
  tracker.tickets = {{"https://fake/9", a, ActionStatus::kOpen, "open"}};
  Result<SyncReport> r = SyncActions(store_.get(), &tracker, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Count(SyncOutcome::kLinked), 1);
  EXPECT_TRUE(tracker.drafts.empty());
  EXPECT_EQ(Get(a).ticket_url, "https://fake/9");
}

TEST_F(SyncTest, DryRunWritesNothing) {
  int64_t a = Add("a");
  int64_t b = Add("b", ActionStatus::kOpen, "https://fake/1");
  FakeTracker tracker;
  tracker.tickets = {{"https://fake/1", std::nullopt, ActionStatus::kDone, "closed"}};
  SyncOptions dry;
  dry.dry_run = true;
  Result<SyncReport> r = SyncActions(store_.get(), &tracker, dry);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Count(SyncOutcome::kCreated), 1);
  EXPECT_EQ(r->Count(SyncOutcome::kUpdated), 1);
  EXPECT_TRUE(tracker.drafts.empty());
  EXPECT_EQ(Get(a).ticket_url, "");
  EXPECT_EQ(Get(b).status, ActionStatus::kOpen);
}

TEST_F(SyncTest, OneBadItemFailsAloneAFatalErrorStopsTheRun) {
  int64_t a = Add("a"), b = Add("b"), c = Add("c");
  FakeTracker tracker;
  tracker.fail_next = Status::BadInput("creating: HTTP 422: Validation Failed");
  Result<SyncReport> r = SyncActions(store_.get(), &tracker, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Count(SyncOutcome::kFailed), 1);
  EXPECT_EQ(r->Count(SyncOutcome::kCreated), 2);
  EXPECT_EQ(Get(a).ticket_url, "");
  EXPECT_NE(Get(b).ticket_url, "");
  EXPECT_FALSE(r->ok());

  FakeTracker dead;
  dead.fail_next = Fatal(Status::IoError("connection refused"));
  int64_t d = Add("d");
  Result<SyncReport> r2 = SyncActions(store_.get(), &dead, {});
  ASSERT_TRUE(r2.ok());
  EXPECT_FALSE(r2->stopped.ok());
  EXPECT_EQ(dead.drafts.size(), 1u);  // stopped after the first fatal answer
  EXPECT_EQ(Get(d).ticket_url, "");
  (void)c;
  std::string text = FormatSyncText(*r2);
  EXPECT_NE(text.find("stopped early"), std::string::npos);
}

TEST(SyncConfigTest, FlagsBeatEnvironmentBeatConfigAndTokensStayOutOfTheFile) {
  Result<Config> cfg = ParseConfig(
      "[sync.github]\nrepo = \"acme/from-config\"\n[sync.jira]\nurl = \"https://j\"\n"
      "project = \"OPS\"\ntoken_env = \"MY_JIRA\"\n",
      "inquest.toml");
  ASSERT_TRUE(cfg.ok());
  std::map<std::string, std::string, std::less<>> vars = {{"GITHUB_TOKEN", "gh"},
                                                          {"GITHUB_REPOSITORY", "acme/from-env"}};
  EnvLookup env = [&](std::string_view n) -> std::optional<std::string> {
    auto it = vars.find(n);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  Result<GitHubConfig> gh = ResolveGitHub(cfg->table, {}, env);
  ASSERT_TRUE(gh.ok());
  EXPECT_EQ(gh->repo, "acme/from-env");
  EXPECT_EQ(gh->api_url, "https://api.github.com");
  EXPECT_EQ(gh->token, "gh");
  SyncFlags flag;
  flag.repo = "acme/flag";
  gh = ResolveGitHub(cfg->table, flag, env);
  EXPECT_EQ(gh->repo, "acme/flag");
  vars.erase("GITHUB_REPOSITORY");
  EXPECT_EQ(ResolveGitHub(cfg->table, {}, env)->repo, "acme/from-config");
  flag.repo = "nonsense";
  EXPECT_EQ(ResolveGitHub(cfg->table, flag, env).status().code(), StatusCode::kInvalidArgument);

  Result<JiraConfig> jira = ResolveJira(cfg->table, {}, env);
  EXPECT_FALSE(jira.ok());  // token_env names an unset variable
  EXPECT_NE(jira.status().message().find("MY_JIRA"), std::string::npos);
  vars["MY_JIRA"] = "jt";
  jira = ResolveJira(cfg->table, {}, env);
  ASSERT_TRUE(jira.ok());
  EXPECT_EQ(jira->token, "jt");

  Result<Config> leaky = ParseConfig("[sync.github]\nrepo = \"a/b\"\ntoken = \"ghp_x\"\n", "t");
  ASSERT_TRUE(leaky.ok());
  Result<GitHubConfig> refused = ResolveGitHub(leaky->table, {}, env);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("not read from inquest.toml"), std::string::npos);
}

}  // namespace
}  // namespace inquest::store
