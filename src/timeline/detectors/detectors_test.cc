// Positive and negative cases for each contributing-factor detector, on hand-built events that
// mimic different log styles (JSON fields, logfmt, plain text).
#include <gtest/gtest.h>

#include "timeline/detectors/cache_stampede.h"
#include "timeline/detectors/change_events.h"
#include "timeline/detectors/detection_gap.h"
#include "timeline/detectors/detector_test_util.h"
#include "timeline/detectors/retry_storm.h"
#include "timeline/detectors/rollout.h"
#include "timeline/detectors/saturation.h"

namespace inquest {
namespace {

using testing_util::Events;
using testing_util::T;

// ---- helpers --------------------------------------------------------------------------------

TEST(DetectorHelpersTest, FieldValueFromAttributesAndText) {
  Events ev;
  ev.Add(T(0), "catalog", Level::kInfo,
         "Published catalog.invalidate key=catalog:v98 topic=\"catalog events\", waited: 40ms");
  ev.Add(T(1), "pricing", Level::kInfo, "cache miss", {{"key", "sku-1"}});
  DetectorInput in = ev.Input();
  EXPECT_EQ(FieldValue(*in.events[0], "key"), "catalog:v98");
  EXPECT_EQ(FieldValue(*in.events[0], "topic"), "catalog events");
  EXPECT_EQ(FieldValue(*in.events[0], "waited"), "40ms");
  EXPECT_EQ(FieldValue(*in.events[0], "offset"), "");
  EXPECT_EQ(FieldValue(*in.events[1], "key"), "sku-1");
  // "monkey=" is not "key=".
  Events ev2;
  ev2.Add(T(0), "x", Level::kInfo, "monkey=banana");
  EXPECT_EQ(FieldValue(*ev2.Input().events[0], "key"), "");
}

TEST(DetectorHelpersTest, ExcerptIsRedactedAndBounded) {
  std::string longline(1000, 'x');
  EXPECT_LE(Excerpt(longline).size(), kMaxExcerptChars + 3);
  EXPECT_EQ(Excerpt("login password=hunter2 ok\nsecond line"), "login password=[REDACTED] ok");
}

// ---- cache stampede -------------------------------------------------------------------------

TEST(CacheStampedeTest, BurstForOneKeyAfterInvalidation) {
  Events ev;
  // Background: occasional misses for the key, once every ten seconds.
  for (int i = 0; i < 60; ++i)
    ev.Add(T(i * 10 + 5), "pricing", Level::kInfo, "cache miss", {{"key", "catalog:v98"}});
  // 30 refills of the same key within 0.6 s.
  for (int i = 0; i < 30; ++i)
    ev.Add(T(300.1 + i * 0.02), "pricing", Level::kInfo, "fetching from origin",
           {{"key", "catalog:v98"}});
  DetectorInput in = ev.Input();
  Change inv;
  inv.time = T(300.05);
  inv.what = "Published catalog.invalidate key=catalog:v98";
  inv.source = "catalog.log:7";
  in.changes.push_back(inv);
  std::vector<Finding> f = DetectCacheStampede(in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "cache-stampede");
  EXPECT_EQ(f[0].subject, "catalog:v98");
  EXPECT_EQ(f[0].service, "pricing");
  EXPECT_EQ(f[0].time, T(300.1));
  EXPECT_NE(f[0].title.find("30 misses"), std::string::npos) << f[0].title;
  EXPECT_EQ(f[0].evidence.back().source, "catalog.log:7");
  EXPECT_EQ(f[0].evidence.front().source, "f0.log:61");  // the burst's first miss
  EXPECT_LE(f[0].evidence.size(), kMaxEvidencePerFinding);
}

TEST(CacheStampedeTest, AMissJustBeforeTheTriggerIsNotPartOfTheBurst) {
  Events ev;
  ev.Add(T(99.99), "api", Level::kInfo, "cache miss key=k");  // an ordinary miss
  for (int i = 0; i < 25; ++i)
    ev.Add(T(100.05 + i * 0.01), "api", Level::kInfo, "cache miss key=k");
  DetectorInput in = ev.Input();
  Change flush;
  flush.time = T(100.0);
  flush.what = "cache flush";
  flush.source = "ops.log:1";
  in.changes.push_back(flush);
  std::vector<Finding> f = DetectCacheStampede(in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].time, T(100.05));
  EXPECT_NE(f[0].title.find("25 misses"), std::string::npos) << f[0].title;
  EXPECT_EQ(f[0].evidence.back().source, "ops.log:1");
}

TEST(CacheStampedeTest, ManyKeysOrSpreadOutMissesAreNotAStampede) {
  Events ev;
  // 200 misses in one second, but each for a different key: a cold cache, not a herd.
  for (int i = 0; i < 200; ++i)
    ev.Add(T(10 + i * 0.004), "api", Level::kInfo, "cache miss key=user:" + std::to_string(i));
  // 100 misses for one key, one per second: a key that is never cached, not a burst.
  for (int i = 0; i < 100; ++i) ev.Add(T(20 + i), "api", Level::kInfo, "cache.miss key=hot");
  EXPECT_TRUE(DetectCacheStampede(ev.Input()).empty());
}

TEST(CacheStampedeTest, KeyThatAlwaysBurstsIsItsOwnBaseline) {
  Events ev;
  // 25 misses per second every second for a minute: heavy but steady.
  for (int s = 0; s < 60; ++s)
    for (int i = 0; i < 25; ++i)
      ev.Add(T(s + i * 0.03), "api", Level::kInfo, "cache miss", {{"key", "k"}});
  EXPECT_TRUE(DetectCacheStampede(ev.Input()).empty());
}

// ---- retry storm ----------------------------------------------------------------------------

TEST(RetryStormTest, FixedIntervalsWithoutJitter) {
  Events ev;
  // Baseline: a retry every few minutes over an hour.
  for (int m = 0; m < 60; m += 6)
    ev.Add(T(m * 60), "checkout", Level::kWarn, "retrying call",
           {{"request_id", "b" + std::to_string(m)}});
  // Storm: 20 requests each retrying 3 times exactly 250 ms apart (+/- 1 ms).
  for (int r = 0; r < 20; ++r)
    for (int a = 0; a < 3; ++a)
      ev.Add(T(1800 + r * 2 + a * 0.25 + (a % 2) * 0.001), "checkout", Level::kWarn,
             "pricing.fetch.retry",
             {{"request_id", "r" + std::to_string(r)},
              {"attempt", std::to_string(a + 2)},
              {"backoff_ms", "250"}});
  std::vector<Finding> f = DetectRetryStorm(ev.Input());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "retry-storm");
  EXPECT_EQ(f[0].service, "checkout");
  EXPECT_EQ(f[0].subject, "no jitter");
  EXPECT_NE(f[0].title.find("no jitter"), std::string::npos) << f[0].title;
  EXPECT_NE(f[0].title.find("fixed at a median 25"), std::string::npos) << f[0].title;
}

