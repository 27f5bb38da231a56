// What the records of a file ARE, judged by their content: each record is scored for every role
// (log line, change, alert, page, ticket, chat message) from what its fields' values look like
// and, as hints, what its keys are called; the file's reading is the role most of its records
// take, with the runner-up when another role comes close.
//
// Strict for changes: a record is a change only when it has a time and says what changed (a
// version, a rollout share, a commit, or a change action such as deploy, rollback, config,
// flag, migration, merge as the value of a short field). A log record that mentions a deploy
// in its message is a log record: levels, free-text messages, request and trace ids are
// evidence of a log, and so is a high row rate.
//
//   RecordRoles roles = ClassifyRecords(head);
//   if (roles.best().role == RecordRole::kChange && roles.best().score >= 0.5) ...
#ifndef INQUEST_EVIDENCE_RECORD_ROLES_H_
#define INQUEST_EVIDENCE_RECORD_ROLES_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "evidence/flat_records.h"
#include "evidence/record_vocabulary.h"

namespace inquest {

// One record's evidence for each role, 0..1 (1 - e^-sum of its pieces of evidence).
struct RoleScores {
  std::array<double, kScoredRoleCount> score{};
  bool has_time = false;
  bool says_what_changed = false;  // a version, share, commit or change action
  double& operator[](RecordRole r) { return score[static_cast<size_t>(r)]; }
  double operator[](RecordRole r) const { return score[static_cast<size_t>(r)]; }
};

// Scores one record. `contributions`, when given, receives (key, role, weight) for the reason.
struct Contribution {
  std::string key;
  RecordRole role;
  double weight;
};
RoleScores ScoreRecord(const FlatRecord& r, std::vector<Contribution>* contributions = nullptr);

struct RoleVerdict {
  RecordRole role = RecordRole::kLog;
  // 0..1: the share of the records that take this role (each by its strongest evidence, when
  // that is strong enough); lowered for changes whose rows come at a log's rate.
  double score = 0;
  double strength = 0;  // mean evidence (0..1) of the records that take it
  size_t records = 0;
};

struct RecordRoles {
  RecordLayout layout = RecordLayout::kNone;
  size_t records = 0;               // records looked at
  std::vector<RoleVerdict> ranked;  // every role, best first (empty without records)
  std::string evidence;             // the fields that made the best role: "'version', 'rollout'"
  bool dense = false;               // rows arrive many per second (a log's rate)
  RoleVerdict best() const { return ranked.empty() ? RoleVerdict{} : ranked[0]; }
  double ScoreOf(RecordRole r) const;
};

// Records looked at when classifying a file's head.
inline constexpr size_t kClassifyRecords = 200;

// Classifies the records at the start of `data` (any layout of evidence/flat_records.h).
RecordRoles ClassifyRecords(std::string_view data);
// The same, for records already read.
RecordRoles ClassifyTable(const RecordTable& table);

}  // namespace inquest

#endif  // INQUEST_EVIDENCE_RECORD_ROLES_H_
