#include "timeline/change.h"

#include <algorithm>

#include "base/strings.h"
#include "evidence/flat_records.h"
#include "evidence/record_roles.h"
#include "timeline/change_readers.h"

namespace inquest {
namespace {

// `git log` output is change records by construction: every entry is a commit with a date.
constexpr double kGitLogScore = 0.95;

}  // namespace

Result<std::vector<Change>> ReadChanges(const InputFile& file, const TimeContext& ctx,
                                        IssueLog* issues) {
  std::vector<Change> out;
  std::string_view data = file.data();
  std::string name = file.path();
  if (TrimSpace(data).empty()) return out;
  if (LooksLikeGitLog(data)) {
    ReadGitLog(data, name, ctx, issues, &out);
  } else {
    RecordTable table = ReadRecordTable(data);
    if (table.layout == RecordLayout::kNone)
      return Status::BadInput(
          "not change records (expected JSON lines, a JSON array, CSV with a header row, or git "
          "log output)",
          SourceLocation{name});
    Status s = ReadRecordChanges(table, name, ctx, issues, &out);
    if (!s.ok()) return s;
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Change& a, const Change& b) { return a.time < b.time; });
  MarkStagedRollouts(&out);
  return out;
}

double ProbeChanges(std::string_view data) {
  if (LooksLikeGitLog(data)) return kGitLogScore;
  return ClassifyRecords(data).ScoreOf(RecordRole::kChange);
}

}  // namespace inquest
