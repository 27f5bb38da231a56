#include "timeline/change_refs.h"

#include <algorithm>
#include <cctype>

#include "evidence/record_vocabulary.h"

namespace inquest {
namespace {

// Words that, written shortly before a reference, make it another change's or an issue's: an
// issue a change closes ("fixes #12"), a change it reverts or follows. `reach`: how many words
// before the reference the word may stand (the words of a reference's own form, "merge pull
// request", are not counted).
struct OtherWord {
  std::string_view word;
  int reach;
};
constexpr OtherWord kOtherChangeWords[] = {
    {"close", 1},      {"closes", 1},   {"closed", 1},    {"fix", 1},      {"fixes", 1},
    {"fixed", 1},      {"resolve", 1},  {"resolves", 1},  {"resolved", 1}, {"see", 1},
    {"supersedes", 1}, {"replaces", 1}, {"undo", 1},      {"undoes", 1},   {"revert", 2},
    {"reverts", 2},    {"reverted", 2}, {"reverting", 2}, {"rollback", 2}, {"rolled", 2},
    {"related", 2},    {"depends", 2},  {"backport", 2},  {"followup", 2}, {"duplicate", 2},
    {"blocked", 2},    {"part", 2},     {"follow", 3},    {"cherry", 3},
};
// Words of the reference forms themselves and the small words around them ("follow-up to #12",
// "cherry picked from commit ..."): they do not count toward a word's reach.
constexpr std::string_view kRefFormWords[] = {
    "pr", "mr",   "pull", "merge", "request", "requests", "commit", "sha",
    "of", "from", "the",  "to",    "on",      "by",       "up",     "picked"};

// Forms of a pull request number by name: the word (at a word start, any case), then up to
// three separators (" ", ":", "#", "!", "-") and the number.
constexpr std::string_view kPullWords[] = {
    "pull request", "merge request", "pull-request", "merge-request",
    "pull_request", "merge_request", "pr",           "mr"};
// URL paths of pull requests: "/pull/4412" (GitHub), "/merge_requests/12" (GitLab),
// "/pull-requests/7" (Bitbucket).
constexpr std::string_view kPullPaths[] = {"/pull/", "/pulls/", "/merge_requests/",
                                           "/pull-requests/"};

// Field names (or one of their words) that say the value is a commit or a pull request.
constexpr std::string_view kCommitFieldWords[] = {"commit", "sha", "revision", "rev", "githash"};
constexpr std::string_view kPullFieldWords[] = {"pr", "mr", "pull", "pulls", "iid"};
// Words of a field name that say it holds another change than the record's own: the commit a
// deploy replaced ("previous_commit", "from_sha"), or one reverted.
constexpr std::string_view kOtherFieldWords[] = {
    "previous", "prev", "old",    "from",   "before",  "was",      "original",
    "former",   "base", "parent", "revert", "reverts", "reverted", "rollback"};

// A pull request number has at most this many digits (a run longer is an id, a time).
constexpr size_t kMaxPullDigits = 9;

bool RefAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool RefDigit(char c) { return c >= '0' && c <= '9'; }
bool RefHexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

bool AllRefHex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), RefHexDigit);
}

template <size_t N>
bool InRefTable(std::string_view w, const std::string_view (&table)[N]) {
  return std::find(std::begin(table), std::end(table), w) != std::end(table);
}

std::string RefLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether a hex run in free text is a commit: 40 or 64 digits (SHA-1, SHA-256), or 7 or more
// with a letter and a digit that is not a trace or span id's 16 or 32.
bool TextCommit(std::string_view run) {
  if (run.size() < kMinCommitDigits || run.size() > 64 || !AllRefHex(run)) return false;
  if (run.size() == 40 || run.size() == 64) return true;
  if (run.size() == 16 || run.size() == 32) return false;
  bool letter = std::any_of(run.begin(), run.end(), [](char c) { return !RefDigit(c); });
  bool digit = std::any_of(run.begin(), run.end(), RefDigit);
  return letter && digit;
}

