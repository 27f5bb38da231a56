#include "dumps/wait_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/strings.h"

namespace inquest {
namespace {

// How a verdict names a queue at each kind of resource (the table's `kind`).
struct KindWords {
  std::string_view kind;
  std::string_view title;    // "pool exhausted"
  std::string_view finding;  // the Finding kind
  // Lock queues are left to the runtimes' own lock analyses (Go's lock convoy, Java's lock
  // graph with the holder when the dump shows it); the detail still lists them.
  bool verdict = true;
};
constexpr KindWords kKindWords[] = {
    {"pool", "pool exhausted", "pool-exhausted"},
    {"semaphore", "semaphore exhausted", "pool-exhausted"},
    {"lock", "lock queue", "resource-wait", false},
    {"queue", "queue starved", "resource-wait"},
    {"connection", "connections stalled", "resource-wait"},
};

KindWords WordsFor(std::string_view kind) {
  for (const KindWords& w : kKindWords)
    if (w.kind == kind) return w;
  return {kind, "waiting for a resource", "resource-wait"};
}

// "200,000": counts as the other verdicts print them.
std::string Count(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// "48 goroutines", "1 thread".
std::string Plural(uint64_t n, std::string_view unit) {
  return fmt::format("{} {}{}", Count(n), unit, n == 1 ? "" : "s");
}

int Rank(const WaitSite& s) {
  if (s.normal) return 2;
  return s.role == WaitRole::kAcquire ? 0 : 1;
}

std::string OriginText(const WaitOrigin& o) {
  std::string s;
  if (!o.caller.empty()) s = "in " + o.caller;
  if (!o.creator.empty()) s += (s.empty() ? "" : ", ") + ("created by " + o.creator);
  if (!o.threads.empty()) s += (s.empty() ? "" : ", ") + ("threads " + o.threads);
  return s;
}

std::string Origins(const WaitSiteCount& c) {
  if (c.origins.empty()) return {};
  std::string s = OriginText(c.origins.front());
  if (s.empty()) return {};
  if (c.origins.size() > 1) {
    s += fmt::format(" and {} more site{}", c.origins.size() - 1, c.origins.size() == 2 ? "" : "s");
  }
  return " (" + s + ")";
}

}  // namespace

void WaitTally::Add(const WaitObservation& o) {
  if (o.match.site == nullptr || o.count == 0) return;
  WaitSiteCount* c = nullptr;
  for (WaitSiteCount& s : sites_)
    if (s.site == o.match.site && s.frame == o.frame) c = &s;
  if (c == nullptr) {
    sites_.push_back({o.match.site, o.frame});
    c = &sites_.back();
  }
  c->count += o.count;
  c->wait_minutes = std::max(c->wait_minutes, o.wait_minutes);
  for (WaitOrigin& w : c->origins)
    if (w.caller == o.caller && w.creator == o.creator && w.threads == o.threads) {
      w.count += o.count;
      return;
    }
  c->origins.push_back({o.caller, o.creator, o.threads, o.count, o.evidence});
}

std::vector<WaitSiteCount> WaitTally::Finish() {
  for (WaitSiteCount& s : sites_)
    std::stable_sort(s.origins.begin(), s.origins.end(),
                     [](const WaitOrigin& a, const WaitOrigin& b) { return a.count > b.count; });
  std::stable_sort(sites_.begin(), sites_.end(),
                   [](const WaitSiteCount& a, const WaitSiteCount& b) {
                     if (Rank(*a.site) != Rank(*b.site)) return Rank(*a.site) < Rank(*b.site);
                     return a.count > b.count;
                   });
  return std::move(sites_);
}

std::vector<Finding> WaitVerdicts(const std::vector<WaitSiteCount>& sites, std::string_view unit,
                                  TimePoint time) {
  // Per pool family: the waiters, and what its holders keep.
  std::map<std::string, std::vector<const WaitSiteCount*>> acquire, hold;
  std::vector<std::string> order;
  for (const WaitSiteCount& s : sites) {
    if (s.site->normal) continue;
    auto& into = s.site->role == WaitRole::kAcquire ? acquire : hold;
    if (!acquire.contains(s.site->pool) && !hold.contains(s.site->pool))
      order.push_back(s.site->pool);
    into[s.site->pool].push_back(&s);
  }
  std::vector<Finding> out;
  for (const std::string& pool : order) {
    uint64_t waiting = 0, holding = 0;
    uint32_t held_minutes = 0;
    for (const WaitSiteCount* s : acquire[pool]) waiting += s->count;
    for (const WaitSiteCount* s : hold[pool]) {
      holding += s->count;
      held_minutes = std::max(held_minutes, s->wait_minutes);
    }
    std::string holds;
    for (const WaitSiteCount* s : hold[pool])
      holds += fmt::format(
          "; {} hold {}{}", Plural(s->count, unit), s->site->resource,
          s->wait_minutes > 0 ? fmt::format(" (for {}+ minutes)", s->wait_minutes) : std::string());
    Finding f;
    f.time = time;
    f.subject = pool;
    bool verdict = !acquire[pool].empty() && WordsFor(acquire[pool].front()->site->kind).verdict;
    if (waiting >= kWaitMinWaiters && verdict) {
      const WaitSiteCount& top = *acquire[pool].front();
      KindWords words = WordsFor(top.site->kind);
      f.kind = std::string(words.finding);
      f.severity = Severity::kError;
      f.confidence =
          std::min(0.95, 0.6 + (holding > 0 ? 0.2 : 0.0) + static_cast<double>(waiting) / 1000);
      f.title =
          fmt::format("{}: {} {} {}{}", words.title, Plural(waiting, unit),
                      waiting == 1 ? "waits for" : "wait for", top.site->resource, Origins(top));
      if (acquire[pool].size() > 1)
        f.title += fmt::format(" ({} of them at {} other wait site{})", Count(waiting - top.count),
                               acquire[pool].size() - 1, acquire[pool].size() == 2 ? "" : "s");
      f.title += holds;
      f.explanation = fmt::format(
          "{} of the dump are parked in {}, the call that waits for {}: every slot is taken "
          "and callers queue for the next one to come back.",
          Plural(waiting, unit), top.frame, top.site->resource);
      if (holding > 0)
        f.explanation += fmt::format(
            " The slots are held: {} still hold {} of the same pool, so look at what those "
            "holders wait for or forgot to release (an open transaction never committed, a "
            "response body never closed).",
            Plural(holding, unit), hold[pool].front()->site->resource);
      else
        f.explanation +=
            " The dump does not show the holders; they may be busy in the resource itself (a "
            "slow query, a slow upstream).";
      for (const WaitSiteCount* s : acquire[pool])
        for (size_t i = 0; i < s->origins.size() && i < kWaitOriginsListed; ++i)
          f.evidence.push_back(s->origins[i].evidence);
      for (const WaitSiteCount* s : hold[pool])
        if (!s->origins.empty()) f.evidence.push_back(s->origins.front().evidence);
      out.push_back(std::move(f));
    } else if (waiting < kWaitMinWaiters && holding >= kWaitMinHolders &&
               held_minutes >= kHoldLongMinutes) {
      const WaitSiteCount& top = *hold[pool].front();
      f.kind = "resource-held";
      f.severity = Severity::kWarning;
      f.confidence = 0.6;
      f.title = fmt::format("held open: {} hold {} for {}+ minutes{}", Plural(holding, unit),
                            top.site->resource, held_minutes, Origins(top));
      f.explanation = fmt::format(
          "{} of the dump sit in {} and have for over {} minute(s): the resource is kept and "
          "not released (a transaction never committed or rolled back). No queue has formed for "
          "it yet; one will once the pool runs out.",
          Plural(holding, unit), top.frame, held_minutes);
      for (const WaitSiteCount* s : hold[pool])
        if (!s->origins.empty()) f.evidence.push_back(s->origins.front().evidence);
      out.push_back(std::move(f));
    }
  }
  return out;
}

std::string WaitText(const std::vector<WaitSiteCount>& sites, std::string_view unit) {
  if (sites.empty()) return {};
  std::string out = "\nWait sites:\n";
  for (const WaitSiteCount& s : sites) {
    std::string_view verb = s.site->role == WaitRole::kHold ? (s.count == 1 ? "holds" : "hold")
                            : s.count == 1                  ? "waits for"
                                                            : "wait for";
    out += fmt::format("  {} {} {}  at {}{}\n", Plural(s.count, unit), verb,
                       SanitizeForTerminal(s.site->resource), SanitizeForTerminal(s.frame),
                       s.site->normal ? "  (normal: idle)" : "");
    for (size_t i = 0; i < s.origins.size() && i < kWaitOriginsListed; ++i) {
      std::string o = OriginText(s.origins[i]);
      if (!o.empty())
        out += fmt::format("      {:>6}  {}\n", s.origins[i].count, SanitizeForTerminal(o));
    }
    if (s.origins.size() > kWaitOriginsListed)
      out += fmt::format("      ... {} more sites\n", s.origins.size() - kWaitOriginsListed);
  }
  return out;
}

void WaitJson(const std::vector<WaitSiteCount>& sites, JsonWriter* j) {
  j->BeginArray();
  for (const WaitSiteCount& s : sites) {
    j->BeginObject().Key("resource").String(s.site->resource).Key("pool").String(s.site->pool);
    j->Key("kind").String(s.site->kind);
    j->Key("role").String(s.site->role == WaitRole::kHold ? "hold" : "acquire");
    j->Key("normal").Bool(s.site->normal).Key("user_entry").Bool(s.site->user);
    j->Key("frame").String(s.frame).Key("count").Int(s.count);
    j->Key("wait_minutes").Int(s.wait_minutes).Key("origins").BeginArray();
    for (const WaitOrigin& o : s.origins) {
      j->BeginObject().Key("caller").String(o.caller).Key("created_by").String(o.creator);
      j->Key("threads").String(o.threads);
      j->Key("count").Int(o.count).Key("source").String(o.evidence.source).EndObject();
    }
    j->EndArray().EndObject();
  }
  j->EndArray();
}

}  // namespace inquest