TEST(RetryStormTest, JitteredRetriesAreAStormButNotFixed) {
  Events ev;
  uint64_t x = 12345;
  for (int r = 0; r < 20; ++r) {
    double t = 100 + r * 2;
    for (int a = 0; a < 3; ++a) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      double jitter = ((x >> 33) % 1000) / 1000.0;  // 0..1 s: full jitter
      t += 0.25 + jitter;
      ev.Add(T(t), "checkout", Level::kWarn, "retry", {{"request_id", "r" + std::to_string(r)}});
    }
  }
  ev.Add(T(3600), "checkout", Level::kInfo, "done");  // the logs span an hour
  std::vector<Finding> f = DetectRetryStorm(ev.Input());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0].subject.empty());
  EXPECT_EQ(f[0].title.find("no jitter"), std::string::npos) << f[0].title;
}

TEST(RetryStormTest, SteadyRetriesAreNotAStorm) {
  Events ev;
  // 12 retries every minute for an hour: the usual rate, not a multiplication.
  for (int m = 0; m < 60; ++m)
    for (int i = 0; i < 12; ++i)
      ev.Add(T(m * 60 + i * 5), "worker", Level::kWarn, "retrying job",
             {{"request_id", "j" + std::to_string(m * 100 + i)}});
  EXPECT_TRUE(DetectRetryStorm(ev.Input()).empty());
  EXPECT_DOUBLE_EQ(CoefficientOfVariation({250, 250, 250}), 0);
  EXPECT_GT(CoefficientOfVariation({100, 400, 250}), kNoJitterMaxCv);
}

// ---- saturation -----------------------------------------------------------------------------

TEST(SaturationTest, PoolAcquireTimeouts) {
  Events ev;
  ev.Add(T(0), "pricing", Level::kInfo, "db pool stats", {{"pool", "pricing-db"}, {"in_use", "3"}});
  for (int i = 0; i < 8; ++i) {
    ev.Add(T(60 + i), "pricing", Level::kWarn, "db pool acquire waiting",
           {{"pool", "pricing-db"}, {"waiters", std::to_string(30 + i)}});
    ev.Add(T(64 + i), "pricing", Level::kError, "db pool acquire timeout",
           {{"pool", "pricing-db"}, {"waited_ms", "4000"}});
  }
  std::vector<Finding> f = DetectSaturation(ev.Input());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "saturation");
  EXPECT_EQ(f[0].service, "pricing");
  EXPECT_EQ(f[0].subject, "pricing-db");
  EXPECT_NE(f[0].title.find("4000 ms"), std::string::npos) << f[0].title;
  EXPECT_NE(f[0].title.find("37 waiting"), std::string::npos) << f[0].title;
  EXPECT_EQ(f[0].time, T(60));
}

