// Ranking change records against an error onset: preceding changes first, by proximity and by
// whether they touch a service that shows the errors; a deploy with what it shipped as one.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/strings.h"
#include "timeline/change.h"
#include "timeline/change_echo.h"
#include "timeline/change_links.h"

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
// A change in the onset window this long after its first error came after the incident began
// (more than clock noise between hosts that agree); its proximity counts kAfterFirstErrorScale.
// The scale is mild: hosts' clocks may be off by seconds, and the first error of the window may
// be background noise.
constexpr int64_t kAfterFirstErrorSlackNs = 5 * kNanosPerSecond;
constexpr double kAfterFirstErrorScale = 0.85;
// Scores of changes after the onset window: listed last, they can be a reaction (rollback).
constexpr double kAfterOnsetScale = 0.05;

// How much a change touches the services in trouble (0..1), and why: the errors' own services
// first, then the services the errors name, then the change's words quoted by the errors.
struct ServiceFactor {
  double value = kServiceUnknown;
  std::string why;
};

ServiceFactor ServiceFactorOf(const Change& c, size_t ci, const RankOptions& opts) {
  ServiceFactor f;
  f.why = c.service.empty() ? "service not recorded" : "no error breakdown by service";
  bool matched = false;
  if (!c.service.empty() && !opts.error_services.empty()) {
    f.value = kServiceOther;
    f.why = fmt::format("{} shows none of the errors", c.service);
    for (size_t i = 0; i < opts.error_services.size(); ++i) {
      if (!SameService(c.service, opts.error_services[i])) continue;
      double share = i < opts.error_shares.size() ? opts.error_shares[i] : 0.5;
      f.value = kServiceMatchBase + (1 - kServiceMatchBase) * share;
      f.why = i < opts.error_shares.size() ? fmt::format("{} shows {:.0f}% of the errors",
                                                         opts.error_services[i], share * 100)
                                           : fmt::format("{} shows errors", opts.error_services[i]);
      matched = true;
      break;
    }
  }
  // The error records naming the service (its callers blame it) count too, whichever says more.
  for (size_t i = 0; !c.service.empty() && i < opts.named_services.size(); ++i) {
    if (!SameService(c.service, opts.named_services[i])) continue;
    double share = i < opts.named_shares.size() ? opts.named_shares[i] : kMinNamedShare;
    double named = kServiceMatchBase + (1 - kServiceMatchBase) * share;
    if (named <= f.value) break;
    std::string why = fmt::format("{:.0f}% of the error records name {}", share * 100, c.service);
    f.why = matched ? f.why + "; " + why : why;
    f.value = named;
    break;
  }
  // The error records quoting the change's own words tie it to them like a named service.
  if (ci < opts.echo_shares.size() && opts.echo_shares[ci] >= kMinEchoShare) {
    double echo = kServiceMatchBase + (1 - kServiceMatchBase) * opts.echo_shares[ci];
    if (echo > f.value) {
      f.value = echo;
      f.why += fmt::format("; {:.0f}% of the error records say '{}'", opts.echo_shares[ci] * 100,
                           ci < opts.echo_words.size() ? opts.echo_words[ci] : "");
    }
  }
  return f;
}

// "ships PR #4412 (exports/a.jsonl:4)", and for more than one, the first kShippedNamed and how
// many more. Short: the reason is read in every listing; what each is and why it is linked are
// in RankedChange::shipped.
constexpr size_t kShippedNamed = 2;
std::string ShipsText(const std::vector<ShippedChange>& shipped) {
  std::string out =
      shipped.size() == 1 ? "ships " : fmt::format("ships {} changes: ", shipped.size());
  for (size_t i = 0; i < shipped.size() && i < kShippedNamed; ++i) {
    const ShippedChange& s = shipped[i];
    if (i) out += i + 1 == shipped.size() ? " and " : ", ";
    out += fmt::format("{} ({})", s.ref.empty() ? s.what : s.ref, s.source);
  }
  if (shipped.size() > kShippedNamed)
    out += fmt::format(" and {} more", shipped.size() - kShippedNamed);
  return out;
}

}  // namespace

