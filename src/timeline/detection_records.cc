#include "timeline/detection_records.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/strings.h"
#include "evidence/flat_records.h"
#include "evidence/record_roles.h"

namespace inquest {
namespace {

// Which time of a record places it, by the words of its key: when it started or was opened,
// else a plain time, else when it was last touched. A resolved record is placed at its end.
struct TimeWord {
  std::string_view word;
  int rank;  // lower is preferred
};
constexpr TimeWord kTimeWords[] = {
    {"starts", 0},   {"start", 0},     {"started", 0},   {"created", 0},  {"opened", 0},
    {"fired", 0},    {"triggered", 0}, {"submitted", 0}, {"reported", 0}, {"time", 1},
    {"ts", 1},       {"timestamp", 1}, {"date", 1},      {"at", 1},       {"updated", 3},
    {"modified", 3}, {"ends", 4},      {"end", 4},       {"resolved", 4}, {"closed", 4},
};
constexpr int kGenericRank = 1;
constexpr int kUnknownTimeRank = 2;
constexpr int kEndRank = 4;

// Fields read by the words of their keys, in order of preference. Keys are split into words
// ("labels.alertname" -> "labels", "alertname"), so nesting and spelling do not matter.
constexpr std::string_view kStatusWords[] = {"status", "state", "event", "action", "type"};
constexpr std::string_view kSummaryWords[] = {"summary", "title", "subject", "description",
                                              "message", "text",  "log",     "body"};
constexpr std::string_view kServiceWords[] = {"service", "job", "app", "component"};
constexpr std::string_view kAlertNameWords[] = {"alertname", "alert", "rule", "name"};
constexpr std::string_view kPageNameWords[] = {"incident", "number", "id", "key"};
constexpr std::string_view kTicketNameWords[] = {"ticket", "key", "number", "id"};
constexpr std::string_view kChatNameWords[] = {"user", "username", "author", "name"};
// Who opened it: a customer or support when these words appear there or in its summary.
constexpr std::string_view kWhoWords[] = {"channel", "source", "reporter", "requester",
                                          "opened",  "via",    "type",     "submitter"};
constexpr std::string_view kCustomerWords[] = {"customer", "support", "client", "user report"};

// Alertmanager writes this end for an alert that is still firing.
constexpr std::string_view kZeroTime = "0001-01-01";

bool KeyHas(const std::vector<std::string>& tokens, std::string_view w) {
  return std::find(tokens.begin(), tokens.end(), w) != tokens.end();
}

// The first value (in the order of `words`, then of the record) whose key has the word.
template <size_t N>
std::string_view PickBy(const FlatRecord& r, const std::string_view (&words)[N],
                        bool short_only = false) {
  for (std::string_view w : words)
    for (const auto& [k, v] : r.fields) {
      std::string_view value = TrimSpace(v);
      if (value.empty() || value == "[]") continue;
      if (short_only && WordTokens(value).size() > 3) continue;
      if (KeyHas(WordTokens(k), w)) return value;
    }
  return {};
}

// The record's time, and whether it is an end.
bool RecordTime(const FlatRecord& r, bool resolved, const TimeContext& ctx, TimePoint* out) {
  int best = 1 << 20;
  for (const auto& [k, v] : r.fields) {
    std::string_view value = TrimSpace(v);
    if (value.starts_with(kZeroTime) || ShapeOfValue(value) != ValueShape::kTime) continue;
    ParsedTime pt;
    if (!ParseTimeValue(value, ctx, &pt)) continue;
    // A specific word ("ends", "updated") says more than a generic one ("at", "time").
    int specific = kUnknownTimeRank + 100, generic = kUnknownTimeRank;
    for (const std::string& t : WordTokens(k))
      for (const TimeWord& w : kTimeWords)
        if (t == w.word) {
          if (w.rank == kGenericRank)
            generic = std::min(generic, w.rank);
          else
            specific = std::min(specific, w.rank);
        }
    int rank = specific <= kEndRank ? specific : generic;
    if (resolved) rank = rank == kEndRank ? -1 : rank;  // a resolved record sits at its end
    if (rank < best) {
      best = rank;
      *out = pt.time;
    }
  }
  return best < (1 << 20);
}

Signal::Kind KindOf(RecordRole role) {
  switch (role) {
    case RecordRole::kPage:
      return Signal::Kind::kPage;
    case RecordRole::kTicket:
      return Signal::Kind::kTicket;
    case RecordRole::kChat:
      return Signal::Kind::kChat;
    default:
      return Signal::Kind::kAlert;
  }
}

RecordRole RoleOfHint(DetectionSource hint) {
  switch (hint) {
    case DetectionSource::kPage:
      return RecordRole::kPage;
    case DetectionSource::kTicket:
      return RecordRole::kTicket;
    case DetectionSource::kChat:
      return RecordRole::kChat;
    default:
      return RecordRole::kAlert;
  }
}

}  // namespace

std::vector<Signal> ReadDetectionRecords(const InputFile& file, const std::string& display,
                                         DetectionSource hint, const TimeContext& ctx,
                                         IssueLog* issues) {
  std::vector<Signal> out;
  RecordTable table = ReadRecordTable(file.data());
  for (const RecordProblem& p : table.problems) issues->Add(p.line, p.offset, p.message);
  if (table.layout == RecordLayout::kNone && !TrimSpace(file.data()).empty())
    issues->Add(1, 0, "not records: expected JSON lines, a JSON array or CSV with a header row");
  for (const FlatRecord& r : table.records) {
    // The record's own shape decides its kind; the file's reading decides a tie.
    RoleScores scores = ScoreRecord(r);
    RecordRole role = RoleOfHint(hint);
    for (RecordRole cand :
         {RecordRole::kAlert, RecordRole::kPage, RecordRole::kTicket, RecordRole::kChat})
      if (scores[cand] > scores[role]) role = cand;
    std::string status = ToLower(PickBy(r, kStatusWords, true));
    bool resolved = status == "resolved" || status == "closed" || status == "solved";
    Signal s;
    if (!RecordTime(r, resolved, ctx, &s.time)) {
      issues->Add(r.line, r.offset, "record without a readable time");
      continue;
    }
    s.status = status;
    s.kind = KindOf(role);
    std::string_view name;
    switch (role) {
      case RecordRole::kPage:
        name = PickBy(r, kPageNameWords);
        break;
      case RecordRole::kTicket:
        name = PickBy(r, kTicketNameWords);
        break;
      case RecordRole::kChat:
        name = PickBy(r, kChatNameWords);
        break;
      default:
        name = PickBy(r, kAlertNameWords);
        break;
    }
    s.name = std::string(name);
    s.summary = std::string(PickBy(r, kSummaryWords));
    s.service = std::string(PickBy(r, kServiceWords, true));
    std::string who = ToLower(fmt::format("{} {}", PickBy(r, kWhoWords), s.summary));
    // An alert is a machine's; a page, ticket or chat message may come from a customer, said in
    // words of its own ("client" in "inventory-client" is a name, not a customer).
    bool customer = false;
    for (std::string_view w : kCustomerWords)
      customer |= FindWord(who, w, 0, /*dash_joins=*/true) != std::string_view::npos;
    s.from_customer =
        s.kind == Signal::Kind::kTicket || (s.kind != Signal::Kind::kAlert && customer);
    s.evidence = EvidenceRef{fmt::format("{}:{}", display, r.line), Excerpt(TrimSpace(r.raw))};
    out.push_back(std::move(s));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Signal& a, const Signal& b) { return a.time < b.time; });
  return out;
}

}  // namespace inquest