TEST(SaturationTest, PlainTextWaitsOnAConnection) {
  Events ev;
  for (int i = 0; i < 6; ++i)
    ev.Add(T(i), "orders", Level::kError,
           "Timed out after waited 4000ms for connection from HikariPool-1");
  std::vector<Finding> f = DetectSaturation(ev.Input());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject, "pool");
}

TEST(SaturationTest, BusyButCopingIsNotSaturation) {
  Events ev;
  // Waits without failures, and timeouts that are not about a bounded resource.
  for (int i = 0; i < 20; ++i) ev.Add(T(i), "api", Level::kInfo, "waiting for pool slot");
  for (int i = 0; i < 20; ++i) ev.Add(T(i), "api", Level::kError, "upstream request timeout");
  EXPECT_TRUE(DetectSaturation(ev.Input()).empty());
  std::string r;
  Events ev2;
  ev2.Add(T(0), "api", Level::kInfo, "pool stats in_use=3");
  EXPECT_EQ(ClassifyWait(*ev2.Input().events[0], &r), WaitKind::kNone);
}

// ---- detection gap --------------------------------------------------------------------------

Signal MakeSignal(Signal::Kind k, double t, std::string name, std::string summary,
                  std::string service = "", std::string status = "firing") {
  Signal s;
  s.kind = k;
  s.time = T(t);
  s.name = std::move(name);
  s.summary = std::move(summary);
  s.service = std::move(service);
  s.status = std::move(status);
  s.from_customer = k == Signal::Kind::kTicket;
  s.evidence = {"alerts.jsonl:1", s.summary};
  return s;
}

DetectorInput WithOnset(double t) {
  DetectorInput in;
  in.onset.found = true;
  in.onset.time = T(t);
  return in;
}

TEST(DetectionGapTest, PromptAlertIsNoGapButSaturationWithoutAlertIs) {
  DetectorInput in = WithOnset(660);
  in.signals.push_back(
      MakeSignal(Signal::Kind::kAlert, 300, "RecsLatency", "recs p99", "recs", "resolved"));
  in.signals.push_back(MakeSignal(Signal::Kind::kAlert, 724, "CheckoutErrorRateHigh",
                                  "checkout error rate > 5% for 1m", "checkout"));
  Finding sat;
  sat.kind = "saturation";
  sat.service = "pricing";
  sat.subject = "pricing-db";
  sat.time = T(660);
  sat.evidence.push_back({"pricing.log:9", "db pool acquire timeout"});
  in.prior.push_back(sat);
  IncidentDetection d = FindDetection(in, in.onset.time);
  ASSERT_NE(d.first_alert, nullptr);
  EXPECT_EQ(d.first_alert->name, "CheckoutErrorRateHigh");
  EXPECT_EQ(d.time_to_detect_ns, 64 * kNanosPerSecond);
  std::vector<Finding> f = DetectDetectionGaps(in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "missing-alert");
  EXPECT_EQ(f[0].service, "pricing");
  EXPECT_NE(f[0].title.find("CheckoutErrorRateHigh"), std::string::npos) << f[0].title;

  // An alert on the pool covers it.
  in.signals.push_back(MakeSignal(Signal::Kind::kAlert, 700, "PricingDbPoolSaturated",
                                  "pricing db pool > 80% for 5m", "pricing"));
  EXPECT_TRUE(DetectDetectionGaps(in).empty());
}

TEST(DetectionGapTest, CustomerFirstAndLateAlerts) {
  DetectorInput in = WithOnset(0);
  in.signals.push_back(MakeSignal(Signal::Kind::kTicket, 240, "SUP-1", "Customer: can't pay"));
  in.signals.push_back(MakeSignal(Signal::Kind::kAlert, 900, "ErrorRate", "errors > 5%"));
  std::vector<Finding> f = DetectDetectionGaps(in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "detection-gap");
  EXPECT_NE(f[0].title.find("customer"), std::string::npos) << f[0].title;
  EXPECT_EQ(f[0].evidence.size(), 2u);

  DetectorInput late = WithOnset(0);
  late.signals.push_back(MakeSignal(Signal::Kind::kAlert, 1200, "ErrorRate", "errors > 5%"));
  f = DetectDetectionGaps(late);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].title.find("20m"), std::string::npos) << f[0].title;

  DetectorInput none = WithOnset(0);
  f = DetectDetectionGaps(none);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "detection-gap");
  EXPECT_TRUE(DetectDetectionGaps(DetectorInput{}).empty());  // no onset: nothing to judge
}