std::vector<RankedChange> RankChanges(const std::vector<Change>& changes, const RankOptions& opts) {
  // What each deploy shipped, by explicit reference: ranked with it, not on their own.
  std::vector<std::vector<const ShipLink*>> ships(changes.size());
  std::vector<bool> shipped(changes.size(), false);
  const std::vector<ShipLink> links = LinkShippedChanges(changes);
  for (const ShipLink& l : links) {
    ships[l.deploy].push_back(&l);
    shipped[l.change] = true;
  }
  std::vector<RankedChange> out;
  const int64_t grace = opts.onset_window_ns > 0 ? opts.onset_window_ns : kDefaultOnsetWindowNs;
  for (size_t ci = 0; ci < changes.size(); ++ci) {
    if (shipped[ci]) continue;
    const Change& c = changes[ci];
    RankedChange r;
    r.change = c;
    for (const ShipLink* l : ships[ci]) {
      const Change& x = changes[l->change];
      r.shipped.push_back({x.time, x.what, x.source, x.ref, l->how});
    }
    std::string ships_text = r.shipped.empty() ? "" : "; " + ShipsText(r.shipped);
    std::string kind(ChangeKindName(c.kind));
    std::string target = c.service.empty() ? "" : " to " + c.service;
    if (opts.onset == kNoTime || c.time == kNoTime) {
      r.score = 0;
      r.reason = fmt::format("{} change{}; no onset to rank against{}", kind, target, ships_text);
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
      if (opts.first_error != kNoTime && c.time - opts.first_error > kAfterFirstErrorSlackNs) {
        proximity = kAfterFirstErrorScale;
        when +=
            fmt::format(", {} after its first error", FormatDuration(c.time - opts.first_error));
      }
    } else {
      proximity = kAfterOnsetScale;
      when = FormatDuration(-before) + " after the onset (a reaction, or unrelated)";
    }
    // A deploy carries what it shipped: the best of their ties to the errors, at its own time.
    ServiceFactor service = ServiceFactorOf(c, ci, opts);
    for (const ShipLink* l : ships[ci]) {
      ServiceFactor s = ServiceFactorOf(changes[l->change], l->change, opts);
      if (s.value > service.value) service = {s.value, fmt::format("{} (what it shipped)", s.why)};
    }
    r.score = std::clamp(proximity * service.value * std::clamp(c.prior, 0.0, 1.0), 0.0, 1.0);
    r.reason = fmt::format("{} change{} {}; {}", kind, target, when, service.why);
    if (!c.prior_reason.empty()) r.reason += "; " + c.prior_reason;
    if (!c.rollout.empty()) r.reason += fmt::format("; rolled out to {}", c.rollout);
    r.reason += ships_text;
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

namespace {

// Whether `text` holds `word` ignoring ASCII case, not inside a longer name (the characters
// around it are not letters, digits, '-' or '_').
// How a caller names its side of a dependency: "reco-client", "pricing_pool", "geo-upstream"
// name the reco, pricing and geo services.
constexpr std::string_view kDependencySuffixes[] = {"client",   "pool",    "conn",    "connection",
                                                    "upstream", "backend", "grpc",    "http",
                                                    "rpc",      "proxy",   "circuit", "breaker"};

// Whether text[at..] is "-" or "_" and a dependency suffix that ends the name there.
bool DependencySuffixAt(std::string_view text, size_t at) {
  if (at >= text.size() || (text[at] != '-' && text[at] != '_')) return false;
  std::string_view rest = text.substr(at + 1);
  for (std::string_view s : kDependencySuffixes) {
    if (rest.size() < s.size() || !EqualsIgnoreCase(rest.substr(0, s.size()), s)) continue;
    char next = rest.size() > s.size() ? rest[s.size()] : ' ';
    bool ends = !((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') ||
                  (next >= '0' && next <= '9'));
    if (ends) return true;
  }
  return false;
}

bool NamesWord(std::string_view text, std::string_view word) {
  // A word of its own, or glued only to a dependency suffix: "reco" in "reco-client".
  for (size_t at = FindWord(text, word, 0, false); at != std::string_view::npos;
       at = FindWord(text, word, at + 1, false)) {
    size_t end = at + word.size();
    bool glued_before = at > 0 && (text[at - 1] == '-' || text[at - 1] == '_');
    bool glued_after = end < text.size() && (text[end] == '-' || text[end] == '_');
    if (glued_before || (glued_after && !DependencySuffixAt(text, end))) continue;
    return true;
  }
  return false;
}

}  // namespace

void SetNamedServices(const std::vector<Change>& changes,
                      const std::vector<std::string_view>& error_messages, RankOptions* opts,
                      const std::vector<std::string_view>* message_services) {
  opts->named_services.clear();
  opts->named_shares.clear();
  if (error_messages.empty()) return;
  std::vector<std::string> seen;
  for (const Change& c : changes) {
    if (c.service.empty()) continue;
    bool known = false;
    for (const std::string& s : seen) known |= SameService(s, c.service);
    if (known) continue;
    seen.push_back(c.service);
    // "shipping-service" is written "shipping" as often as not.
    std::string_view stem = c.service;
    for (std::string_view suffix : {"-service", "-svc", "_service"})
      if (stem.size() > suffix.size() && stem.substr(stem.size() - suffix.size()) == suffix)
        stem.remove_suffix(suffix.size());
    size_t named = 0;
    for (size_t k = 0; k < error_messages.size(); ++k) {
      if (message_services && k < message_services->size() &&
          SameService((*message_services)[k], c.service))
        continue;  // its own record: no blame
      std::string_view m = error_messages[k];
      named += NamesWord(m, c.service) || (stem.size() != c.service.size() && NamesWord(m, stem));
    }
    double share = static_cast<double>(named) / static_cast<double>(error_messages.size());
    if (share < kMinNamedShare) continue;
    opts->named_services.push_back(c.service);
    opts->named_shares.push_back(share);
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
