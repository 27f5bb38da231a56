// The readers behind ReadChanges (timeline/change.h), one per container: records (JSON lines,
// JSON arrays, CSV; timeline/change_records.cc) and `git log` output (timeline/change_git.cc),
// plus what they share: the kind of a change from its words, and staged rollouts.
#ifndef INQUEST_TIMELINE_CHANGE_READERS_H_
#define INQUEST_TIMELINE_CHANGE_READERS_H_

#include <string>
#include <string_view>
#include <vector>

#include "evidence/flat_records.h"
#include "logs/log_reader.h"
#include "timeline/change.h"

namespace inquest {

// The kind a text names ("deploy", "rollback" -> kDeploy; "flag" -> kFlag; ...); kOther when
// it names none. The words are a table in change_kinds.cc.
ChangeKind KindFromText(std::string_view text);

// Reads every record of `table` as a change. Columns are mapped by what their values look like
// (times, versions, shares, commits, change actions, free text) and by their names; rows
// without a readable time go to `issues`. Fails when no column holds times.
Status ReadRecordChanges(const RecordTable& table, const std::string& name, const TimeContext& ctx,
                         IssueLog* issues, std::vector<Change>* out);

// Whether `data` starts like `git log` output (default, --pretty=fuller, --format with dates).
bool LooksLikeGitLog(std::string_view data);
// Reads `git log` output: one change per commit, at its commit (or author) date.
void ReadGitLog(std::string_view data, const std::string& name, const TimeContext& ctx,
                IssueLog* issues, std::vector<Change>* out);

// Marks staged rollouts in time-ordered `changes`: the records of one subject (a flag, a
// config key, a release) on one service whose rollout shares rise (10% -> 50% -> 100%) become
// steps, their rollout "50% (staged: step 2 of 3)".
void MarkStagedRollouts(std::vector<Change>* changes);

}  // namespace inquest

#endif  // INQUEST_TIMELINE_CHANGE_READERS_H_