// ---- one-step rollout -----------------------------------------------------------------------

Change MakeChange(double t, std::string service, std::string ref, std::string rollout,
                  std::string what = "deployed") {
  Change c;
  c.time = T(t);
  c.kind = ChangeKind::kDeploy;
  c.service = std::move(service);
  c.ref = std::move(ref);
  c.rollout = std::move(rollout);
  c.what = std::move(what);
  c.source = "deploys.jsonl:1";
  return c;
}

TEST(RolloutTest, HundredPercentInOneStep) {
  DetectorInput in = WithOnset(660);
  in.changes.push_back(MakeChange(151, "checkout", "v2.317", "100%"));
  in.changes.push_back(MakeChange(-3600, "inventory", "v1.88", "canary 10%"));
  in.changes.push_back(MakeChange(-1800, "search", "FF-118", "25%"));
  in.changes.push_back(MakeChange(904, "checkout", "v2.316", "100%", "rollback to v2.316"));
  std::vector<Finding> f = DetectOneStepRollout(in);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "one-step-rollout");
  EXPECT_EQ(f[0].subject, "v2.317");
  EXPECT_EQ(f[0].evidence[0].source, "deploys.jsonl:1");
}

TEST(RolloutTest, StagedRolloutsAndRollbacksAreFine) {
  DetectorInput in = WithOnset(660);
  in.changes.push_back(MakeChange(100, "api", "v9", "10%"));
  in.changes.push_back(MakeChange(400, "api", "v9", "100%"));  // staged: 10% came first
  in.changes.push_back(MakeChange(500, "web", "v3", "100%", "rollback to v3"));
  in.changes.push_back(MakeChange(600, "db", "m12", "canary -> 100%"));
  EXPECT_TRUE(DetectOneStepRollout(in).empty());
  EXPECT_TRUE(IsOneStepRollout(MakeChange(0, "a", "b", "all-at-once")));
  EXPECT_FALSE(IsOneStepRollout(MakeChange(0, "a", "b", "")));
}

// ---- change-like log events -----------------------------------------------------------------

TEST(ChangeEventsTest, LiftsInvalidationsConfigFlagsAndDeploys) {
  Events ev;
  ev.Add(T(0), "", Level::kInfo, "Published catalog.invalidate key=catalog:v98 topic=x", {}, 1);
  ev.Add(T(5), "api", Level::kInfo, "config reloaded: cache_ttl=300s");
  ev.Add(T(6), "api", Level::kInfo, "reloading config from /etc/api.yaml");
  ev.Add(T(7), "api", Level::kNotice, "feature flag new_checkout enabled for 25%",
         {{"flag", "new_checkout"}});
  ev.Add(T(8), "api", Level::kInfo, "rollout of v2.317 complete", {{"version", "v2.317"}});
  ev.Add(T(9), "api", Level::kError,
         "config reload failed: invalid yaml");  // an error, not a change
  ev.Add(T(10), "api", Level::kInfo, "request.done status=200");
  DetectorInput in = ev.Input();
  in.files[1] = "pods/catalog-publisher-0.log";
  std::vector<Change> c = LiftChangeEvents(in, kNoTime);
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0].kind, ChangeKind::kData);
  EXPECT_EQ(c[0].service, "catalog-publisher");
  EXPECT_EQ(c[0].ref, "catalog:v98");
  EXPECT_EQ(c[0].source, "pods/catalog-publisher-0.log:1");
  EXPECT_EQ(c[1].kind, ChangeKind::kConfig);
  EXPECT_EQ(c[2].kind, ChangeKind::kConfig);
  EXPECT_EQ(c[3].kind, ChangeKind::kFlag);
  EXPECT_EQ(c[3].ref, "new_checkout");
  EXPECT_EQ(c[4].kind, ChangeKind::kDeploy);
  EXPECT_EQ(c[4].ref, "v2.317");
}

TEST(ChangeEventsTest, RepeatsCoalesceAndTheTotalIsBounded) {
  Events ev;
  for (int i = 0; i < 1000; ++i) ev.Add(T(i * 0.01), "cache", Level::kInfo, "cache flush done");
  std::vector<Change> c = LiftChangeEvents(ev.Input(), kNoTime);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_NE(c[0].what.find("(x1000)"), std::string::npos) << c[0].what;

  Events many;
  for (int i = 0; i < 500; ++i) many.Add(T(i * 120), "cache", Level::kInfo, "cache flush done");
  c = LiftChangeEvents(many.Input(), T(400 * 120));
  EXPECT_EQ(c.size(), kMaxLiftedChanges);
  EXPECT_TRUE(std::is_sorted(c.begin(), c.end(),
                             [](const Change& a, const Change& b) { return a.time < b.time; }));
}

}  // namespace
}  // namespace inquest
