#include "logs/field_inference.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <unordered_map>

#include "logs/registry.h"

namespace inquest {
namespace {

// A log's own clock moves forward in small steps; a key holding some other time (an account's
// creation date, a certificate's expiry) jumps around. Consecutive records further apart than
// this do not count as moving together.
constexpr uint64_t kCoherentStepNs = 3600 * kNanosPerSecond;
// Ids and levels need not be on every record (a startup line has no request id), but a key on
// fewer records than this is too rare to tell anything by.
constexpr double kIdPresence = 0.2;
constexpr double kLevelPresence = 0.5;
// A level key takes a handful of words (trace .. fatal); more distinct values is free text.
constexpr size_t kMaxLevelDistinct = 8;
// A request id key takes many values; a key with fewer distinct ones is a category.
constexpr size_t kMinIdDistinct = 3;
// The service of one file: one name, a few when a file collects several.
constexpr size_t kMaxServiceDistinct = 4;
// One request's lines sit close together; a product code or a user id recurs anywhere. A key
// whose recurring values span (median, first to last record) more records than this is not a
// request id unless its name says so.
constexpr size_t kMaxRequestSpanRecords = 32;
// Values counted per key: enough for the head, bounded for pathological keys.
constexpr size_t kMaxTrackedValues = 1024;
constexpr size_t kMinIdLength = 6, kMaxIdLength = 128;

// Namespaces wrapping a key in structured logs (OpenTelemetry attributes and resource, ECS
// labels, logrus and zap fields, Python extra, MDC): "attributes.request_id" is "request_id".
constexpr std::string_view kNamespaces[] = {
    "resource.attributes.",
    "attributes.",
    "attrs.",
    "resource.",
    "labels.",
    "fields.",
    "context.",
    "ctx.",
    "extra.",
    "mdc.",
    "meta.",
    "data.",
    "tags.",
};

// Words in a key name that hint at a role: they only rank candidates whose values passed.
constexpr std::string_view kRequestHints[] = {"request", "req", "correlation",
                                              "rid",     "txn", "transaction"};
constexpr std::string_view kServiceHints[] = {"service", "svc", "app"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Lower case, namespaces removed, separators dropped: "Attributes.Request-ID" -> "requestid".
std::string Normalize(std::string_view key) {
  std::string lower(key);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view rest = lower;
  for (bool again = true; again;) {
    again = false;
    for (std::string_view ns : kNamespaces) {
      if (rest.size() > ns.size() && rest.substr(0, ns.size()) == ns) {
        rest.remove_prefix(ns.size());
        again = true;
      }
    }
  }
  std::string out;
  for (char c : rest)
    if (c != '_' && c != '-' && c != '.') out.push_back(c);
  return out;
}

bool HasHint(std::string_view key, std::span<const std::string_view> hints) {
  std::string n = Normalize(key);
  for (std::string_view h : hints)
    if (n.find(h) != std::string::npos) return true;
  return false;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// A token made to name one thing: a UUID, or letters/digits with '-', '_', ':' or '.' joints
// holding at least one digit and one letter or dash ("req-7f3a91", "01HZX3K9QF", "a1b2c3d4").
// Plain numbers, words, versions and addresses are not.
bool IsIdLike(std::string_view s) {
  if (IsUuid(s)) return true;
  if (s.size() < kMinIdLength || s.size() > kMaxIdLength) return false;
  bool digit = false, letter_or_dash = false;
  for (char c : s) {
    if (IsDigit(c)) {
      digit = true;
    } else if (IsAlpha(c) || c == '-') {
      letter_or_dash = true;
    } else if (c != '_' && c != ':' && c != '.') {
      return false;
    }
  }
  return digit && letter_or_dash;
}

bool IsShortName(std::string_view s) {
  if (s.empty() || s.size() > 64 || !IsAlpha(s[0])) return false;
  for (char c : s)
    if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '_' && c != '.' && c != '/') return false;
  return true;
}

struct KeyStats {
  std::string key;
  size_t order = 0;        // first appearance, for stable ties
  size_t pino_levels = 0;  // values on the numeric scale of pino and bunyan (10 .. 60)
  size_t present = 0, times = 0, levels = 0, hex32 = 0, hex16 = 0, idlike = 0, names = 0;
  size_t coherent_steps = 0, steps = 0;
  TimePoint last_time = kNoTime;
  struct Seen {
    uint32_t count = 0;
    size_t first = 0, last = 0;  // record numbers
  };
  std::unordered_map<std::string, Seen> values;  // at most kMaxTrackedValues
  bool values_capped = false;
  // What the caller's names say about the key: a role, and a rank (the table's priority for a
  // key it holds, worse for one matched only after normalizing).
  FieldRole name_role = FieldRole::kNone;
  int name_rank = 1 << 30;
  bool hinted_only = false;

  size_t distinct() const { return values.size(); }
  bool recurs() const {
    for (const auto& [v, seen] : values)
      if (seen.count > 1) return true;
    return false;
  }
  // Whether recurring values recur close together, as one request's lines do.
  bool recurs_in_bursts() const {
    std::vector<size_t> spans;
    for (const auto& [v, seen] : values)
      if (seen.count > 1) spans.push_back(seen.last - seen.first);
    if (spans.empty()) return false;
    std::nth_element(spans.begin(), spans.begin() + spans.size() / 2, spans.end());
    return spans[spans.size() / 2] <= kMaxRequestSpanRecords;
  }
};

void Observe(std::string_view value, size_t record, const TimeContext& tctx, KeyStats* k) {
  ++k->present;
  ParsedTime pt;
  if (ParseTimeValue(value, tctx, &pt)) {
    ++k->times;
    if (k->last_time != kNoTime) {
      ++k->steps;
      if (TimeDistance(pt.time, k->last_time) <= kCoherentStepNs) ++k->coherent_steps;
    }
    k->last_time = pt.time;
  }
  if (ParseLevel(value) != Level::kUnknown &&
      std::any_of(value.begin(), value.end(), [](char c) { return IsAlpha(c); }))
    ++k->levels;
  if (PinoLevel(value) != Level::kUnknown) ++k->pino_levels;
  if (IsHexText(value)) {
    if (value.size() == 32) ++k->hex32;
    if (value.size() == 16) ++k->hex16;
  }
  if (IsIdLike(value)) ++k->idlike;
  if (IsShortName(value)) ++k->names;
  auto it = k->values.find(std::string(value));
  if (it != k->values.end()) {
    ++it->second.count;
    it->second.last = record;
  } else if (k->values.size() < kMaxTrackedValues) {
    k->values.emplace(std::string(value), KeyStats::Seen{1, record, record});
  } else {
    k->values_capped = true;
  }
}

bool Share(size_t part, size_t whole, double at_least) {
  return whole > 0 && static_cast<double>(part) >= at_least * static_cast<double>(whole);
}

// The value test of each role; `records` is the number of records read.
bool PassesTime(const KeyStats& k, size_t records) {
  return Share(k.present, records, kNearlyAll) && Share(k.times, k.present, kNearlyAll) &&
         (k.steps == 0 || Share(k.coherent_steps, k.steps, kNearlyAll));
}
bool PassesLevel(const KeyStats& k, size_t records) {
  if (!Share(k.present, records, kLevelPresence) || k.distinct() > kMaxLevelDistinct) return false;
  // Level words, or pino's numbers: at least two of them (one constant number says nothing).
  return Share(k.levels, k.present, kNearlyAll) ||
         (Share(k.pino_levels, k.present, kNearlyAll) && k.distinct() >= 2);
}
bool PassesHex(size_t hex, const KeyStats& k, size_t records) {
  return Share(k.present, records, kIdPresence) && Share(hex, k.present, kNearlyAll);
}
bool PassesRequest(const KeyStats& k, size_t records) {
  if (!Share(k.present, records, kIdPresence) || !Share(k.idlike, k.present, kNearlyAll) ||
      k.distinct() < kMinIdDistinct || k.times != 0)
    return false;
  bool named = k.name_role == FieldRole::kRequestId || HasHint(k.key, kRequestHints);
  return named ? k.recurs() : k.recurs_in_bursts();
}
// A key whose name says request ("request.id", "correlation_id") holds request ids, whatever
// hex shape its values have: a 16-hex request id is not a span id.
bool NamedRequest(const KeyStats& k) {
  if (k.name_role == FieldRole::kTraceId || k.name_role == FieldRole::kSpanId) return false;
  return k.name_role == FieldRole::kRequestId || HasHint(k.key, kRequestHints);
}
bool PassesService(const KeyStats& k, size_t records) {
  return Share(k.present, records, kNearlyAll) && Share(k.names, k.present, kNearlyAll) &&
         k.distinct() <= kMaxServiceDistinct;
}

class Judge {
 public:
  Judge(std::vector<KeyStats>* keys, FieldInference* out)
      : keys_(*keys), out_(*out), taken_(keys->size(), false) {}

  // The key the names pick for `role` (the best-ranked one present), or null.
  KeyStats* NamePick(FieldRole role) {
    KeyStats* best = nullptr;
    for (KeyStats& k : keys_)
      if (k.name_role == role && (!best || k.name_rank < best->name_rank)) best = &k;
    return best;
  }

  // Keeps the names' pick when it passes `test`; otherwise the best candidate by `better` that
  // passes (and is not taken by another role) is recorded with `reason`.
  template <typename Test, typename Better>
  void Decide(FieldRole role, Test test, Better better, std::string_view what) {
    KeyStats* pick = NamePick(role);
    if (pick && !taken_[pick->order] && test(*pick)) {
      taken_[pick->order] = true;
      has_[static_cast<size_t>(role)] = true;
      if (pick->hinted_only) Record(role, *pick, fmt::format("named like a {} key", what));
      return;
    }
    KeyStats* best = nullptr;
    for (KeyStats& k : keys_) {
      // A key the names give another role keeps it ("host" with id-like pod names).
      bool named_other = k.name_role != FieldRole::kNone && k.name_role != role && !k.hinted_only;
      if (taken_[k.order] || named_other || !test(k)) continue;
      if (!best || better(k, *best)) best = &k;
    }
    if (best) {
      Record(role, *best, Reason(role, *best));
      has_[static_cast<size_t>(role)] = true;
    } else if (pick && pick->hinted_only) {
      Record(role, *pick, fmt::format("named like a {} key", what));
      has_[static_cast<size_t>(role)] = true;
    }
  }

  // Whether a key holds `role` after the decisions so far.
  bool Has(FieldRole role) const { return has_[static_cast<size_t>(role)]; }

  // Roles without a value test (message, host): a key named like one, when the names' own keys
  // are absent.
  void ByNameOnly(FieldRole role, std::string_view what) {
    KeyStats* pick = NamePick(role);
    if (pick && pick->hinted_only && !taken_[pick->order])
      Record(role, *pick, fmt::format("named like a {} key", what));
  }

 private:
  std::string Reason(FieldRole role, const KeyStats& k) const {
    switch (role) {
      case FieldRole::kTime:
        return fmt::format("{} of {} values parse as times, moving together", k.times, k.present);
      case FieldRole::kLevel:
        if (k.levels < k.pino_levels)
          return fmt::format("{} of {} values are pino's numeric levels (10 trace .. 60 fatal)",
                             k.pino_levels, k.present);
        return fmt::format("{} of {} values are level words", k.levels, k.present);
      case FieldRole::kTraceId:
        return fmt::format("{} of {} values are 32 hex digits", k.hex32, k.present);
      case FieldRole::kSpanId:
        return fmt::format("{} of {} values are 16 hex digits", k.hex16, k.present);
      case FieldRole::kRequestId:
        return fmt::format("{} of {} values are ids, {} distinct, recurring", k.idlike, k.present,
                           k.distinct());
      case FieldRole::kService:
        return fmt::format("{} distinct short names in a service-named key", k.distinct());
      default:
        return "named like one";
    }
  }
  void Record(FieldRole role, KeyStats& k, std::string reason) {
    taken_[k.order] = true;
    out_.found.push_back({role, k.key, std::move(reason)});
  }

  std::vector<KeyStats>& keys_;
  FieldInference& out_;
  std::vector<bool> taken_;
  std::array<bool, kFieldRoleCount> has_{};
};

}  // namespace

bool IsHexText(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

FieldInference InferFields(const LogFormat& format, std::string_view data,
                           const ParseContext& ctx) {
  FieldInference out;
  const FieldNames empty = FieldNames::Empty();
  Arena arena;
  ParseContext head_ctx = ctx;
  head_ctx.fields = &empty;
  head_ctx.arena = &arena;

  std::vector<KeyStats> keys;
  std::unordered_map<std::string, size_t> index;
  size_t records = 0;
  Event ev;
  std::string why;
  for (std::string_view line : HeadLines(data, kInferenceLines)) {
    ev.Clear();
    if (format.ParseLine(line, head_ctx, &ev, &why) != LineKind::kRecord) continue;
    ++records;
    for (const Attr& a : ev.attrs) {
      if (a.key == kRepairedAttr || a.value.empty()) continue;
      auto [it, added] = index.emplace(std::string(a.key), keys.size());
      if (added) {
        keys.emplace_back();
        keys.back().key = std::string(a.key);
        keys.back().order = it->second;
      }
      Observe(a.value, records, ctx.time, &keys[it->second]);
    }
  }
  if (records == 0 || keys.empty()) return out;

  // What the names say: the table's own keys first, then keys that match one after Normalize.
  std::unordered_map<std::string, FieldRole> normalized;
  for (const auto& [key, role] : ctx.fields->Entries()) normalized.emplace(Normalize(key), role);
  for (KeyStats& k : keys) {
    FieldNames::Lookup found = ctx.fields->Find(k.key);
    if (found.role != FieldRole::kNone) {
      k.name_role = found.role;
      k.name_rank = found.priority;
    } else if (auto it = normalized.find(Normalize(k.key)); it != normalized.end()) {
      k.name_role = it->second;
      k.hinted_only = true;
    }
  }

  Judge judge(&keys, &out);
  auto named_first = [](const KeyStats& a, const KeyStats& b) {
    if ((a.name_role != FieldRole::kNone) != (b.name_role != FieldRole::kNone))
      return a.name_role != FieldRole::kNone;
    return a.order < b.order;
  };
  judge.Decide(
      FieldRole::kTime, [&](const KeyStats& k) { return PassesTime(k, records); },
      [&](const KeyStats& a, const KeyStats& b) {
        if (a.name_role == FieldRole::kTime || b.name_role == FieldRole::kTime)
          return a.name_role == FieldRole::kTime && b.name_role != FieldRole::kTime;
        if (a.times != b.times) return a.times > b.times;
        return a.order < b.order;
      },
      "time");
  judge.Decide(
      FieldRole::kTraceId,
      [&](const KeyStats& k) { return !NamedRequest(k) && PassesHex(k.hex32, k, records); },
      named_first, "trace id");
  judge.Decide(
      FieldRole::kSpanId,
      [&](const KeyStats& k) {
        // A span id belongs with a trace id: without one, 16 hex digits under a key named for
        // neither ("ctx_id") are more likely a request id, decided below.
        bool spanlike = judge.Has(FieldRole::kTraceId) || k.name_role == FieldRole::kSpanId ||
                        Normalize(k.key).find("span") != std::string::npos;
        return spanlike && !NamedRequest(k) && PassesHex(k.hex16, k, records);
      },
      [](const KeyStats& a, const KeyStats& b) {
        // A parent's id is a span id too, but not this record's.
        bool pa = Normalize(a.key).find("parent") != std::string::npos;
        bool pb = Normalize(b.key).find("parent") != std::string::npos;
        if (pa != pb) return pb;
        if ((a.name_role == FieldRole::kSpanId) != (b.name_role == FieldRole::kSpanId))
          return a.name_role == FieldRole::kSpanId;
        if (a.distinct() != b.distinct()) return a.distinct() > b.distinct();
        return a.order < b.order;
      },
      "span id");
  judge.Decide(
      FieldRole::kRequestId, [&](const KeyStats& k) { return PassesRequest(k, records); },
      [](const KeyStats& a, const KeyStats& b) {
        bool ha = a.name_role == FieldRole::kRequestId || HasHint(a.key, kRequestHints);
        bool hb = b.name_role == FieldRole::kRequestId || HasHint(b.key, kRequestHints);
        if (ha != hb) return ha;
        if (a.distinct() != b.distinct()) return a.distinct() > b.distinct();
        return a.order < b.order;
      },
      "request id");
  judge.Decide(
      FieldRole::kLevel, [&](const KeyStats& k) { return PassesLevel(k, records); }, named_first,
      "level");
  judge.Decide(
      FieldRole::kService,
      [&](const KeyStats& k) {
        return (k.name_role == FieldRole::kService || HasHint(k.key, kServiceHints)) &&
               PassesService(k, records);
      },
      named_first, "service");
  judge.ByNameOnly(FieldRole::kMessage, "message");
  judge.ByNameOnly(FieldRole::kHost, "host");

  if (out.found.empty()) return out;
  std::sort(out.found.begin(), out.found.end(),
            [](const InferredField& a, const InferredField& b) { return a.role < b.role; });
  out.names = std::make_unique<FieldNames>(*ctx.fields);
  for (const InferredField& f : out.found) out.names->Add(f.role, f.key);
  return out;
}

}  // namespace inquest
