// The dashboard without a socket: Summarize on hand-made items, the page's escaping and
// charts, and Dashboard::Handle's rules over a real SQLite store.
#include "dashboard/dashboard.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "dashboard/page.h"
#include "dashboard/summary.h"
#include "dashboard/svg_bars.h"

namespace inquest::dashboard {
namespace {

using store::ActionItem;
using store::ActionStatus;
using store::Incident;
using store::kNanosPerDay;

// 2026-06-20T12:00:00Z.
constexpr TimePoint kNow = (1'781'956'800LL + 12 * 3600) * kNanosPerSecond;
constexpr int64_t kMinute = 60 * kNanosPerSecond;

// A SQLite store in a fresh folder whose clock the test sets (created / status-changed times).
class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/inquest-dashboard-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    store::StoreOptions o;
    o.clock = [this] { return clock_; };
    Result<std::unique_ptr<store::Store>> s = store::OpenStore(dir_ + "/inquest.db", o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  int64_t AddIncident(std::string title, std::string sev, TimePoint started = kNoTime) {
    Incident inc;
    inc.title = std::move(title);
    inc.sev = std::move(sev);
    inc.started = started;
    Result<int64_t> id = store_->PutIncident(inc);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  // An item created at `created`, with `due` (kNoTime: none).
  int64_t AddItem(int64_t incident, TimePoint created, TimePoint due,
                  ActionStatus status = ActionStatus::kOpen) {
    clock_ = created;
    ActionItem a;
    a.incident_id = incident;
    a.action = fmt::format("action {}", ++n_);
    a.owner = "sre";
    a.due = due;
    a.status = status;
    a.ticket_url = fmt::format("https://tracker.example/{}", n_);
    Result<int64_t> id = store_->AddAction(a);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  void SetStatus(int64_t id, ActionStatus to, TimePoint at) {
    clock_ = at;
    store::ActionUpdate u;
    u.status = to;
    ASSERT_TRUE(store_->UpdateAction(id, u).ok());
  }
  Summary Load(SummaryOptions o = {}) {
    Result<Summary> s = LoadSummary(store_.get(), kNow, o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : Summary{};
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  TimePoint clock_ = kNow;
  int n_ = 0;
};

using SummaryTest = StoreFixture;

TEST_F(SummaryTest, AgesFlagsAndOrdersOpenItems) {
  int64_t inc = AddIncident("Checkout stampede", "SEV-2", kNow - 40 * kNanosPerDay);
  TimePoint today = kNow - kNow % kNanosPerDay;
  int64_t fresh = AddItem(inc, kNow - 2 * kNanosPerDay, today + 5 * kNanosPerDay);
  int64_t idle20 = AddItem(inc, kNow - 30 * kNanosPerDay, today + 5 * kNanosPerDay);
  SetStatus(idle20, ActionStatus::kInProgress, kNow - 20 * kNanosPerDay);
  int64_t late = AddItem(inc, kNow - 10 * kNanosPerDay, today - 3 * kNanosPerDay);
  SetStatus(late, ActionStatus::kInProgress, kNow - kNanosPerDay);
  int64_t idle14 = AddItem(inc, kNow - 14 * kNanosPerDay, kNoTime);
  AddItem(inc, kNow - 40 * kNanosPerDay, kNoTime, ActionStatus::kDone);
  Summary s = Load();
  ASSERT_EQ(s.open_items.size(), 4u);
  EXPECT_EQ(s.open_items[0].item.id, late);  // overdue first
  EXPECT_TRUE(s.open_items[0].overdue);
  EXPECT_EQ(s.open_items[0].days_overdue, 3);  // its due day ended 2.5 days ago
  EXPECT_EQ(s.open_items[1].item.id, idle20);  // then the longest-idle decaying item
  EXPECT_EQ(s.open_items[1].idle_days, 20);
  EXPECT_EQ(s.open_items[1].age_days, 30);
  EXPECT_EQ(s.open_items[2].item.id, idle14);  // 14 idle days: decaying (inclusive)
  EXPECT_TRUE(s.open_items[2].decaying);
  EXPECT_EQ(s.open_items[3].item.id, fresh);
  EXPECT_FALSE(s.open_items[3].decaying);
  EXPECT_EQ(s.open_items[3].age_days, 2);
  EXPECT_EQ(s.open_items[3].incident_title, "Checkout stampede");
  EXPECT_EQ(s.overdue, 1);
  EXPECT_EQ(s.decaying, 2);
  EXPECT_EQ(s.by_status[ActionStatus::kDone], 1);
  EXPECT_EQ(s.by_status[ActionStatus::kInProgress], 2);

  SummaryOptions lax;
  lax.decay_days = 21;
  EXPECT_EQ(Load(lax).decaying, 0);
}

TEST_F(SummaryTest, PageShowsMetricsPerSevAndTheaterWhenNothingLands) {
  for (int i = 0; i < 3; ++i) {
    Incident inc;
    inc.title = fmt::format("incident {}", i);
    inc.sev = "SEV-2";
    inc.started = kNow - (i + 1) * kNanosPerDay;
    inc.detected = inc.started + (i + 1) * 4 * kMinute;  // 4, 8, 12 min: median 8 min
    inc.mitigated = inc.started + 90 * kMinute;
    inc.trigger_category = "deploy";
    Result<int64_t> id = store_->PutIncident(inc);
    ASSERT_TRUE(id.ok());
    AddItem(*id, kNow - kNanosPerDay, kNoTime);
  }
  Summary s = Load();
  ASSERT_EQ(s.metrics.per_sev.size(), 1u);
  EXPECT_EQ(s.metrics.per_sev[0].ttd.median, 8 * kMinute);
  EXPECT_TRUE(s.metrics.completion.theater);  // 0 of 3 done
  ASSERT_EQ(s.incidents.size(), 3u);
  EXPECT_EQ(s.incidents[0].incident.title, "incident 0");  // newest first
  std::string page = RenderPage(s, {});
  EXPECT_NE(page.find("id=\"theater\""), std::string::npos);
  EXPECT_NE(page.find("<td class=\"num\">8 min</td>"), std::string::npos);
  EXPECT_NE(page.find("1 h 30 min"), std::string::npos);
  EXPECT_NE(page.find("aria-label=\"Median time to detect per SEV\""), std::string::npos);
  EXPECT_NE(page.find("0 (missing)"), std::string::npos);  // no prevent/detect/mitigate items
}

TEST_F(SummaryTest, PageEscapesEveryValueFromTheStore) {
  Incident inc;
  inc.title = "<b>bold</b> & \"quoted\"";
  inc.sev = "SEV-1<script>";
  inc.trigger_category = "<svg onload=alert(2)>";
  Result<int64_t> id = store_->PutIncident(inc);
  ASSERT_TRUE(id.ok());
  ActionItem a;
  a.incident_id = *id;
  a.action = "<script>alert('xss')</script>";
  a.owner = "<img src=x onerror=alert(1)>";
  a.ticket_url = "javascript:alert(3)";
  Result<int64_t> item = store_->AddAction(a);
  ASSERT_TRUE(item.ok());
  PageOptions o;
  o.allow_writes = true;
  o.store_location = "<i>db</i>";
  std::string page = RenderPage(Load(), o);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("<svg onload"), std::string::npos);
  EXPECT_EQ(page.find("<b>bold"), std::string::npos);
  EXPECT_EQ(page.find("<i>db"), std::string::npos);
  EXPECT_EQ(page.find("href=\"javascript:"), std::string::npos);  // not a link
  EXPECT_NE(page.find("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;"), std::string::npos);
  // The form: the status select, the token field, no token value in the page.
  EXPECT_NE(page.find(fmt::format("name=\"status-{}\"", *item)), std::string::npos);
  EXPECT_NE(page.find(fmt::format("name=\"was-{}\" value=\"open\"", *item)), std::string::npos);
  EXPECT_NE(page.find("name=\"token\""), std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos);  // nothing loaded from elsewhere
  EXPECT_EQ(page.find("https://"), std::string::npos);
}

TEST_F(SummaryTest, ReadOnlyPageHasNoForm) {
  AddItem(0, kNow, kNoTime);
  std::string page = RenderPage(Load(), {});
  EXPECT_EQ(page.find("<form"), std::string::npos);
  EXPECT_EQ(page.find("<select"), std::string::npos);
  EXPECT_NE(page.find("read-only"), std::string::npos);
}

TEST(SvgBarsTest, ScalesToTheLargestValueAndEscapesLabels) {
  std::string svg =
      SvgBars({{"a<b", 10, "10 & more", ""}, {"c", 5, "5", "warn"}, {"d", 0, "0", ""}},
              {.title = "T\"", .width = 420});
  EXPECT_NE(svg.find("a&lt;b"), std::string::npos);
  EXPECT_NE(svg.find("10 &amp; more"), std::string::npos);
  EXPECT_NE(svg.find("aria-label=\"T&quot;\""), std::string::npos);
  // Plot width 420 - 110 - 110 = 200: the largest bar is 200 wide, half the value half that.
  EXPECT_NE(svg.find("width=\"200.0\""), std::string::npos);
  EXPECT_NE(svg.find("width=\"100.0\""), std::string::npos);
  EXPECT_NE(svg.find("width=\"0.0\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"bar warn\""), std::string::npos);
  EXPECT_NE(SvgBars({}, {.title = "x", .width = 420}).find("no data"), std::string::npos);
}

TEST(HostTest, OnlyLoopbackNamesAndTokensCompareWhole) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1:8080"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_TRUE(IsLoopbackHost("[::1]:9000"));
  EXPECT_FALSE(IsLoopbackHost("evil.example:8080"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.1.evil.example"));
  EXPECT_FALSE(IsLoopbackHost(""));
  EXPECT_TRUE(ConstantTimeEquals("abcdefgh", "abcdefgh"));
  EXPECT_FALSE(ConstantTimeEquals("abcdefgh", "abcdefg"));
  EXPECT_FALSE(ConstantTimeEquals("abcdefgh", "abcdefgX"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
}

constexpr char kToken[] = "correct-horse-battery-staple";

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/inquest-dashboard-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    Result<std::unique_ptr<store::Store>> s = store::OpenStore(dir_ + "/inquest.db", {});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    Incident inc;
    inc.title = "Checkout stampede";
    inc.sev = "SEV-2";
    Result<int64_t> incident = store_->PutIncident(inc);
    ASSERT_TRUE(incident.ok());
    ActionItem a;
    a.incident_id = *incident;
    a.action = "Add singleflight to pricing origin fetch";
    a.owner = "pricing";
    Result<int64_t> id = store_->AddAction(a);
    ASSERT_TRUE(id.ok());
    id_ = *id;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  WebRequest Post(std::string path, std::multimap<std::string, std::string> params) {
    WebRequest r;
    r.method = "POST";
    r.path = std::move(path);
    r.headers["host"] = "127.0.0.1:8080";
    r.headers["origin"] = "http://127.0.0.1:8080";
    r.params = std::move(params);
    return r;
  }
  std::multimap<std::string, std::string> Form(std::string token, std::string to,
                                               std::string was = "open") {
    return {
        {"token", token}, {fmt::format("status-{}", id_), to}, {fmt::format("was-{}", id_), was}};
  }
  ActionStatus Stored() { return store_->GetAction(id_)->status; }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  int64_t id_ = 0;
};

TEST_F(DashboardTest, PageShowsTheStoreWithSecurityHeaders) {
  Dashboard d(store_.get(), {});
  WebRequest get;
  get.method = "GET";
  get.path = "/";
  get.headers["host"] = "localhost:8080";
  WebResponse r = d.Handle(get);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.str().find("Add singleflight to pricing origin fetch"), std::string::npos);
  EXPECT_NE(r.body.str().find("Checkout stampede (SEV-2)"), std::string::npos);
  bool csp = false;
  for (const auto& [k, v] : r.headers)
    csp |= k == "Content-Security-Policy" && v.find("default-src 'none'") == 0;
  EXPECT_TRUE(csp);

  get.headers["host"] = "attacker.example";  // DNS rebinding
  EXPECT_EQ(d.Handle(get).status, 421);
  get.headers["host"] = "127.0.0.1:8080";
  get.path = "/nope";
  EXPECT_EQ(d.Handle(get).status, 404);
}

TEST_F(DashboardTest, ReadOnlyRefusesWrites) {
  Dashboard d(store_.get(), {});
  WebResponse r = d.Handle(Post("/actions", Form(kToken, "done")));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.str().find("read-only"), std::string::npos);
  EXPECT_EQ(Stored(), ActionStatus::kOpen);
}

TEST_F(DashboardTest, FormChangeNeedsTheTokenAndOurOwnOrigin) {
  DashboardOptions o;
  o.allow_writes = true;
  o.token = kToken;
  Dashboard d(store_.get(), o);
  EXPECT_EQ(d.Handle(Post("/actions", Form("wrong", "done"))).status, 403);
  EXPECT_EQ(d.Handle(Post("/actions", Form("", "done"))).status, 403);
  WebRequest cross = Post("/actions", Form(kToken, "done"));
  cross.headers["origin"] = "http://attacker.example";
  EXPECT_EQ(d.Handle(cross).status, 403);
  cross.headers.erase("origin");
  cross.headers["sec-fetch-site"] = "cross-site";
  EXPECT_EQ(d.Handle(cross).status, 403);
  EXPECT_EQ(Stored(), ActionStatus::kOpen);

  WebResponse ok = d.Handle(Post("/actions", Form(kToken, "done")));
  EXPECT_EQ(ok.status, 303);
  ASSERT_FALSE(ok.headers.empty());
  EXPECT_EQ(ok.headers[0].second, "/?changed=1&stale=0");
  EXPECT_EQ(Stored(), ActionStatus::kDone);
  store::ActionItem item = *store_->GetAction(id_);
  EXPECT_EQ(item.history.back().note, "changed in the dashboard");

  // The page showed "open" but the store now says "done": the change is not applied.
  WebResponse stale = d.Handle(Post("/actions", Form(kToken, "won't do", "open")));
  EXPECT_EQ(stale.headers[0].second, "/?changed=0&stale=1");
  EXPECT_EQ(Stored(), ActionStatus::kDone);

  EXPECT_EQ(d.Handle(Post("/actions", Form(kToken, "finished", "done"))).status, 400);
}

TEST_F(DashboardTest, ApiChangeTakesTheTokenFromAHeader) {
  DashboardOptions o;
  o.allow_writes = true;
  o.token = kToken;
  Dashboard d(store_.get(), o);
  WebRequest r = Post(fmt::format("/api/actions/{}", id_), {{"status", "in progress"}});
  r.headers.erase("origin");
  EXPECT_EQ(d.Handle(r).status, 403);
  r.headers["x-inquest-token"] = kToken;
  WebResponse ok = d.Handle(r);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body.str(), fmt::format("{{\"id\":{},\"status\":\"in progress\"}}\n", id_));
  EXPECT_EQ(Stored(), ActionStatus::kInProgress);
  r.path = "/api/actions/99999";
  EXPECT_EQ(d.Handle(r).status, 404);
}

}  // namespace
}  // namespace inquest::dashboard
