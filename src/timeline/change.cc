#include "timeline/change.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>

#include "base/strings.h"

namespace inquest {
namespace {

// A change this long before the onset has half the proximity score of one at the onset: the
// primer's triggers land minutes before the errors (a deploy 9 minutes before, an invalidate
// 50 ms before), while a change a few hours old has had time to show itself.
constexpr int64_t kProximityHalfLifeNs = 30 * 60 * kNanosPerSecond;
// Onsets are window starts (1m by default): a change up to this long after the onset time may
// still be the trigger, inside the onset's own window.
constexpr int64_t kDefaultOnsetWindowNs = 60 * kNanosPerSecond;
// Weights of the service factor: a change to the service that shows the errors outranks one
// elsewhere; an unknown service is between the two, since it may touch everything.
constexpr double kServiceMatchBase = 0.6;  // plus up to 0.4 by that service's error share
constexpr double kServiceUnknown = 0.45;
constexpr double kServiceOther = 0.3;
// Scores of changes after the onset window: listed last, they can be a reaction (rollback).
constexpr double kAfterOnsetScale = 0.05;
// Probe scores of a CSV header: with the service and two change columns (kind, version,
// summary, commit...) it can hardly be anything else; with one of the two less so, but still
// above evidence/sniff's kMinSniffScore.
constexpr double kCsvChangesSure = 0.9;
constexpr double kCsvChangesLikely = 0.7;

std::string Lower(std::string_view s) { return ToLower(TrimSpace(s)); }

ChangeKind KindFromText(std::string_view text) {
  std::string t = Lower(text);
  auto has = [&](std::string_view w) { return t.find(w) != std::string::npos; };
  if (t.empty()) return ChangeKind::kOther;
  if (has("deploy") || has("release") || has("rollback") || has("rollout") || has("canary"))
    return ChangeKind::kDeploy;
  if (has("config") || has("setting") || has("ttl")) return ChangeKind::kConfig;
  if (has("flag") || has("toggle") || has("experiment")) return ChangeKind::kFlag;
  if (has("infra") || has("scal") || has("terraform") || has("node") || has("dns") ||
      has("network") || has("migration") || has("upgrade"))
    return ChangeKind::kInfra;
  if (has("data") || has("schema") || has("backfill") || has("invalidat") || has("cache") ||
      has("purge"))
    return ChangeKind::kData;
  if (has("code") || has("commit") || has("merge") || has("pr") || has("pull"))
    return ChangeKind::kCode;
  return ChangeKind::kOther;
}

enum class Key { kNone, kTime, kService, kKind, kVersion, kWhat, kRef, kRollout };

Key KeyOf(std::string_view raw) {
  std::string k = Lower(raw);
  static const std::pair<std::string_view, Key> kKeys[] = {
      {"time", Key::kTime},
      {"ts", Key::kTime},
      {"timestamp", Key::kTime},
      {"@timestamp", Key::kTime},
      {"date", Key::kTime},
      {"at", Key::kTime},
      {"created_at", Key::kTime},
      {"deployed_at", Key::kTime},
      {"when", Key::kTime},
      {"service", Key::kService},
      {"svc", Key::kService},
      {"app", Key::kService},
      {"application", Key::kService},
      {"component", Key::kService},
      {"target", Key::kService},
      {"kind", Key::kKind},
      {"type", Key::kKind},
      {"change_type", Key::kKind},
      {"category", Key::kKind},
      {"event", Key::kKind},
      {"action", Key::kKind},
      {"version", Key::kVersion},
      {"tag", Key::kVersion},
      {"what", Key::kWhat},
      {"summary", Key::kWhat},
      {"description", Key::kWhat},
      {"message", Key::kWhat},
      {"msg", Key::kWhat},
      {"title", Key::kWhat},
      {"ref", Key::kRef},
      {"pr", Key::kRef},
      {"commit", Key::kRef},
      {"sha", Key::kRef},
      {"ticket", Key::kRef},
      {"url", Key::kRef},
      {"change_id", Key::kRef},
      {"id", Key::kRef},
      {"rollout", Key::kRollout},
      {"percent", Key::kRollout},
      {"percentage", Key::kRollout},
      {"traffic", Key::kRollout},
  };
  for (const auto& [name, key] : kKeys)
    if (k == name) return key;
  return Key::kNone;
}

// A key that holds a log level: its presence marks a log record, not a change record.
bool IsLevelKey(std::string_view raw) {
  std::string k = Lower(raw);
  return k == "level" || k == "severity" || k == "lvl" || k == "loglevel";
}

// Whether a key says what changed: a kind, a version, a rollout, a summary of the change or a
// reference to it. The generic names that logs use as well ("message", "msg", "id", "url")
// read as change fields but do not, on their own, make a record a change.
bool SaysWhatChanged(std::string_view raw) {
  std::string k = Lower(raw);
  switch (KeyOf(k)) {
    case Key::kKind:
    case Key::kVersion:
    case Key::kRollout:
      return true;
    case Key::kWhat:
      return k != "message" && k != "msg";
    case Key::kRef:
      return k != "id" && k != "url";
    default:
      return false;
  }
}

// Fields of one record, as text, before they become a Change.
struct Fields {
  std::string time, service, kind, version, what, ref, rollout;
  bool any_change_key = false;  // kind, version, ref or rollout present
  void Set(Key k, std::string_view v) {
    std::string* slot = nullptr;
    switch (k) {
      case Key::kTime:
        slot = &time;
        break;
      case Key::kService:
        slot = &service;
        break;
      case Key::kKind:
        slot = &kind;
        any_change_key = true;
        break;
      case Key::kVersion:
        slot = &version;
        any_change_key = true;
        break;
      case Key::kWhat:
        slot = &what;
        break;
      case Key::kRef:
        slot = &ref;
        any_change_key = true;
        break;
      case Key::kRollout:
        slot = &rollout;
        any_change_key = true;
        break;
      case Key::kNone:
        return;
    }
    if (slot->empty()) *slot = std::string(TrimSpace(v));
  }
};

Result<Change> ToChange(const Fields& f, const TimeContext& ctx, std::string source) {
  Change c;
  c.source = std::move(source);
  if (f.time.empty()) return Status::BadInput("no time");
  ParsedTime pt;
  if (!ParseTimeValue(f.time, ctx, &pt))
    return Status::BadInput(fmt::format("cannot read time '{}'", f.time));
  c.time = pt.time;
  c.service = f.service;
  c.kind = KindFromText(f.kind);
  if (c.kind == ChangeKind::kOther && f.kind.empty() && !f.version.empty())
    c.kind = ChangeKind::kDeploy;
  if (c.kind == ChangeKind::kOther) c.kind = KindFromText(f.what);
  // A record may name the version twice ("version": "v2.317", "ref": "v2.317").
  c.ref = f.ref;
  if (!f.version.empty() && !EqualsIgnoreCase(f.version, f.ref))
    c.ref = c.ref.empty() ? f.version : f.version + " " + c.ref;
  c.what = f.what;
  if (c.what.empty()) {
    c.what = fmt::format("{}{}{}{}", f.kind.empty() ? ChangeKindName(c.kind) : f.kind,
                         c.service.empty() ? "" : " of ", c.service,
                         f.version.empty() ? "" : " " + f.version);
  }
  if (!f.rollout.empty()) {
    std::optional<double> pct = ParseDouble(f.rollout);
    c.rollout =
        pct ? fmt::format("{}%",
                          *pct <= 1 && f.rollout.find('.') != std::string::npos ? *pct * 100 : *pct)
            : f.rollout;
  }
  return c;
}

// JSON lines.
void ReadJsonLines(std::string_view data, const std::string& name, const TimeContext& ctx,
                   IssueLog* issues, std::vector<Change>* out) {
  simdjson::ondemand::parser parser;
  LineIterator lines(data);
  std::string_view line;
  uint64_t line_no = 0;
  while (lines.Next(&line)) {
    ++line_no;
    if (TrimSpace(line).empty()) continue;
    simdjson::padded_string padded(line);
    Fields f;
    std::string why;
    try {
      simdjson::ondemand::document doc = parser.iterate(padded);
      simdjson::ondemand::object obj = doc.get_object();
      for (auto field : obj) {
        std::string_view key = field.unescaped_key();
        Key k = KeyOf(key);
        if (k == Key::kNone) continue;
        simdjson::ondemand::value v = field.value();
        switch (v.type()) {
          case simdjson::ondemand::json_type::string:
            f.Set(k, v.get_string());
            break;
          case simdjson::ondemand::json_type::number:
            f.Set(k, TrimSpace(v.raw_json_token()));
            break;
          default:
            break;
        }
      }
    } catch (const simdjson::simdjson_error& e) {
      why = fmt::format("not a JSON object: {}", e.what());
    }
    if (why.empty()) {
      Result<Change> c = ToChange(f, ctx, fmt::format("{}:{}", name, line_no));
      if (c.ok()) {
        out->push_back(std::move(*c));
        continue;
      }
      why = c.status().message();
    }
    if (issues) issues->Add(line_no, lines.line_offset(), why);
  }
}

// CSV with a header row; RFC 4180 quoting.
std::vector<std::string> CsvRow(std::string_view line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cells.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

void ReadCsv(std::string_view data, const std::string& name, const TimeContext& ctx,
             IssueLog* issues, std::vector<Change>* out) {
  LineIterator lines(data);
  std::string_view line;
  uint64_t line_no = 0;
  std::vector<Key> header;
  while (lines.Next(&line)) {
    ++line_no;
    if (TrimSpace(line).empty()) continue;
    std::vector<std::string> cells = CsvRow(line);
    if (header.empty()) {
      for (const std::string& h : cells) header.push_back(KeyOf(h));
      continue;
    }
    Fields f;
    for (size_t i = 0; i < cells.size() && i < header.size(); ++i) f.Set(header[i], cells[i]);
    Result<Change> c = ToChange(f, ctx, fmt::format("{}:{}", name, line_no));
    if (c.ok()) {
      out->push_back(std::move(*c));
    } else if (issues) {
      issues->Add(line_no, lines.line_offset(), c.status().message());
    }
  }
}

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

enum class ChangeFormat { kNone, kJson, kCsv, kGit };

ChangeFormat Sniff(std::string_view data) {
  std::vector<std::string_view> head;
  LineIterator it(data);
  std::string_view line;
  while (head.size() < 5 && it.Next(&line))
    if (!TrimSpace(line).empty()) head.push_back(TrimSpace(line));
  if (head.empty()) return ChangeFormat::kNone;
  std::string_view first = head[0];
  if (first.starts_with("commit ") && first.size() >= 47) return ChangeFormat::kGit;
  if (first.starts_with("{")) return ChangeFormat::kJson;
  if (first.find(',') != std::string_view::npos) {
    std::vector<std::string> cells = CsvRow(first);
    bool time = false;
    for (const std::string& c : cells) time |= KeyOf(c) == Key::kTime;
    if (time) return ChangeFormat::kCsv;
  }
  return ChangeFormat::kNone;
}

std::string NormalizeService(std::string_view s) {
  std::string n = Lower(s);
  for (std::string_view suffix : {"-service", "_service", ".service", "-svc"}) {
    if (n.size() > suffix.size() && n.ends_with(suffix)) {
      n.resize(n.size() - suffix.size());
      break;
    }
  }
  return n;
}

}  // namespace

std::string_view ChangeKindName(ChangeKind k) {
  switch (k) {
    case ChangeKind::kDeploy:
      return "deploy";
    case ChangeKind::kConfig:
      return "config";
    case ChangeKind::kFlag:
      return "flag";
    case ChangeKind::kInfra:
      return "infra";
    case ChangeKind::kData:
      return "data";
    case ChangeKind::kCode:
      return "code";
    case ChangeKind::kOther:
      return "change";
  }
  return "change";
}

bool SameService(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  std::string na = NormalizeService(a), nb = NormalizeService(b);
  if (na == nb) return true;
  // "checkout" vs "checkout-worker": one is the other plus a suffix after a separator.
  auto prefix = [](const std::string& s, const std::string& p) {
    return s.size() > p.size() && s.starts_with(p) &&
           (s[p.size()] == '-' || s[p.size()] == '_' || s[p.size()] == '.');
  };
  return prefix(na, nb) || prefix(nb, na);
}

Result<std::vector<Change>> ReadChanges(const InputFile& file, const TimeContext& ctx,
                                        IssueLog* issues) {
  std::vector<Change> out;
  std::string_view data = file.data();
  std::string name = file.path();
  switch (Sniff(data)) {
    case ChangeFormat::kJson:
      ReadJsonLines(data, name, ctx, issues, &out);
      break;
    case ChangeFormat::kCsv:
      ReadCsv(data, name, ctx, issues, &out);
      break;
    case ChangeFormat::kGit:
      ReadGitLog(data, name, ctx, issues, &out);
      break;
    case ChangeFormat::kNone:
      if (TrimSpace(data).empty()) return out;
      return Status::BadInput(
          "not change records (expected JSON lines, CSV with a time column, or git log output)",
          SourceLocation{name});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Change& a, const Change& b) { return a.time < b.time; });
  return out;
}

double ProbeChanges(std::string_view data) {
  switch (Sniff(data)) {
    case ChangeFormat::kGit:
      return 0.95;
    case ChangeFormat::kNone:
      return 0;
    case ChangeFormat::kCsv: {
      // Sniff found a time column. Change records also say what changed: the service plus
      // one change column, or two change columns (kind and summary, version and commit).
      // A level column makes the rows log records (Loghub's *_structured.csv).
      LineIterator it(data);
      std::string_view line;
      while (it.Next(&line))
        if (!TrimSpace(line).empty()) break;
      bool service = false;
      int change_columns = 0;
      for (const std::string& c : CsvRow(TrimSpace(line))) {
        if (IsLevelKey(c)) return 0;
        service |= KeyOf(c) == Key::kService;
        change_columns += SaysWhatChanged(c);
      }
      if (change_columns >= 2) return service ? kCsvChangesSure : kCsvChangesLikely;
      return service && change_columns == 1 ? kCsvChangesLikely : 0;
    }
    case ChangeFormat::kJson:
      break;
  }
  // JSON lines: change records have a time and change keys (kind/version/ref/rollout) and no
  // log level; a kind naming a change is the strongest hint.
  simdjson::ondemand::parser parser;
  LineIterator it(data);
  std::string_view line;
  int lines = 0;
  double score = 0;
  while (lines < 20 && it.Next(&line)) {
    if (TrimSpace(line).empty()) continue;
    ++lines;
    simdjson::padded_string padded(line);
    bool time = false, level = false, change_key = false, change_kind = false;
    try {
      simdjson::ondemand::document doc = parser.iterate(padded);
      for (auto field : doc.get_object()) {
        std::string_view key = field.unescaped_key();
        std::string k = Lower(key);
        if (IsLevelKey(key)) level = true;
        Key role = KeyOf(key);
        if (role == Key::kTime) time = true;
        if (role == Key::kVersion || role == Key::kRef || role == Key::kRollout) change_key = true;
        if (role == Key::kKind) {
          simdjson::ondemand::value v = field.value();
          if (v.type() == simdjson::ondemand::json_type::string &&
              KindFromText(std::string_view(v.get_string())) != ChangeKind::kOther)
            change_kind = true;
        }
      }
    } catch (const simdjson::simdjson_error&) {
      continue;
    }
    double s = 0;
    if (time) s = 0.3 + (change_kind ? 0.5 : 0) + (change_key ? 0.2 : 0) - (level ? 0.4 : 0);
    score += std::clamp(s, 0.0, 1.0);
  }
  return lines ? score / lines : 0;
}

std::vector<RankedChange> RankChanges(const std::vector<Change>& changes, const RankOptions& opts) {
  std::vector<RankedChange> out;
  const int64_t grace = opts.onset_window_ns > 0 ? opts.onset_window_ns : kDefaultOnsetWindowNs;
  for (const Change& c : changes) {
    RankedChange r;
    r.change = c;
    std::string kind(ChangeKindName(c.kind));
    std::string target = c.service.empty() ? "" : " to " + c.service;
    if (opts.onset == kNoTime || c.time == kNoTime) {
      r.score = 0;
      r.reason = fmt::format("{} change{}; no onset to rank against", kind, target);
      out.push_back(std::move(r));
      continue;
    }
    int64_t before = opts.onset - c.time;  // > 0: the change came first
    double proximity;
    std::string when;
    if (before >= 0) {
      proximity = before > opts.lookback_ns
                      ? 0
                      : std::exp2(-static_cast<double>(before) / kProximityHalfLifeNs);
      when = before == 0 ? "at the onset" : FormatDuration(before) + " before the onset";
    } else if (-before < grace) {
      proximity = 1;
      when = FormatDuration(-before) + " into the onset window";
    } else {
      proximity = kAfterOnsetScale;
      when = FormatDuration(-before) + " after the onset (a reaction, or unrelated)";
    }
    // Service factor.
    double service;
    std::string why_service;
    if (c.service.empty()) {
      service = kServiceUnknown;
      why_service = "service not recorded";
    } else if (opts.error_services.empty()) {
      service = kServiceUnknown;
      why_service = "no error breakdown by service";
    } else {
      service = kServiceOther;
      why_service = fmt::format("{} shows none of the errors", c.service);
      for (size_t i = 0; i < opts.error_services.size(); ++i) {
        if (!SameService(c.service, opts.error_services[i])) continue;
        double share = i < opts.error_shares.size() ? opts.error_shares[i] : 0.5;
        service = kServiceMatchBase + (1 - kServiceMatchBase) * share;
        why_service =
            i < opts.error_shares.size()
                ? fmt::format("{} shows {:.0f}% of the errors", opts.error_services[i], share * 100)
                : fmt::format("{} shows errors", opts.error_services[i]);
        break;
      }
    }
    r.score = std::clamp(proximity * service, 0.0, 1.0);
    r.reason = fmt::format("{} change{} {}; {}", kind, target, when, why_service);
    if (!c.rollout.empty()) r.reason += fmt::format("; rolled out to {}", c.rollout);
    out.push_back(std::move(r));
  }
  // Preceding changes (and those in the onset window) first by score, then later ones by time.
  std::stable_sort(out.begin(), out.end(), [&](const RankedChange& a, const RankedChange& b) {
    bool a_after = opts.onset != kNoTime && a.change.time - opts.onset >= grace;
    bool b_after = opts.onset != kNoTime && b.change.time - opts.onset >= grace;
    if (a_after != b_after) return !a_after;
    if (a_after) return a.change.time < b.change.time;
    if (a.score != b.score) return a.score > b.score;
    return a.change.time > b.change.time;
  });
  return out;
}

void SetErrorServices(const std::vector<Series>& by_service, TimePoint from, TimePoint to,
                      RankOptions* opts) {
  std::vector<std::pair<uint64_t, std::string>> counts;
  uint64_t all = 0;
  for (size_t i = 1; i < by_service.size(); ++i) {
    const Series& s = by_service[i];
    if (s.group.empty() || s.group == "-" || s.group == "(other)") continue;
    uint64_t n = 0;
    for (const Window& w : s.windows) {
      if (from != kNoTime && w.start + s.width_ns <= from) continue;
      if (to != kNoTime && w.start >= to) continue;
      n += w.errors;
    }
    if (n == 0) continue;
    counts.emplace_back(n, s.group);
    all += n;
  }
  std::stable_sort(counts.begin(), counts.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  opts->error_services.clear();
  opts->error_shares.clear();
  for (const auto& [n, name] : counts) {
    opts->error_services.push_back(name);
    opts->error_shares.push_back(static_cast<double>(n) / static_cast<double>(all));
  }
}

std::vector<Change> ChangesAround(const std::vector<Change>& changes, TimePoint t,
                                  int64_t window_ns) {
  std::vector<Change> out;
  for (const Change& c : changes)
    if (t == kNoTime || (c.time >= t - window_ns && c.time <= t + window_ns)) out.push_back(c);
  return out;
}

}  // namespace inquest
