#include "evidence/record_roles.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "base/strings.h"
#include "base/time.h"

namespace inquest {
namespace {

using R = RecordRole;

// Evidence of what a value looks like, on the scale of record_vocabulary.cc's words (1.0: names
// the role on its own).
constexpr double kVersionEvidence = 1.0;  // a release: what a deploy record is about
constexpr double kPercentEvidence = 0.8;  // a rollout share
constexpr double kCommitEvidence = 0.6;   // a commit: merges and deploys name one
constexpr double kLevelEvidence = 1.2;    // a log level is the clearest mark of a log line
// A level word under another name ("severity": "warning") is a log's or an alert's: it counts
// this much for a log, and kSeverityAlertEvidence for an alert.
constexpr double kSeverityLogEvidence = 0.5;
constexpr double kSeverityAlertEvidence = 0.3;
// The name of the flag or setting changed (a word under a "flag" or "setting" key).
constexpr double kSubjectEvidence = 0.5;
// A release name that is no dotted version ("m487", "CHG47542", "r12") under a key that names
// a version: the key says what the token is.
constexpr double kNamedVersionEvidence = 0.6;
// Largest number that reads as a rollout share under a share's name ("rollout_percent": 50).
constexpr double kMaxShare = 100;
constexpr double kTraceIdEvidence = 0.4;  // request and trace ids travel with log lines
constexpr double kTicketIdEvidence = 0.5;
constexpr double kEmailEvidence = 0.3;  // a requester
// A record that has a log level and says what changed is a log line about a change: its
// change evidence counts this much.
constexpr double kLoggedChangeFactor = 0.25;
// A value of at most this many words is a short field (a kind, a state, an action); longer
// text is a message, whose words are not evidence (a log line may say "deploy").
constexpr size_t kShortValueWords = 4;
constexpr size_t kShortValueChars = 48;
// A record whose best role has less evidence than this takes no role.
constexpr double kMinRecordEvidence = 0.5;
// Rows this close together (median gap) and at least this many: a log's rate, not a change
// history's; change evidence then counts this much.
constexpr uint64_t kDenseGapNs = kNanosPerSecond;
constexpr size_t kDenseMinRecords = 20;
constexpr double kDenseChangeFactor = 0.4;
// Keys named in the reason.
constexpr size_t kReasonKeys = 3;

// Every entry of `words` equal to `w` (a word may serve several roles).
template <typename F>
void ForEachWord(std::span<const RoleWord> words, std::string_view w, F f) {
  for (const RoleWord& rw : words)
    if (rw.word == w) f(rw);
}

// A single token of letters and digits (with '-', '_', '.') holding a digit, at most 24 long.
bool IsReleaseToken(std::string_view v) {
  if (v.empty() || v.size() > 24) return false;
  bool digit = false;
  for (char c : v) {
    if (std::isdigit(static_cast<unsigned char>(c)))
      digit = true;
    else if (!std::isalpha(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return false;
  }
  return digit;
}

}  // namespace

double RecordRoles::ScoreOf(RecordRole r) const {
  for (const RoleVerdict& v : ranked)
    if (v.role == r) return v.score;
  return 0;
}

// The alert reading of a file whose entries record a person's response: kept as the runner-up.
constexpr double kRespondedAlertFactor = 0.5;

RoleScores ScoreRecord(const FlatRecord& r, std::vector<Contribution>* contributions) {
  std::array<double, kScoredRoleCount> sum{};
  RoleScores out;
  bool level = false;
  std::set<std::pair<std::string, RecordRole>> seen_key_words;
  auto add = [&](const std::string& key, RecordRole role, double w) {
    sum[static_cast<size_t>(role)] += w;
    if (contributions) contributions->push_back({key, role, w});
  };
  for (const auto& field : r.fields) {
    // Named, not structured bindings: lambdas below capture them (clang 14 cannot capture a
    // structured binding).
    const std::string& key = field.first;
    const std::string& value = field.second;
    std::vector<std::string> key_tokens = WordTokens(key);
    bool level_key = false, share_key = false, subject_key = false, version_key = false;
    for (const std::string& t : key_tokens) {
      ForEachWord(KeyWords(), t, [&](const RoleWord& w) {
        if (seen_key_words.insert({t, w.role}).second) add(key, w.role, w.weight);
      });
      level_key |= t == "level" || t == "lvl" || t == "loglevel";
      share_key |= t == "rollout" || t == "percent" || t == "percentage" || t == "share" ||
                   t == "traffic" || t == "weight";
      subject_key |= t == "flag" || t == "feature" || t == "setting" || t == "toggle";
      version_key |= t == "version" || t == "ver" || t == "revision" || t == "rev" ||
                     t == "release" || t == "build" || t == "tag";
    }
    ValueShape shape = ShapeOfValue(value);
    if (shape == ValueShape::kWord && level_key && IsLevelWord(TrimSpace(value), true))
      shape = ValueShape::kLevel;
    if (shape == ValueShape::kNumber && share_key) {
      std::optional<double> v = ParseDouble(TrimSpace(value));
      if (v && *v >= 0 && *v <= kMaxShare) shape = ValueShape::kPercent;
    }
    if (shape == ValueShape::kWord && version_key && IsReleaseToken(TrimSpace(value))) {
      add(key, R::kChange, kNamedVersionEvidence);
      out.says_what_changed = true;
      continue;
    }
    if (shape == ValueShape::kWord && subject_key) {
      add(key, R::kChange, kSubjectEvidence);
      out.says_what_changed = true;
      continue;
    }
    switch (shape) {
      case ValueShape::kTime:
        out.has_time = true;
        break;
      case ValueShape::kVersion:
        add(key, R::kChange, kVersionEvidence);
        out.says_what_changed = true;
        break;
      case ValueShape::kPercent:
        add(key, R::kChange, kPercentEvidence);
        out.says_what_changed = true;
        break;
      case ValueShape::kCommit:
        add(key, R::kChange, kCommitEvidence);
        out.says_what_changed = true;
        break;
      case ValueShape::kTraceId:
        add(key, R::kLog, kTraceIdEvidence);
        break;
      case ValueShape::kTicketId:
        add(key, R::kTicket, kTicketIdEvidence);
        break;
      case ValueShape::kLevel:
        if (level_key) {
          add(key, R::kLog, kLevelEvidence);
          level = true;
        } else {
          add(key, R::kLog, kSeverityLogEvidence);
          add(key, R::kAlert, kSeverityAlertEvidence);
        }
        break;
      case ValueShape::kEmail:
        add(key, R::kTicket, kEmailEvidence);
        break;
      case ValueShape::kWord:
      case ValueShape::kText: {
        std::string_view v = TrimSpace(value);
        if (v.size() > kShortValueChars) break;
        std::vector<std::string> words = WordTokens(v);
        if (words.size() > kShortValueWords) break;
        std::set<std::pair<std::string_view, RecordRole>> hit;
        auto take = [&](const RoleWord& w) {
          if (!hit.insert({w.word, w.role}).second) return;
          add(key, w.role, w.weight);
          if (w.role == R::kChange) out.says_what_changed = true;
        };
        std::string whole = ToLower(v);
        bool any = false;
        ForEachWord(ValueWords(), whole, [&](const RoleWord& w) {
          take(w);
          any = true;
        });
        if (!any)
          for (const std::string& t : words) ForEachWord(ValueWords(), t, take);
        break;
      }
      case ValueShape::kNumber:
      case ValueShape::kEmpty:
        break;
    }
  }
  if (!out.says_what_changed) sum[static_cast<size_t>(R::kChange)] = 0;
  if (level) sum[static_cast<size_t>(R::kChange)] *= kLoggedChangeFactor;
  for (size_t i = 0; i < kScoredRoleCount; ++i)
    out.score[i] = out.has_time ? 1 - std::exp(-sum[i]) : 0;
  return out;
}

RecordRoles ClassifyTable(const RecordTable& table) {
  RecordRoles out;
  out.layout = table.layout;
  out.records = table.records.size() + table.rejected;
  if (table.records.empty()) return out;
  std::array<double, kScoredRoleCount> total{};
  std::array<size_t, kScoredRoleCount> count{};
  std::vector<std::vector<Contribution>> contributions(table.records.size());
  std::vector<int> best_of(table.records.size(), -1);
  std::vector<TimePoint> times;
  bool human_response = false;
  for (size_t i = 0; i < table.records.size(); ++i) {
    const FlatRecord& rec = table.records[i];
    RoleScores s = ScoreRecord(rec, &contributions[i]);
    for (size_t f = 0; f < rec.fields.size() && !human_response; ++f) {
      std::string_view v = TrimSpace(rec.fields[f].second);
      if (v.size() <= kShortValueChars)
        for (const std::string& w : WordTokens(v)) human_response |= IsHumanResponseWord(w);
    }
    size_t best = 0;
    for (size_t k = 1; k < kScoredRoleCount; ++k)
      if (s.score[k] > s.score[best]) best = k;
    if (s.score[best] >= kMinRecordEvidence) {
      total[best] += s.score[best];
      ++count[best];
      best_of[i] = static_cast<int>(best);
    }
    for (const auto& [k, v] : rec.fields) {
      ParsedTime pt;
      if (ShapeOfValue(v) == ValueShape::kTime && ParseTimeValue(TrimSpace(v), {}, &pt)) {
        times.push_back(pt.time);
        break;
      }
    }
  }
  // A log's rate: most rows within a second of the previous one.
  if (times.size() >= kDenseMinRecords) {
    std::vector<uint64_t> gaps;
    for (size_t i = 1; i < times.size(); ++i) gaps.push_back(TimeDistance(times[i], times[i - 1]));
    std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
    out.dense = gaps[gaps.size() / 2] < kDenseGapNs;
  }
  // Alert-like entries of which one records a person's response: the file is a page log, the
  // alert reading its runner-up.
  const size_t alert = static_cast<size_t>(R::kAlert), page = static_cast<size_t>(R::kPage);
  if (human_response && count[alert] > 0) {
    count[page] += count[alert];
    total[page] += total[alert];
  }
  const double n = static_cast<double>(out.records);
  for (size_t k = 0; k < kScoredRoleCount; ++k) {
    RoleVerdict v;
    v.role = static_cast<RecordRole>(k);
    v.records = count[k];
    v.strength = count[k] ? total[k] / static_cast<double>(count[k]) : 0;
    v.score = static_cast<double>(count[k]) / n;
    if (out.dense && v.role == R::kChange) v.score *= kDenseChangeFactor;
    if (human_response && v.role == R::kAlert) v.score *= kRespondedAlertFactor;
    out.ranked.push_back(v);
  }
  std::stable_sort(out.ranked.begin(), out.ranked.end(),
                   [](const RoleVerdict& a, const RoleVerdict& b) { return a.score > b.score; });
  // The reason: the keys that gave the winning role the most evidence.
  RecordRole best = out.ranked[0].role;
  std::map<std::string, double> by_key;
  for (size_t i = 0; i < contributions.size(); ++i) {
    if (best_of[i] != static_cast<int>(best)) continue;
    for (const Contribution& c : contributions[i])
      if (c.role == best) by_key[c.key] += c.weight;
  }
  std::vector<std::pair<double, std::string>> keys;
  for (auto& [k, w] : by_key) keys.emplace_back(w, k);
  std::stable_sort(keys.begin(), keys.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; i < keys.size() && i < kReasonKeys; ++i)
    out.evidence += fmt::format("{}'{}'", i ? ", " : "", keys[i].second);
  return out;
}

RecordRoles ClassifyRecords(std::string_view data) {
  return ClassifyTable(ReadRecordTable(data, kClassifyRecords));
}

}  // namespace inquest
