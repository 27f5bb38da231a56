#include "analyze/draft_knowledge.h"

#include <fmt/format.h>

#include "base/strings.h"

namespace inquest {
namespace {

struct KindRow {
  std::string_view kind, name, action_class;
};

// One row per detector kind (timeline/detectors/, analyze/state_evidence): the name the draft
// uses and the class of the action it proposes (the primer's prevent / detect / mitigate).
constexpr KindRow kKinds[] = {
    {"cache-stampede", "Cache stampede", "prevent"},
    {"retry-storm", "Retry storm", "mitigate"},
    {"saturation", "Resource saturation", "mitigate"},
    {"missing-alert", "Missing alert", "detect"},
    {"detection-gap", "Detection gap", "detect"},
    {"one-step-rollout", "No staged rollout", "prevent"},
    {"exception", "Exception", "prevent"},
    {"clock-skew", "Clock skew", "detect"},
    {"pool-exhausted", "Pool exhausted", "mitigate"},
    {"slow-trace", "Slow trace", "mitigate"},
    {"failing-trace", "Failing trace", "prevent"},
    {"trace-critical-path", "Critical path", "mitigate"},
    {"profile-growth", "Memory growth", "prevent"},
    {"profile-top", "Profile hot spot", "mitigate"},
};

const KindRow* FindKind(std::string_view kind) {
  for (const KindRow& r : kKinds)
    if (r.kind == kind) return &r;
  return nullptr;
}

// Words of a change's summary that make it a mitigation rather than a cause.
constexpr std::string_view kMitigationWords[] = {
    "rollback", "roll back", "rolled back", "revert",  "restart", "scale up", "scaled",
    "failover", "fail over", "disable",     "mitigat", "drain",   "shed",     "hotfix"};

// Words in a customer's report that point at data left wrong, not only a failed page: money
// taken, an order written twice or lost, an account changed.
constexpr std::string_view kDataWords[] = {
    "charged",   "double charge", "billed",   "payment",     "refund",       "duplicate",
    "twice",     "lost",          "missing",  "corrupt",     "wrong amount", "wrong total",
    "not saved", "disappeared",   "overdraw", "inconsistent"};

}  // namespace

std::string FindingName(std::string_view kind) {
  if (const KindRow* r = FindKind(kind)) return std::string(r->name);
  std::string name(kind);
  for (char& c : name)
    if (c == '-' || c == '_') c = ' ';
  if (!name.empty()) name[0] = char(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

std::string_view ActionClass(std::string_view kind) {
  const KindRow* r = FindKind(kind);
  return r ? r->action_class : std::string_view("prevent");
}

std::string ProposedAction(const Finding& f) {
  std::string where = ServiceAndSubject(f.service, f.subject);
  std::string service = f.service.empty() ? std::string("the service") : f.service;
  if (f.kind == "cache-stampede")
    return fmt::format(
        "Coalesce concurrent misses for one key (singleflight / request collapsing) on the {} "
        "origin fetch of {}",
        service, f.subject);
  if (f.kind == "retry-storm")
    return fmt::format("Add jitter and a retry budget or circuit breaker to {}'s retries", service);
  if (f.kind == "saturation")
    return fmt::format(
        "Bound and shed load on {} (queue limits, timeouts shorter than the caller's deadline)",
        where);
  if (f.kind == "missing-alert")
    return fmt::format("Alert on {} saturation (e.g. in use > 80% for 5m)", where);
  if (f.kind == "detection-gap") return "Alert on the symptom users saw, before they report it";
  if (f.kind == "one-step-rollout")
    return fmt::format("Stage {} rollouts (canary, then 10/50/100%) with automatic checks",
                       f.service.empty() ? std::string("these") : f.service);
  if (f.kind == "exception")
    return fmt::format("Fix and test the failing path of {} (the first trace is the evidence)",
                       service);
  if (f.kind == "clock-skew")
    return fmt::format("Alert on clock offset (NTP/chrony) on the hosts of {}", service);
  if (f.kind == "profile-growth" && !f.subject.empty())
    return fmt::format(
        "Bound what {} keeps (a size limit, eviction or expiry), and alert on the process's "
        "memory growth well before it is killed",
        f.subject);
  if (f.kind == "profile-top" && !f.subject.empty())
    return f.title.starts_with("CPU")
               ? fmt::format(
                     "Make {} cheaper or call it less on the hot path (it takes most of "
                     "the CPU profile)",
                     f.subject)
               : fmt::format(
                     "Check that what {} allocates is released; a second profile later "
                     "tells a leak from a steady cache",
                     f.subject);
  return "Address: " + f.title;
}

namespace {

// Whether `word` starts a word of `lower_text` ("shed" in "shed load", not in "published").
bool HasWordStart(std::string_view lower_text, std::string_view word) {
  for (size_t at = lower_text.find(word); at != std::string_view::npos;
       at = lower_text.find(word, at + 1))
    if (at == 0 || !std::isalnum(static_cast<unsigned char>(lower_text[at - 1]))) return true;
  return false;
}

}  // namespace

bool LooksLikeMitigation(const Change& c) {
  std::string w = ToLower(c.what);
  for (std::string_view k : kMitigationWords)
    if (HasWordStart(w, k)) return true;
  return false;
}

std::string_view DataIntegrityWord(std::string_view text) {
  std::string t = ToLower(text);
  for (std::string_view w : kDataWords)
    if (HasWordStart(t, w)) return w;  // "charged", not "discharged"
  return {};
}

}  // namespace inquest