// Whether the hex run [s, e) is a group of a UUID (8-4-4-4-12 hex digits joined by dashes).
bool InUuid(std::string_view t, size_t s, size_t e) {
  while (s > 0 && (RefHexDigit(t[s - 1]) || t[s - 1] == '-')) --s;
  while (e < t.size() && (RefHexDigit(t[e]) || t[e] == '-')) ++e;
  std::string_view g = t.substr(s, e - s);
  // The dashed run may start or end with extra hex around the UUID; look for its shape.
  static constexpr size_t kGroups[] = {8, 4, 4, 4, 12};
  size_t at = 0;
  for (size_t k = 0; k < 5; ++k) {
    size_t len = 0;
    while (at + len < g.size() && g[at + len] != '-') ++len;
    if (len != kGroups[k]) return false;
    at += len + 1;
  }
  return true;
}

std::string PullNumber(std::string_view digits) {
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  return std::string(digits);
}

struct FoundRef {
  size_t start, end;
  ChangeRef ref;
};

// The digits at `at` when they end a token (kMaxPullDigits at most); "" otherwise.
std::string_view RefDigitsAt(std::string_view t, size_t at) {
  size_t e = at;
  while (e < t.size() && RefDigit(t[e])) ++e;
  if (e == at || e - at > kMaxPullDigits) return {};
  if (e < t.size() && (RefAlnum(t[e]) || t[e] == '_')) return {};
  return t.substr(at, e - at);
}

void FindCandidates(std::string_view t, std::vector<FoundRef>* out) {
  const std::string lower = RefLower(t);
  for (size_t i = 0; i < t.size(); ++i) {
    const bool word_start = i == 0 || !RefAlnum(t[i - 1]);
    // "#4412"; GitLab's "!12" only after a space or an opening bracket ("wow!1" is not one).
    if (t[i] == '#' || t[i] == '!') {
      char before = i ? t[i - 1] : ' ';
      bool ok = t[i] == '#' ? !(RefAlnum(before) || before == '/' || before == '&' || before == '#')
                            : (before == ' ' || before == '\t' || before == '(' || before == '[' ||
                               before == ',' || i == 0);
      std::string_view d = ok ? RefDigitsAt(t, i + 1) : std::string_view();
      if (!d.empty())
        out->push_back({i, i + 1 + d.size(), {ChangeRef::Kind::kPull, PullNumber(d)}});
      continue;
    }
    if (t[i] == '/') {
      for (std::string_view p : kPullPaths) {
        if (lower.compare(i, p.size(), p) != 0) continue;
        std::string_view d = RefDigitsAt(t, i + p.size());
        if (!d.empty())
          out->push_back({i, i + p.size() + d.size(), {ChangeRef::Kind::kPull, PullNumber(d)}});
        break;
      }
      continue;
    }
    if (!RefAlnum(t[i]) || !word_start) continue;
    // "PR 4412", "pull request #4412", "MR !12", "PR-4412".
    bool matched = false;
    for (std::string_view w : kPullWords) {
      if (lower.compare(i, w.size(), w) != 0) continue;
      size_t at = i + w.size();
      size_t seps = 0;
      while (at < t.size() && seps < 3 &&
             (t[at] == ' ' || t[at] == ':' || t[at] == '#' || t[at] == '!' || t[at] == '-')) {
        ++at;
        ++seps;
      }
      if (at < t.size() && RefAlnum(t[at]) && !RefDigit(t[at])) break;  // "print", "mrs"
      std::string_view d = RefDigitsAt(t, at);
      if (!d.empty()) {
        out->push_back({i, at + d.size(), {ChangeRef::Kind::kPull, PullNumber(d)}});
        matched = true;
      }
      break;
    }
    // A commit: the alphanumeric run starting here.
    size_t e = i;
    while (e < t.size() && RefAlnum(t[e])) ++e;
    std::string_view run = t.substr(i, e - i);
    if (!matched) {
      if (TextCommit(run) && !InUuid(t, i, e)) {
        out->push_back({i, e, {ChangeRef::Kind::kCommit, RefLower(run)}});
      } else if (i > 0 && t[i - 1] == '-' && (run[0] == 'g' || run[0] == 'G') &&
                 TextCommit(run.substr(1))) {
        // git describe: "v2.317-3-g9f1e2ab".
        out->push_back({i, e, {ChangeRef::Kind::kCommit, RefLower(run.substr(1))}});
      }
    }
    i = e - 1;
  }
  std::stable_sort(out->begin(), out->end(),
                   [](const FoundRef& a, const FoundRef& b) { return a.start < b.start; });
}

