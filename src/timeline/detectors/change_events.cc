#include "timeline/detectors/change_events.h"

#include <absl/container/inlined_vector.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/strings.h"
#include "base/word_prefilter.h"

namespace inquest {
namespace {

struct Rule {
  ChangeKind kind;
  std::initializer_list<std::string_view> words;
};

// Most specific first; the words are matched case-insensitively in the message.
const Rule kRules[] = {
    {ChangeKind::kData,
     {"invalidate", "invalidation", "invalidated", "cache flush", "cache.flush", "flushall",
      "flushed cache", "cache cleared", "cache clear", "cache.clear", "purge", "purged",
      "evict all", "evicted all"}},
    {ChangeKind::kFlag,
     {"feature flag", "feature_flag", "flag changed", "flag flipped", "flag.update", "flag update",
      "flag toggled", "toggled flag", "flag enabled", "flag disabled", "experiment enabled"}},
    {ChangeKind::kConfig,
     {"config reload", "config.reload", "reloaded config", "reloading config",
      "configuration reload", "configuration changed", "config changed", "config updated",
      "config.update", "settings updated", "new config applied", "applied config"}},
    {ChangeKind::kDeploy,
     {"deploying", "deployed", "deployment", "deploy.", "rollout", "rolled out", "rolling out",
      "rollback", "rolling back", "rolled back", "release ", "upgraded to", "upgrading to",
      "migration applied", "migrating", "schema migration"}},
};

// What identifies the change: a version, a key, a flag name.
std::string_view RefOf(const Event& e) {
  return FirstField(
      e, {"version", "ref", "release", "flag", "key", "config", "commit", "image", "revision"});
}

std::string Summary(const Event& e) {
  std::string_view msg = TrimSpace(e.message.empty() ? e.raw : e.message);
  size_t nl = msg.find('\n');
  if (nl != std::string_view::npos) msg = msg.substr(0, nl);
  return Excerpt(msg);
}

// Words by which a change-like line says that nothing changed.
constexpr std::string_view kNothingChanged[] = {"no change",
                                                "no keys changed",
                                                "nothing changed",
                                                "unchanged",
                                                "0 changes",
                                                "0 keys",
                                                "nothing to",
                                                "no-op",
                                                "noop",
                                                "not changed",
                                                "already up to date",
                                                "up-to-date",
                                                "skipping",
                                                "skipped",
                                                "dry run",
                                                "dry-run"};

// The wording of a change with its numbers, hex runs and ids blanked: repeats of one routine
// line share it ("refreshed 12 flags" and "refreshed 14 flags").
std::string Shape(std::string_view what) {
  std::string out;
  bool in_token = false;
  for (char c : what) {
    bool digit = c >= '0' && c <= '9';
    if (digit) {
      if (!in_token) out += '#';
      in_token = true;
      continue;
    }
    in_token = false;
    out += c;
  }
  size_t x = out.rfind(" (x");  // the coalescing count
  if (x != std::string::npos) out.resize(x);
  return out;
}

}  // namespace

namespace {

// Every rule word, for the quick rejection of the records that hold none (nearly all).
const WordPrefilter& RuleWords() {
  static const WordPrefilter kWords = [] {
    WordPrefilter f;
    for (const Rule& r : kRules) f.Add(r.words);
    return f;
  }();
  return kWords;
}

// The texts MessageHasAny reads (detector.h): the message, else the whole record, and the values
// of error-text fields. Gathered once per record: the rule words are many.
using RecordTexts = absl::InlinedVector<std::string_view, 4>;
RecordTexts TextsOf(const Event& e) {
  RecordTexts texts{e.message.empty() ? e.raw : e.message};
  for (const auto& [key, value] : e.attrs)
    if (IsErrorTextKey(key)) texts.push_back(value);
  return texts;
}

bool AnyHolds(const RecordTexts& texts, std::string_view word) {
  return std::any_of(texts.begin(), texts.end(),
                     [word](std::string_view t) { return ContainsIgnoreCase(t, word); });
}

}  // namespace

std::optional<ChangeKind> ChangeKindOfEvent(const Event& e) {
  if (e.level >= Level::kError) return std::nullopt;
  // Called for every record of the first pass: the prefilter turns nearly all of them away.
  RecordTexts texts = TextsOf(e);
  const WordPrefilter& f = RuleWords();
  if (std::none_of(texts.begin(), texts.end(),
                   [&f](std::string_view t) { return f.MayContain(t); }))
    return std::nullopt;
  for (std::string_view w : kNothingChanged)
    if (AnyHolds(texts, w)) return std::nullopt;
  for (const Rule& r : kRules)
    for (std::string_view w : r.words)
      if (AnyHolds(texts, w)) return r.kind;
  return std::nullopt;
}

std::vector<Change> LiftChangeEvents(const DetectorInput& in, TimePoint onset) {
  struct Open {
    size_t index;  // into out
    TimePoint last;
    size_t count;
  };
  std::vector<Change> out;
  std::map<std::string, Open> open;  // service|kind|summary -> the change being coalesced
  for (const Event* e : in.events) {
    if (e->time == kNoTime) continue;
    std::optional<ChangeKind> kind = ChangeKindOfEvent(*e);
    if (!kind) continue;
    std::string service = ServiceOf(in, *e);
    std::string what = Summary(*e);
    std::string key = fmt::format("{}|{}|{}", service, static_cast<int>(*kind), what);
    auto it = open.find(key);
    if (it != open.end() && e->time - it->second.last <= kChangeCoalesceNs) {
      it->second.last = e->time;
      it->second.count++;
      continue;
    }
    if (it != open.end() && it->second.count > 1)
      out[it->second.index].what += fmt::format(" (x{})", it->second.count);
    Change c;
    c.time = e->time;
    c.kind = *kind;
    c.service = service;
    c.what = what;
    c.ref = std::string(RefOf(*e));
    c.source = SourceOf(in, *e);
    // The commits and PRs its words name ("deployed v2.317 (9f1e2ab)"), not its attributes:
    // request and trace ids there are hex too.
    FindChangeRefs(c.what, &c.refs);
    out.push_back(std::move(c));
    open[key] = Open{out.size() - 1, e->time, 1};
  }
  for (const auto& [key, o] : open)
    if (o.count > 1) out[o.index].what += fmt::format(" (x{})", o.count);
  // Every lifted change is a log line's words; routine ones also happened before, unharmed.
  std::map<std::string, size_t> before;  // service|kind|shape -> episodes before the onset
  auto routine_key = [](const Change& c) {
    return fmt::format("{}|{}|{}", c.service, static_cast<int>(c.kind), Shape(c.what));
  };
  if (onset != kNoTime)
    for (const Change& c : out)
      if (c.time < onset) ++before[routine_key(c)];
  for (Change& c : out) {
    c.prior = kLiftedPrior;
    c.prior_reason = "read from a log line's words, not a change record";
    auto it = before.find(routine_key(c));
    if (it != before.end() && it->second >= kRoutineMinRepeats) {
      c.prior *= kRoutinePrior;
      c.prior_reason =
          fmt::format("a log line's words, logged {} times before the onset: routine", it->second);
    }
  }
  if (out.size() > kMaxLiftedChanges) {
    auto distance = [&](const Change& c) {
      if (onset == kNoTime) return static_cast<int64_t>(0);
      // Before the onset is what a trigger looks like; after it counts double.
      return c.time <= onset ? onset - c.time : 2 * (c.time - onset);
    };
    std::stable_sort(out.begin(), out.end(),
                     [&](const Change& a, const Change& b) { return distance(a) < distance(b); });
    out.resize(kMaxLiftedChanges);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Change& a, const Change& b) { return a.time < b.time; });
  return out;
}

}  // namespace inquest
