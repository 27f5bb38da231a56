// Change records in JSON lines, JSON arrays or CSV (evidence/flat_records.h), with their
// columns mapped by what the values look like and, as hints, by their names: the column whose
// values parse as times in nearly every row is the time, whatever it is called; one of
// versions is the version; one of shares ("10%") the rollout; one of commits the ref; short
// values naming a change action ("deploy", "rollback", "flag") the kind; the wordiest the
// summary. The commits and PRs a record names in any field become its references
// (timeline/change_refs.h).
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "base/strings.h"
#include "evidence/record_vocabulary.h"
#include "timeline/change_readers.h"

namespace inquest {
namespace {

enum class Col : uint8_t { kTime, kService, kKind, kVersion, kWhat, kRef, kRollout, kSubject };
constexpr size_t kColCount = 8;

// A column is of a value shape when this share of its non-empty values has it.
constexpr double kShapeShare = 0.6;
// ... and the time when nearly every value parses as one (a time column may have a gap), or
// most do and its name says time (then the rest are bad rows, reported).
constexpr double kTimeShare = 0.8;
constexpr double kNamedTimeShare = 0.5;
// The summary is the column with the most words per value, when that is at least this many.
constexpr double kMinSummaryWords = 2.5;

// Column names as hints: a name, or one of its words ("deployed_at", "service.name").
struct NameHint {
  std::string_view name;
  Col col;
};
constexpr NameHint kNameHints[] = {
    {"time", Col::kTime},           {"ts", Col::kTime},           {"timestamp", Col::kTime},
    {"@timestamp", Col::kTime},     {"date", Col::kTime},         {"at", Col::kTime},
    {"created_at", Col::kTime},     {"deployed_at", Col::kTime},  {"when", Col::kTime},
    {"service", Col::kService},     {"svc", Col::kService},       {"app", Col::kService},
    {"application", Col::kService}, {"component", Col::kService}, {"target", Col::kService},
    {"system", Col::kService},      {"project", Col::kService},   {"repo", Col::kService},
    {"repository", Col::kService},  {"workload", Col::kService},  {"kind", Col::kKind},
    {"type", Col::kKind},           {"change_type", Col::kKind},  {"category", Col::kKind},
    {"event", Col::kKind},          {"action", Col::kKind},       {"version", Col::kVersion},
    {"tag", Col::kVersion},         {"what", Col::kWhat},         {"summary", Col::kWhat},
    {"description", Col::kWhat},    {"message", Col::kWhat},      {"msg", Col::kWhat},
    {"title", Col::kWhat},          {"ref", Col::kRef},           {"pr", Col::kRef},
    {"commit", Col::kRef},          {"sha", Col::kRef},           {"ticket", Col::kRef},
    {"change_id", Col::kRef},       {"url", Col::kRef},           {"id", Col::kRef},
    {"rollout", Col::kRollout},     {"percent", Col::kRollout},   {"percentage", Col::kRollout},
    {"traffic", Col::kRollout},     {"share", Col::kRollout},     {"strategy", Col::kRollout},
    {"flag", Col::kSubject},        {"feature", Col::kSubject},   {"key", Col::kSubject},
    {"setting", Col::kSubject},     {"parameter", Col::kSubject},
};
// Words in a column name that mark the value before the change ("previous", "old_version",
// "from"): such a column fills its role only after the columns holding the new value.
constexpr std::string_view kBeforeWords[] = {"previous", "prev", "old",      "from",
                                             "before",   "was",  "original", "former"};

bool NamesBefore(std::string_view column) {
  for (const std::string& w : WordTokens(ToLower(column)))
    if (std::find(std::begin(kBeforeWords), std::end(kBeforeWords), w) != std::end(kBeforeWords))
      return true;
  return false;
}

// Generic names that are a last resort for their column.
constexpr std::string_view kWeakNames[] = {"id", "url", "message", "msg", "at", "key"};

// The column a name hints at, and whether the hint is weak; false when none.
bool HintOf(std::string_view raw, Col* col, bool* weak) {
  std::string key = ToLower(TrimSpace(raw));
  std::vector<std::string> tries = {key};
  if (size_t dot = key.rfind('.'); dot != std::string::npos) tries.push_back(key.substr(dot + 1));
  for (std::string& t : WordTokens(key)) tries.push_back(std::move(t));
  for (const std::string& t : tries)
    for (const NameHint& h : kNameHints)
      if (t == h.name) {
        *col = h.col;
        *weak = std::find(std::begin(kWeakNames), std::end(kWeakNames), t) != std::end(kWeakNames);
        return true;
      }
  return false;
}

struct ColumnStats {
  size_t values = 0, time = 0, version = 0, percent = 0, commit = 0, action = 0, number = 0;
  size_t words = 0;
  double Share(size_t n) const { return values ? static_cast<double>(n) / values : 0; }
};

// Whether a short value names a change action ("deploy", "config_change", "Rollback").
bool NamesAction(std::string_view v) {
  std::vector<std::string> words = WordTokens(v);
  if (words.empty() || words.size() > 3) return false;
  for (const std::string& w : words)
    for (const RoleWord& rw : ValueWords())
      if (rw.role == RecordRole::kChange && rw.word == w) return true;
  return false;
}

// For each column role, the columns that can fill it, best first.
using Mapping = std::array<std::vector<size_t>, kColCount>;

Mapping MapColumns(const RecordTable& t) {
  const size_t n = t.columns.size();
  std::vector<ColumnStats> stats(n);
  for (const FlatRecord& r : t.records) {
    for (const auto& [k, v] : r.fields) {
      auto it = std::find(t.columns.begin(), t.columns.end(), k);
      if (it == t.columns.end()) continue;
      ColumnStats& s = stats[it - t.columns.begin()];
      std::string_view value = TrimSpace(v);
      if (value.empty() || value == "[]") continue;
      ++s.values;
      switch (ShapeOfValue(value)) {
        case ValueShape::kTime:
          ++s.time;
          break;
        case ValueShape::kVersion:
          ++s.version;
          break;
        case ValueShape::kPercent:
          ++s.percent;
          break;
        case ValueShape::kCommit:
          ++s.commit;
          break;
        case ValueShape::kNumber:
          ++s.number;
          break;
        default:
          break;
      }
      s.action += NamesAction(value);
      s.words += WordTokens(value).size();
    }
  }
  Mapping m;
  std::array<std::vector<size_t>, kColCount> weak;
  std::vector<bool> used(n, false);
  auto take = [&](Col c, size_t i) {
    m[static_cast<size_t>(c)].push_back(i);
    used[i] = true;
  };
  // Values first: what a column holds decides; its name only where values cannot.
  for (size_t i = 0; i < n; ++i) {
    const ColumnStats& s = stats[i];
    if (!s.values) continue;
    Col hint = Col::kWhat;
    bool weak_hint = false, hinted = HintOf(t.columns[i], &hint, &weak_hint);
    bool named_time = hinted && hint == Col::kTime && !weak_hint;
    if (s.Share(s.time) >= kTimeShare || (named_time && s.Share(s.time) >= kNamedTimeShare)) {
      // A hinted time column goes first ("deployed_at" over "finished_at" is not knowable;
      // the name "time" is).
      auto& v = m[static_cast<size_t>(Col::kTime)];
      if (named_time)
        v.insert(v.begin(), i);
      else
        v.push_back(i);
      used[i] = true;
    } else if (s.Share(s.version) >= kShapeShare) {
      take(Col::kVersion, i);
    } else if (s.Share(s.percent) >= kShapeShare || (hinted && hint == Col::kRollout)) {
      take(Col::kRollout, i);
    } else if (s.Share(s.commit) >= kShapeShare) {
      take(Col::kRef, i);
    } else if (hinted && hint != Col::kTime && hint != Col::kRollout && hint != Col::kVersion) {
      (weak_hint ? weak : m)[static_cast<size_t>(hint)].push_back(i);
      used[i] = true;
    } else if (s.Share(s.action) >= kShapeShare) {
      take(Col::kKind, i);
    }
  }
  for (size_t c = 0; c < kColCount; ++c) {
    for (size_t i : weak[c]) m[c].push_back(i);
    if (c == static_cast<size_t>(Col::kTime)) continue;
    std::stable_partition(m[c].begin(), m[c].end(),
                          [&](size_t i) { return !NamesBefore(t.columns[i]); });
  }
  // The summary: the wordiest column not taken, when no column is named for it.
  if (m[static_cast<size_t>(Col::kWhat)].empty()) {
    size_t best = n;
    double best_words = kMinSummaryWords;
    for (size_t i = 0; i < n; ++i) {
      if (used[i] || !stats[i].values) continue;
      double w = static_cast<double>(stats[i].words) / stats[i].values;
      if (w >= best_words) {
        best = i;
        best_words = w;
      }
    }
    if (best < n) m[static_cast<size_t>(Col::kWhat)].push_back(best);
  }
  return m;
}

// Fields of one record, as text, before they become a Change.
struct Fields {
  std::array<std::string, kColCount> v;
  const std::string& operator[](Col c) const { return v[static_cast<size_t>(c)]; }
};

Result<Change> ToChange(const Fields& f, const TimeContext& ctx, std::string source) {
  Change c;
  c.source = std::move(source);
  const std::string& time = f[Col::kTime];
  if (time.empty()) return Status::BadInput("no time");
  ParsedTime pt;
  if (!ParseTimeValue(time, ctx, &pt))
    return Status::BadInput(fmt::format("cannot read time '{}'", time));
  c.time = pt.time;
  c.service = f[Col::kService];
  c.subject = f[Col::kSubject];
  const std::string &kind = f[Col::kKind], &version = f[Col::kVersion], &ref = f[Col::kRef],
                    &rollout = f[Col::kRollout];
  c.kind = KindFromText(kind);
  if (c.kind == ChangeKind::kOther && kind.empty() && !version.empty())
    c.kind = ChangeKind::kDeploy;
  if (c.kind == ChangeKind::kOther) c.kind = KindFromText(f[Col::kWhat]);
  if (c.kind == ChangeKind::kOther && !c.subject.empty() && !rollout.empty())
    c.kind = ChangeKind::kFlag;
  // A record may name the version twice ("version": "v2.317", "ref": "v2.317").
  c.ref = ref;
  if (!version.empty() && !EqualsIgnoreCase(version, ref))
    c.ref = c.ref.empty() ? version : version + " " + c.ref;
  // A quoted CSV summary may span lines: one line in every listing.
  for (char ch : f[Col::kWhat]) c.what += ch == '\n' || ch == '\r' ? ' ' : ch;
  if (c.what.empty()) {
    c.what = fmt::format("{}{}{}{}{}", kind.empty() ? ChangeKindName(c.kind) : kind,
                         c.subject.empty() ? "" : " " + c.subject, c.service.empty() ? "" : " of ",
                         c.service, version.empty() ? "" : " " + version);
  }
  if (!rollout.empty()) {
    std::optional<double> pct = ParseDouble(rollout);
    c.rollout =
        pct ? fmt::format("{}%",
                          *pct <= 1 && rollout.find('.') != std::string::npos ? *pct * 100 : *pct)
            : rollout;
  }
  return c;
}

}  // namespace

Status ReadRecordChanges(const RecordTable& table, const std::string& name, const TimeContext& ctx,
                         IssueLog* issues, std::vector<Change>* out) {
  // Problems are reported in line order, those of the container with those of the rows.
  std::vector<RecordProblem> problems = table.problems;
  auto report = [&] {
    std::stable_sort(
        problems.begin(), problems.end(),
        [](const RecordProblem& a, const RecordProblem& b) { return a.line < b.line; });
    if (issues)
      for (const RecordProblem& p : problems) issues->Add(p.line, p.offset, p.message);
  };
  if (table.records.empty()) {
    report();
    return Status::Ok();
  }
  Mapping m = MapColumns(table);
  if (m[static_cast<size_t>(Col::kTime)].empty()) {
    std::string columns;
    for (const std::string& c : table.columns) columns += (columns.empty() ? "" : ", ") + c;
    return Status::BadInput(
        fmt::format("no column holds times in most rows (columns: {})", columns),
        SourceLocation{name});
  }
  for (const FlatRecord& r : table.records) {
    Fields f;
    for (size_t c = 0; c < kColCount; ++c)
      for (size_t col : m[c]) {
        const std::string* v = r.Find(table.columns[col]);
        if (v && !TrimSpace(*v).empty() && *v != "[]") {
          f.v[c] = std::string(TrimSpace(*v));
          break;
        }
      }
    Result<Change> c = ToChange(f, ctx, fmt::format("{}:{}", name, r.line));
    if (c.ok()) {
      // Commits and PRs may be named in any field, the summary included.
      for (const auto& [key, value] : r.fields) FindFieldRefs(key, value, &c->refs);
      out->push_back(std::move(*c));
    } else {
      problems.push_back({r.line, r.offset, c.status().message()});
    }
  }
  report();
  return Status::Ok();
}

}  // namespace inquest
