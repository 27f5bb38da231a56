// The two-week review and the metrics over a store filled through its API.
#include "store/review.h"

#include <gtest/gtest.h>

#include "store/metrics.h"
#include "store/store_test_util.h"

namespace inquest::store {
namespace {

constexpr TimePoint kMinute = 60 * kNanosPerSecond;
constexpr TimePoint kHour = 60 * kMinute;

class ReviewTest : public StoreTest {
 protected:
  int64_t AddIncident(std::string key, std::string sev, std::vector<std::string> services,
                      std::string trigger, TimePoint started, TimePoint ttd, TimePoint ttr) {
    Incident i;
    i.key = key;
    i.title = key;
    i.sev = std::move(sev);
    i.services = std::move(services);
    i.trigger_category = std::move(trigger);
    i.started = started;
    if (ttd != kNoTime) i.detected = started + ttd;
    if (ttr != kNoTime) i.resolved = started + ttr;
    Result<int64_t> id = store_->PutIncident(i);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  int64_t AddItem(int64_t incident, std::string owner, TimePoint due, ActionClass cls,
                  std::string ticket = "https://t/1") {
    ActionItem a;
    a.incident_id = incident;
    a.action = "item";
    a.owner = std::move(owner);
    a.due = due;
    a.action_class = cls;
    a.ticket_url = std::move(ticket);
    Result<int64_t> id = store_->AddAction(a);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  void SetStatus(int64_t id, ActionStatus s) {
    ActionUpdate u;
    u.status = s;
    ASSERT_TRUE(store_->UpdateAction(id, u).ok());
  }
};

TEST_P(ReviewTest, FindsOverdueDecayingIncompleteAndRecurrences) {
  now_ = kTestDay;
  int64_t first = AddIncident("first", "SEV-2", {"checkout", "pricing"}, "config", kTestDay,
                              kMinute, 7 * kMinute);
  int64_t late = AddItem(first, "alice", kTestDay + 5 * kNanosPerDay, ActionClass::kPrevent);
  int64_t quiet = AddItem(first, "bob", kTestDay + 60 * kNanosPerDay, ActionClass::kDetect);
  int64_t bare = AddItem(first, "", kNoTime, ActionClass::kMitigate, "");
  int64_t landed = AddItem(first, "carol", kTestDay + 3 * kNanosPerDay, ActionClass::kPrevent);
  now_ = kTestDay + 2 * kNanosPerDay;
  SetStatus(landed, ActionStatus::kDone);  // done before the next incident: not a recurrence
  now_ = kTestDay + 10 * kNanosPerDay;
  SetStatus(quiet, ActionStatus::kInProgress);  // touched on day 10: decays from day 24
  int64_t second = AddIncident("second", "SEV-2", {"Checkout"}, "deploy",
                               kTestDay + 12 * kNanosPerDay, 20 * kMinute, kHour);
  int64_t unrelated = AddIncident("third", "SEV-3", {"search"}, "capacity",
                                  kTestDay + 13 * kNanosPerDay, kNoTime, kNoTime);
  (void)unrelated;

  ReviewOptions o;
  o.now = kTestDay + 20 * kNanosPerDay;
  Result<Review> r = BuildReview(store_.get(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->overdue, std::vector<int64_t>{late});
  // Created on day 0, untouched for 20 days; `quiet` changed on day 10.
  EXPECT_EQ(r->decaying, (std::vector<int64_t>{late, bare}));
  EXPECT_EQ(r->no_owner, std::vector<int64_t>{bare});
  EXPECT_EQ(r->no_due, std::vector<int64_t>{bare});
  EXPECT_EQ(r->no_ticket, std::vector<int64_t>{bare});
  EXPECT_EQ(r->per_owner.at("alice").overdue, 1);
  EXPECT_EQ(r->per_owner.at("carol").done, 1);
  EXPECT_EQ(r->per_owner.at("").total, 1);
  EXPECT_EQ(r->per_incident.at(first).total, 4);
  EXPECT_EQ(r->per_incident.at(first).open, 3);
  ASSERT_EQ(r->recurrences.size(), 1u);
  const Recurrence& rec = r->recurrences[0];
  EXPECT_EQ(rec.earlier_id, first);
  EXPECT_EQ(rec.later_id, second);
  EXPECT_EQ(rec.shared_services, std::vector<std::string>{"checkout"});  // case-insensitive
  EXPECT_TRUE(rec.shared_trigger.empty());
  EXPECT_EQ(rec.earlier_items_not_done, (std::vector<int64_t>{late, quiet, bare}));
  EXPECT_TRUE(NeedsAttention(*r));

  std::string md = ReviewMarkdown(*r);
  EXPECT_NE(md.find("## Overdue (1)"), std::string::npos) << md;
  EXPECT_NE(md.find("## Silent decay (2)"), std::string::npos) << md;
  EXPECT_NE(md.find("| 3 | item | owner, due date, ticket |"), std::string::npos) << md;
  EXPECT_NE(md.find("repeats #1 first (SEV-2)"), std::string::npos) << md;

  // A longer decay period: nothing has been quiet for 30 days.
  o.decay_days = 30;
  r = BuildReview(store_.get(), o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->decaying.empty());
  o.decay_days = 0;
  EXPECT_EQ(BuildReview(store_.get(), o).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(ReviewTest, AnEmptyStoreNeedsNoAttention) {
  ReviewOptions o;
  o.now = kTestDay;
  Result<Review> r = BuildReview(store_.get(), o);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(NeedsAttention(*r));
  EXPECT_NE(ReviewMarkdown(*r).find("**0 action items"), std::string::npos);
}

TEST_P(ReviewTest, MetricsPerSevWithMediansCompletionBalanceAndTriggers) {
  // SEV-2 TTDs 1, 2, 3, 100 minutes: the median (2.5m) ignores the outlier the mean (26.5m)
  // follows.
  TimePoint d = kTestDay;
  int64_t a = AddIncident("a", "SEV-2", {}, "deploy", d, 1 * kMinute, 10 * kMinute);
  AddIncident("b", "SEV-2", {}, "deploy", d + kNanosPerDay, 2 * kMinute, 20 * kMinute);
  AddIncident("c", "SEV-2", {}, "config", d + 2 * kNanosPerDay, 3 * kMinute, 30 * kMinute);
  AddIncident("d", "SEV-2", {}, "", d + 3 * kNanosPerDay, 100 * kMinute, kNoTime);
  int64_t e = AddIncident("e", "SEV-1", {}, "deploy", d + 4 * kNanosPerDay, 5 * kMinute, kHour);
  int64_t i1 = AddItem(a, "x", kNoTime, ActionClass::kPrevent);
  AddItem(a, "x", kNoTime, ActionClass::kPrevent);
  int64_t i3 = AddItem(e, "x", kNoTime, ActionClass::kDetect);
  int64_t i4 = AddItem(e, "x", kNoTime, ActionClass::kUnknown);
  SetStatus(i1, ActionStatus::kDone);
  SetStatus(i3, ActionStatus::kDone);
  SetStatus(i4, ActionStatus::kWontDo);

  MetricsOptions o;
  Result<Metrics> m = ComputeMetrics(store_.get(), o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->incidents, 5);
  ASSERT_EQ(m->per_sev.size(), 2u);
  EXPECT_EQ(m->per_sev[0].sev, "SEV-1");
  const SevMetrics& s2 = m->per_sev[1];
  EXPECT_EQ(s2.incidents, 4);
  EXPECT_EQ(s2.ttd.n, 4);
  EXPECT_EQ(s2.ttd.median, 150 * kNanosPerSecond);
  EXPECT_EQ(s2.ttd.mean, 1590 * kNanosPerSecond);
  // p90 of 1, 2, 3, 100 minutes: rank 0.9 * 3 = 2.7 between 3m and 100m.
  EXPECT_EQ(s2.ttd.p90, 3 * kMinute + (97 * kMinute * 7) / 10);
  EXPECT_EQ(s2.ttr.n, 3);
  EXPECT_EQ(s2.ttr.missing, 1);
  EXPECT_EQ(s2.ttr.median, 20 * kMinute);
  // Completion: 2 done of 4 items, 1 dropped -> 2 / 3.
  EXPECT_EQ(m->completion.items, 4);
  EXPECT_EQ(m->completion.done, 2);
  EXPECT_NEAR(m->completion.rate, 2.0 / 3.0, 1e-9);
  EXPECT_FALSE(m->completion.theater);
  EXPECT_EQ(m->balance[ActionClass::kPrevent], 2);
  EXPECT_EQ(m->missing_classes, std::vector<ActionClass>{ActionClass::kMitigate});
  ASSERT_GE(m->triggers.size(), 3u);
  EXPECT_EQ(m->triggers[0], (std::pair<std::string, int>{"deploy", 3}));

  // The last post-mortem only (e): 1 done, 1 dropped. --since drops a..d.
  o.last_n = 1;
  m = ComputeMetrics(store_.get(), o);
  EXPECT_EQ(m->completion.incident_ids, std::vector<int64_t>{e});
  EXPECT_EQ(m->completion.items, 2);
  o.since = d + 4 * kNanosPerDay;
  m = ComputeMetrics(store_.get(), o);
  EXPECT_EQ(m->incidents, 1);
  o.last_n = 0;
  EXPECT_EQ(ComputeMetrics(store_.get(), o).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(ReviewTest, NothingDoneIsTheater) {
  int64_t a = AddIncident("a", "SEV-3", {}, "", kTestDay, kMinute, kHour);
  for (int k = 0; k < 12; ++k) AddItem(a, "x", kNoTime, ActionClass::kPrevent);
  Result<Metrics> m = ComputeMetrics(store_.get(), {});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->completion.rate, 0.0);
  EXPECT_TRUE(m->completion.theater);
}

TEST(DescribeTest, MedianOfEvenCountsIsTheMeanOfTheMiddleTwo) {
  DurationStats s = Describe({4, 1, 3, 2});
  EXPECT_EQ(s.n, 4);
  EXPECT_EQ(s.median, 3);  // 2.5 rounded half away from zero
  EXPECT_EQ(s.max, 4);
  EXPECT_EQ(Describe({}).n, 0);
  EXPECT_EQ(Describe({7}).p90, 7);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace inquest::store
