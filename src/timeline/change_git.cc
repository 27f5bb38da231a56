// `git log` output read as change records: one per commit, at its commit date, the PR number
// and the conventional-commit scope (the service) taken from the subject.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/strings.h"
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

}  // namespace

void ReadGitLog(std::string_view data, const std::string& name, const TimeContext& ctx,
                IssueLog* issues, std::vector<Change>* out) {
  LineIterator lines(data);
  std::string_view line;
  uint64_t line_no = 0;
  struct Commit {
    std::string sha, author_date, commit_date, subject;
    uint64_t line = 0, offset = 0;
  } cur;
  bool open = false;
  auto flush = [&] {
    if (!open) return;
    open = false;
    Change c;
    c.kind = ChangeKind::kCode;
    c.source = fmt::format("{}:{}", name, cur.line);
    std::string_view date = cur.commit_date.empty() ? cur.author_date : cur.commit_date;
    if (!ParseGitDate(date, ctx, &c.time)) {
      if (issues)
        issues->Add(cur.line, cur.offset, fmt::format("commit {} has no readable date", cur.sha));
      return;
    }
    c.what = cur.subject;
    c.ref = cur.sha.substr(0, 12);
    // "Merge pull request #4412 from ..." or "... (#4412)": the PR number is the better ref.
    if (size_t hash = cur.subject.find('#'); hash != std::string::npos) {
      size_t e = hash + 1;
      while (e < cur.subject.size() && std::isdigit(static_cast<unsigned char>(cur.subject[e])))
        ++e;
      if (e > hash + 1)
        c.ref = fmt::format("PR {} ({})", cur.subject.substr(hash, e - hash), c.ref);
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
    out->push_back(std::move(c));
  };
  while (lines.Next(&line)) {
    ++line_no;
    if (line.starts_with("commit ")) {
      flush();
      cur = Commit();
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
    } else if (cur.subject.empty() && line.starts_with("    ") && !TrimSpace(line).empty()) {
      cur.subject = std::string(TrimSpace(line));
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
    return line.starts_with("commit ") && line.size() >= 47;
  }
  return false;
}

}  // namespace inquest
