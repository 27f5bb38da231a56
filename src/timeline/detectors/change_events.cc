#include "timeline/detectors/change_events.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/strings.h"
#include "base/word_set.h"

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

// Every rule word and every nothing-changed word in one set, so a record's texts are scanned once
// for all of them (the first pass asks this of every record).
struct ChangeWords {
  WordSet set;
  size_t nothing_end = 0;  // the nothing-changed words are bits [0, nothing_end)
  struct Range {
    ChangeKind kind;
    size_t begin, end;
  };
  std::vector<Range> rules;  // in kRules' order
};

const ChangeWords& Words() {
  static const ChangeWords kWords = [] {
    ChangeWords w;
    for (std::string_view word : kNothingChanged) w.set.Add(word);
    w.nothing_end = w.set.size();
    for (const Rule& r : kRules) {
      size_t begin = w.set.size();
      for (std::string_view word : r.words) w.set.Add(word);
      w.rules.push_back({r.kind, begin, w.set.size()});
    }
    return w;
  }();
  return kWords;
}

bool AnyIn(const WordSet::Found& found, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i)
    if (found[i]) return true;
  return false;
}

}  // namespace

std::optional<ChangeKind> ChangeKindOfEvent(const Event& e) {
  if (e.level >= Level::kError) return std::nullopt;
  const ChangeWords& w = Words();
  WordSet::Found found;
  ScanMessage(e, w.set, &found);
  if (found.none() || AnyIn(found, 0, w.nothing_end)) return std::nullopt;
  for (const ChangeWords::Range& r : w.rules)
    if (AnyIn(found, r.begin, r.end)) return r.kind;
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
