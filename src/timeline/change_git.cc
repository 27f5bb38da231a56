// `git log` output read as change records: one per commit, at its commit date, the PR number
// and the conventional-commit scope (the service) taken from the subject, the commit's hash and
// the PRs it names kept as its references (timeline/change_refs.h), and its place in the listing
// kept for linking commits to deploys (timeline/change_links.h). Two layouts: the multi-line
// ones (default, medium, --pretty=fuller) and one line per commit, the hash first and a date
// after it (--format='%H %aI %s', '%h|%an|%ad|%s', '%H%x09%ct%x09%s', ...).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/strings.h"
#include "evidence/record_vocabulary.h"
#include "timeline/change_readers.h"

namespace inquest {
namespace {

// git log dates: "Thu May 28 13:58:12 2026 +0200" (default), "2026-05-28 13:58:12 +0200"
// (--date=iso), ISO strict, or RFC 2822 "Thu, 28 May 2026 13:58:12 +0200".
bool ParseGitDate(std::string_view s, const TimeContext& ctx, TimePoint* out) {
  s = TrimSpace(s);
  ParsedTime pt;
  if (ParseTimeValue(s, ctx, &pt)) {
    *out = pt.time;
    return true;
  }
  int month = 0, day = 0, year = 0, h = 0, m = 0, sec = 0;
  int64_t offset_s = 0;
  bool have_time = false, have_offset = false;
  for (std::string_view tok : Split(s, ' ')) {
    while (!tok.empty() && tok.back() == ',') tok.remove_suffix(1);
    if (tok.empty()) continue;
    if (std::isalpha(static_cast<unsigned char>(tok[0]))) {
      if (int mo = tok.size() >= 3 ? MonthFromAbbrev(tok.substr(0, 3)) : 0; mo && !month)
        month = mo;
      continue;  // a weekday, a month or a zone name
    }
    if (tok.size() == 8 && tok[2] == ':' && tok[5] == ':') {
      auto hh = ParseInt(tok.substr(0, 2)), mm = ParseInt(tok.substr(3, 2)),
           ss = ParseInt(tok.substr(6, 2));
      if (!hh || !mm || !ss) return false;
      h = *hh, m = *mm, sec = *ss;
      have_time = true;
      continue;
    }
    if ((tok[0] == '+' || tok[0] == '-') && tok.size() == 5) {
      auto hh = ParseInt(tok.substr(1, 2)), mm = ParseInt(tok.substr(3, 2));
      if (!hh || !mm) return false;
      offset_s = (*hh * 3600 + *mm * 60) * (tok[0] == '-' ? -1 : 1);
      have_offset = true;
      continue;
    }
    if (auto n = ParseInt(tok)) {
      if (*n >= 1 && *n <= 31 && !day) {
        day = static_cast<int>(*n);
      } else if (*n >= 1970 && *n <= kMaxYear) {
        year = static_cast<int>(*n);
      }
    }
  }
  if (!month || !day || !year || !have_time) return false;
  int64_t local = DaysFromCivil(year, month, day) * 86400 + h * 3600 + m * 60 + sec;
  if (!have_offset && ctx.zone) offset_s = ctx.zone->OffsetForLocal(local);
  *out = (local - offset_s) * kNanosPerSecond;
  return true;
}

// Weekday names, for telling the words of a date from those of a subject.
constexpr std::string_view kGitWeekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
// Tokens a space-separated one-line date spans at most ("Thu May 28 13:58:12 2026 +0200").
constexpr size_t kMaxDateTokens = 6;
// One-line layouts: a file is one when this many of its first lines (or all, if fewer) read.
constexpr size_t kOneLineProbeLines = 20;
// ... and at least this share of their hashes have a letter: a column of numbers is not one.
constexpr double kMinHashesWithLetters = 0.8;

bool IsGitHash(std::string_view s) {
  return s.size() >= kMinCommitDigits && s.size() <= 64 &&
         std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// Whether a token can be part of a date: it has a digit, or names a weekday, a month or UTC.
bool GitDateToken(std::string_view tok) {
  while (!tok.empty() && tok.back() == ',') tok.remove_suffix(1);
  if (tok.empty()) return false;
  if (std::any_of(tok.begin(), tok.end(), [](char c) { return c >= '0' && c <= '9'; })) return true;
  std::string l = ToLower(tok);
  if (l == "utc" || l == "gmt" || l == "z") return true;
  if (l.size() < 3) return false;
  return MonthFromAbbrev(tok.substr(0, 3)) != 0 ||
         std::find(std::begin(kGitWeekdays), std::end(kGitWeekdays), l.substr(0, 3)) !=
             std::end(kGitWeekdays);
}

struct GitCommit {
  std::string sha, author_date, commit_date, subject, body;
  uint64_t line = 0, offset = 0;
  TimePoint time = kNoTime;  // one-line layouts: read already
};

// One line of a one-line layout: the hash, then (after a space, a tab, '|', ',' or ';') the
// fields; the date is the first field that reads as one, the subject the last other field. With
// spaces between, the date follows the hash and the rest is the subject.
bool ParseOneLine(std::string_view line, const TimeContext& ctx, GitCommit* out) {
  line = TrimSpace(line);
  size_t sep = line.find_first_of(" \t|,;");
  if (sep == std::string_view::npos || !IsGitHash(line.substr(0, sep))) return false;
  out->sha = std::string(line.substr(0, sep));
  char delim = line[sep];
  std::string_view rest = line.substr(sep + 1);
  if (delim != ' ') {
    std::vector<std::string_view> fields = Split(rest, delim);
    size_t date = fields.size();
    for (size_t i = 0; i < fields.size() && date == fields.size(); ++i)
      if (ParseGitDate(fields[i], ctx, &out->time)) date = i;
    if (date == fields.size()) return false;
    for (size_t i = fields.size(); i-- > 0;) {
      if (i == date || TrimSpace(fields[i]).empty()) continue;
      out->subject = std::string(TrimSpace(fields[i]));
      break;
    }
    return !out->subject.empty();
  }
  // Spaces: the longest run of date-like tokens that reads as a date.
  std::vector<std::string_view> toks;
  size_t at = 0;
  std::vector<size_t> ends;
  while (toks.size() < kMaxDateTokens) {
    while (at < rest.size() && rest[at] == ' ') ++at;
    size_t e = rest.find(' ', at);
    if (e == std::string_view::npos) e = rest.size();
    if (at >= e || !GitDateToken(rest.substr(at, e - at))) break;
    toks.push_back(rest.substr(at, e - at));
    ends.push_back(e);
    at = e;
  }
  for (size_t k = toks.size(); k > 0; --k) {
    std::string_view date = rest.substr(0, ends[k - 1]);
    if (!ParseGitDate(date, ctx, &out->time)) continue;
    out->subject = std::string(TrimSpace(rest.substr(ends[k - 1])));
    return !out->subject.empty();
  }
  return false;
}

// The change of one commit; false when it has no readable date.
bool CommitChange(const GitCommit& cur, const std::string& name, const TimeContext& ctx,
                  int64_t pos, Change* out) {
  Change& c = *out;
  c.kind = ChangeKind::kCode;
  c.source = fmt::format("{}:{}", name, cur.line);
  c.time = cur.time;
  if (c.time == kNoTime) {
    std::string_view date = cur.commit_date.empty() ? cur.author_date : cur.commit_date;
    if (!ParseGitDate(date, ctx, &c.time)) return false;
  }
  c.what = cur.subject;
  c.ref = cur.sha.substr(0, 12);
  c.history = name;
  c.history_pos = pos;
  AddCommitRef(cur.sha, &c.refs);
  FindChangeRefs(cur.subject, &c.refs);
  FindChangeRefs(cur.body, &c.refs);
  // "Merge pull request #4412 from ..." or "... (#4412)": the PR number is the better ref.
  for (const ChangeRef& r : c.refs)
    if (r.kind == ChangeRef::Kind::kPull) {
      c.ref = fmt::format("PR #{} ({})", r.id, c.ref);
      break;
    }
  // Conventional commits name the service: "fix(checkout): ..." or "checkout: ...".
  std::string_view subj = cur.subject;
  size_t colon = subj.find(": ");
  if (colon != std::string_view::npos && colon < 40) {
    std::string_view head = subj.substr(0, colon);
    size_t lp = head.find('('), rp = head.find(')');
    if (lp != std::string_view::npos && rp != std::string_view::npos && rp > lp) {
      c.service = std::string(head.substr(lp + 1, rp - lp - 1));
    } else if (head.find(' ') == std::string_view::npos) {
      static constexpr std::string_view kTypes[] = {"feat",     "fix",   "chore", "docs",
                                                    "refactor", "perf",  "test",  "ci",
                                                    "build",    "style", "revert"};
      if (std::find(std::begin(kTypes), std::end(kTypes), head) == std::end(kTypes))
        c.service = std::string(head);
    }
  }
  ChangeKind k = KindFromText(cur.subject);
  if (k == ChangeKind::kConfig || k == ChangeKind::kFlag || k == ChangeKind::kData) c.kind = k;
  return true;
}

// Whether the first lines of `data` are one-line commits (see ParseOneLine): at least one, all
// of the first kOneLineProbeLines, with distinct hashes that mostly have a letter, and no
// subject opening with a log level (a log whose lines start with a hex id and a time).
bool LooksLikeOneLineLog(std::string_view data) {
  LineIterator it(data);
  std::string_view line;
  size_t n = 0, lettered = 0;
  std::vector<std::string> hashes;
  while (n < kOneLineProbeLines && it.Next(&line)) {
    if (TrimSpace(line).empty()) continue;
    GitCommit c;
    if (!ParseOneLine(line, TimeContext(), &c)) {
      // A cut last line of the probed head does not count against the file.
      if (n > 0 && it.line_offset() + line.size() >= data.size()) break;
      return false;
    }
    std::string_view first = TrimSpace(c.subject);
    first = first.substr(0, first.find(' '));
    if (IsLevelWord(first, false)) return false;
    if (std::find(hashes.begin(), hashes.end(), c.sha) != hashes.end()) return false;
    hashes.push_back(c.sha);
    lettered += std::any_of(c.sha.begin(), c.sha.end(),
                            [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)); });
    ++n;
  }
  return n > 0 && static_cast<double>(lettered) >= kMinHashesWithLetters * static_cast<double>(n);
}

}  // namespace

