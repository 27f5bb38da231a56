#include "evidence/sniff.h"

#include <gtest/gtest.h>

#include <string>

namespace inquest {
namespace {

// Stand-ins for the real probes (tests of the wiring with the real registry live in
// postmortem/): "logs" are lines starting with a date; "changes" are lines with "deploy".
SniffProbes FakeProbes() {
  SniffProbes p;
  p.log = [](std::string_view head) {
    if (head.starts_with("2026-")) return LogGuess{"timestamp-prefix", 0.9};
    if (head.starts_with("{")) return LogGuess{"jsonl", 0.95};
    return LogGuess{};
  };
  p.changes = [](std::string_view head) {
    return head.find("\"deploy\"") != std::string_view::npos ? 0.9 : 0.0;
  };
  return p;
}

constexpr std::string_view kAlerts =
    R"({"startsAt":"2026-05-29T14:12:04Z","status":"firing","labels":{"alertname":"X","service":"checkout"},"annotations":{"summary":"s"}})"
    "\n"
    R"({"startsAt":"2026-05-29T14:19:04Z","status":"resolved","labels":{"alertname":"X"},"annotations":{"summary":"s"}})"
    "\n";
constexpr std::string_view kPages =
    R"({"created_at":"2026-05-29T14:12:10Z","incident":"INC-1","event":"triggered","summary":"page"})"
    "\n";
constexpr std::string_view kTickets =
    R"({"opened":"2026-05-29T14:16:31Z","ticket":"SUP-1","status":"open","summary":"Customer: checkout fails"})"
    "\n";

TEST(SniffTest, DetectionRecordsByContentNotName) {
  Sniffed s = SniffEvidence("exports/0529-b.jsonl", kAlerts, FakeProbes());
  EXPECT_EQ(s.kind, EvidenceKind::kDetection);
  EXPECT_EQ(s.detection, DetectionSource::kAlert);
  EXPECT_NE(s.reason.find("alertname"), std::string::npos) << s.reason;
  EXPECT_EQ(SniffEvidence("x.jsonl", kPages, FakeProbes()).detection, DetectionSource::kPage);
  EXPECT_EQ(SniffEvidence("x.jsonl", kTickets, FakeProbes()).detection, DetectionSource::kTicket);
}

TEST(SniffTest, ChangesWinOverTheirJsonLinesReading) {
  std::string changes =
      R"({"time":"2026-05-29T14:02:31Z","type":"deploy","service":"checkout","ref":"v2.317"})"
      "\n";
  Sniffed s = SniffEvidence("a.jsonl", changes, FakeProbes());
  EXPECT_EQ(s.kind, EvidenceKind::kChanges);
  EXPECT_EQ(s.format, "jsonl");
}

TEST(SniffTest, LogsAndUnknowns) {
  Sniffed s = SniffEvidence("pods/app.txt", "2026-05-29 14:11:00,043 INFO x\n", FakeProbes());
  EXPECT_EQ(s.kind, EvidenceKind::kLog);
  EXPECT_EQ(s.format, "timestamp-prefix");
  // JSON lines without alert fields are a log, not detection records.
  std::string log = R"({"ts":"2026-05-29T14:11:08Z","level":"info","msg":"request.start"})"
                    "\n";
  EXPECT_EQ(SniffEvidence("alerts.jsonl", log, FakeProbes()).kind, EvidenceKind::kLog);
  Sniffed u = SniffEvidence("README.md", "# Title\nsome prose\n", FakeProbes());
  EXPECT_EQ(u.kind, EvidenceKind::kUnknown);
  EXPECT_FALSE(u.reason.empty());
  EXPECT_EQ(SniffEvidence("empty.log", "", FakeProbes()).reason, "the file is empty");
}

TEST(SniffTest, NameHintOnlyBreaksTies) {
  // A name that says "alerts" does not make prose into alert records.
  EXPECT_EQ(SniffEvidence("alerts.jsonl", "hello\nworld\n", FakeProbes()).kind,
            EvidenceKind::kUnknown);
}

TEST(SniffTest, RecordProbeCountsMatchingLines) {
  DetectionSource src;
  std::string mixed = std::string(kTickets) + "not json\n";
  EXPECT_DOUBLE_EQ(ProbeDetectionRecords(mixed, &src), 0.5);
  EXPECT_EQ(ProbeDetectionRecords("", &src), 0);
  // A record without any time field is not a detection record.
  EXPECT_EQ(ProbeDetectionRecords(R"({"ticket":"SUP-1","summary":"x","status":"open"})", &src), 0);
  // The key must be a key, not a value.
  EXPECT_EQ(ProbeDetectionRecords(R"({"ts":"2026-05-29T14:11:08Z","msg":"alertname"})", &src), 0);
}

TEST(SniffTest, DedicatedProbesWinOverALogReadingOfTheSameBytes) {
  SniffProbes p = FakeProbes();
  p.others.push_back({EvidenceKind::kTrace, [](std::string_view head) {
                        return head.find("resourceSpans") != std::string_view::npos
                                   ? LogGuess{"otlp", 0.98}
                                   : LogGuess{};
                      }});
  p.others.push_back(
      {EvidenceKind::kDump, [](std::string_view head) {
         return head.starts_with("goroutine ") ? LogGuess{"go-goroutines", 0.9} : LogGuess{};
       }});
  Sniffed t = SniffEvidence("t.json", R"({"resourceSpans": []})", p);
  EXPECT_EQ(t.kind, EvidenceKind::kTrace);
  EXPECT_EQ(t.format, "otlp");
  EXPECT_NE(t.reason.find("otlp reader"), std::string::npos) << t.reason;
  EXPECT_EQ(SniffEvidence("d.txt", "goroutine 1 [running]:\n", p).kind, EvidenceKind::kDump);
  // A plain JSON log is still a log: no dedicated probe claims it.
  EXPECT_EQ(SniffEvidence("l.jsonl", R"({"msg": "x"})", p).kind, EvidenceKind::kLog);
}

}  // namespace
}  // namespace inquest