// Whether the words between `from` and the reference at `start` point at another change.
bool PointsElsewhere(std::string_view t, size_t from, size_t start, size_t end) {
  // GitHub's squash-merge suffix, "... (#4420)" at the end of a line, is the change's own.
  if (start > 0 && t[start - 1] == '(' && end < t.size() && t[end] == ')') {
    size_t k = end + 1;
    while (k < t.size() && (t[k] == ' ' || t[k] == '\t' || t[k] == '\r')) ++k;
    if (k == t.size() || t[k] == '\n') return false;
  }
  std::vector<std::string> words = WordTokens(t.substr(from, start - from));
  int distance = 0;
  for (size_t k = words.size(); k-- > 0;) {
    const std::string& w = words[k];
    if (InRefTable(w, kRefFormWords)) continue;
    ++distance;
    for (const OtherWord& o : kOtherChangeWords)
      if (o.word == w && distance <= o.reach) return true;
    if (distance >= 3) break;
  }
  return false;
}

void AddUnique(ChangeRef r, std::vector<ChangeRef>* out) {
  if (std::find(out->begin(), out->end(), r) == out->end()) out->push_back(std::move(r));
}

}  // namespace

void AddCommitRef(std::string_view hash, std::vector<ChangeRef>* out) {
  if (!out || hash.size() < kMinCommitDigits || hash.size() > 64 || !AllRefHex(hash)) return;
  AddUnique({ChangeRef::Kind::kCommit, RefLower(hash)}, out);
}

void FindChangeRefs(std::string_view text, std::vector<ChangeRef>* out) {
  std::vector<FoundRef> found;
  FindCandidates(text, &found);
  size_t prev_end = 0;
  for (const FoundRef& f : found) {
    if (f.start < prev_end) continue;  // inside the previous one ("PR #4412" and its "#4412")
    bool elsewhere = PointsElsewhere(text, prev_end, f.start, f.end);
    prev_end = f.end;
    if (!elsewhere) AddUnique(f.ref, out);
  }
}

void FindFieldRefs(std::string_view name, std::string_view value, std::vector<ChangeRef>* out) {
  std::vector<std::string> words = WordTokens(name);
  for (const std::string& w : words)
    if (InRefTable(w, kOtherFieldWords)) return;
  std::string_view v = value;
  while (!v.empty() && (v.front() == ' ' || v.front() == '"')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '"')) v.remove_suffix(1);
  bool commit_name = false, pull_name = false;
  for (const std::string& w : words) {
    commit_name |= InRefTable(w, kCommitFieldWords);
    pull_name |= InRefTable(w, kPullFieldWords);
  }
  if (commit_name && v.size() >= kMinCommitDigits && AllRefHex(v)) {
    AddCommitRef(v, out);
    return;
  }
  if (pull_name && !v.empty() && v.size() <= kMaxPullDigits &&
      std::all_of(v.begin(), v.end(), RefDigit)) {
    AddUnique({ChangeRef::Kind::kPull, PullNumber(v)}, out);
    return;
  }
  FindChangeRefs(value, out);
}

bool SameChangeRef(const ChangeRef& a, const ChangeRef& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == ChangeRef::Kind::kPull) return a.id == b.id;
  if (a.id.size() < kMinCommitDigits || b.id.size() < kMinCommitDigits) return false;
  const std::string& shorter = a.id.size() <= b.id.size() ? a.id : b.id;
  const std::string& longer = a.id.size() <= b.id.size() ? b.id : a.id;
  return longer.compare(0, shorter.size(), shorter) == 0;
}

std::string ChangeRefText(const ChangeRef& r) {
  if (r.kind == ChangeRef::Kind::kPull) return "#" + r.id;
  return "commit " + r.id.substr(0, std::min<size_t>(r.id.size(), 12));
}

}  // namespace inquest