void ReadGitLog(std::string_view data, const std::string& name, const TimeContext& ctx,
                IssueLog* issues, std::vector<Change>* out) {
  LineIterator lines(data);
  std::string_view line;
  uint64_t line_no = 0;
  int64_t pos = 0;
  GitCommit cur;
  bool open = false;
  auto emit = [&](const GitCommit& commit) {
    Change c;
    if (!CommitChange(commit, name, ctx, pos++, &c)) {
      if (issues)
        issues->Add(commit.line, commit.offset,
                    fmt::format("commit {} has no readable date", commit.sha));
      return;
    }
    out->push_back(std::move(c));
  };
  auto flush = [&] {
    if (open) emit(cur);
    open = false;
  };
  if (!TrimSpace(data).starts_with("commit ")) {
    // One line per commit.
    while (lines.Next(&line)) {
      ++line_no;
      if (TrimSpace(line).empty()) continue;
      GitCommit c;
      c.line = line_no;
      c.offset = lines.line_offset();
      if (ParseOneLine(line, ctx, &c)) {
        emit(c);
      } else if (issues) {
        issues->Add(line_no, lines.line_offset(),
                    "not a commit line (a hash, a date and a subject)");
      }
    }
    return;
  }
  while (lines.Next(&line)) {
    ++line_no;
    if (line.starts_with("commit ")) {
      flush();
      cur = GitCommit();
      std::string_view rest = line.substr(7);
      cur.sha = std::string(rest.substr(0, rest.find(' ')));
      cur.line = line_no;
      cur.offset = lines.line_offset();
      open = true;
    } else if (!open) {
      continue;
    } else if (line.starts_with("Date:") || line.starts_with("AuthorDate:")) {
      cur.author_date = std::string(TrimSpace(line.substr(line.find(':') + 1)));
    } else if (line.starts_with("CommitDate:")) {
      cur.commit_date = std::string(TrimSpace(line.substr(line.find(':') + 1)));
    } else if (line.starts_with("    ") && !TrimSpace(line).empty()) {
      if (cur.subject.empty()) {
        cur.subject = std::string(TrimSpace(line));
      } else {
        cur.body += std::string(TrimSpace(line)) + "\n";
      }
    }
  }
  flush();
}

bool LooksLikeGitLog(std::string_view data) {
  LineIterator it(data);
  std::string_view line;
  while (it.Next(&line)) {
    line = TrimSpace(line);
    if (line.empty()) continue;
    // "commit " and a full 40-hex SHA-1 (or longer: SHA-256 repositories).
    if (line.starts_with("commit ")) return line.size() >= 47;
    break;
  }
  return LooksLikeOneLineLog(data);
}

}  // namespace inquest
