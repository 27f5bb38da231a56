// Grouping of the stack traces found in log records by signature.
#include "timeline/exception_groups.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "timeline/window_counter.h"

namespace inquest {
namespace {

// Fields that name an exception's type when its trace does not (ECS, OpenTelemetry, common
// logger layouts). A hint only: the trace's own header wins.
constexpr std::string_view kTypeFields[] = {
    "exception.type", "error.type", "error.kind", "exception.class", "exception_class",
    "exc_type",       "error_type", "exception",  "error.class",
};
// Fields that carry the exception's message when the trace does not.
constexpr std::string_view kMessageFields[] = {"exception.message", "error.message", "error",
                                               "err"};

bool HasNewline(std::string_view s) { return memchr(s.data(), '\n', s.size()) != nullptr; }

std::string_view FirstOf(const Event& e, const std::string_view* names, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    std::string_view v = e.Attribute(names[i]);
    if (!v.empty() && !HasNewline(v)) return v;
  }
  return {};
}

}  // namespace

std::string_view ExceptionEraName(ExceptionEra e) {
  switch (e) {
    case ExceptionEra::kNew:
      return "new";
    case ExceptionEra::kOld:
      return "before-onset";
    case ExceptionEra::kLater:
      return "after-recovery";
    case ExceptionEra::kNoOnset:
      break;
  }
  return "no-onset";
}

std::optional<ExceptionSignature> ExceptionOf(const Event& e, std::string* field) {
  // Only records that can hold a trace are parsed: folded lines or a multi-line field.
  bool candidate = e.extra_lines > 0;
  for (size_t i = 0; !candidate && i < e.attrs.size(); ++i)
    candidate = HasNewline(e.attrs[i].value);
  if (!candidate) return std::nullopt;
  std::string_view type_hint = FirstOf(e, kTypeFields, std::size(kTypeFields));
  std::string_view message_hint = FirstOf(e, kMessageFields, std::size(kMessageFields));
  if (message_hint.empty()) message_hint = e.message;
  if (e.extra_lines > 0) {
    if (auto s = ParseStackTrace(e.raw, type_hint, message_hint)) {
      if (field) field->clear();
      return s;
    }
  }
  for (const Attr& a : e.attrs) {
    if (a.value.size() < 8 || !HasNewline(a.value) || !LooksLikeStackTrace(a.value)) continue;
    if (auto s = ParseStackTrace(a.value, type_hint, message_hint)) {
      if (field) *field = std::string(a.key);
      return s;
    }
  }
  return std::nullopt;
}

void ExceptionGrouper::Add(const Event& e) {
  std::optional<ExceptionSignature> sig = ExceptionOf(e, &field_);
  if (!sig) return;
  ++scan_.traces;
  auto it = index_.find(sig->key);
  if (it == index_.end()) {
    if (scan_.groups.size() >= kMaxExceptionGroups) {
      ++scan_.dropped;
      return;
    }
    it = index_.emplace(sig->key, scan_.groups.size()).first;
    scan_.groups.emplace_back();
    scan_.groups.back().signature = std::move(*sig);
    scan_.groups.back().field = field_;
  }
  ExceptionGroup& g = scan_.groups[it->second];
  ++g.count;
  if (!g.first || e.time < g.first->time) g.first = &e;
  if (!g.last || e.time >= g.last->time) g.last = &e;
  if (e.time != kNoTime) ++g.per_window[WindowIndex(e.time, width_ns_) * width_ns_];
  if (!e.service.empty() && g.services.size() < 8 &&
      std::find(g.services.begin(), g.services.end(), e.service) == g.services.end())
    g.services.emplace_back(e.service);
}

ExceptionScan GroupExceptions(const std::vector<const Event*>& events, int64_t width_ns) {
  ExceptionGrouper grouper(width_ns);
  for (const Event* e : events) grouper.Add(*e);
  return grouper.Take();
}

void RankExceptionGroups(std::vector<ExceptionGroup>* groups, TimePoint onset, TimePoint recovery) {
  for (ExceptionGroup& g : *groups) {
    g.peak_window = 0;
    for (const auto& [w, n] : g.per_window) g.peak_window = std::max(g.peak_window, n);
    g.before_onset = 0;
    TimePoint first = g.first ? g.first->time : kNoTime;
    if (onset == kNoTime || first == kNoTime) {
      g.era = ExceptionEra::kNoOnset;
      continue;
    }
    const TimePoint cut = onset - kExceptionOnsetLeadNs;
    for (const auto& [w, n] : g.per_window)
      if (w < cut) g.before_onset += n;
    if (first < cut)
      g.era = ExceptionEra::kOld;
    else if (recovery != kNoTime && first >= recovery)
      g.era = ExceptionEra::kLater;
    else
      g.era = ExceptionEra::kNew;
  }
  auto era_rank = [](ExceptionEra e) {
    switch (e) {
      case ExceptionEra::kNew:
        return 0;
      case ExceptionEra::kNoOnset:
        return 1;
      case ExceptionEra::kOld:
        return 2;
      case ExceptionEra::kLater:
        return 3;
    }
    return 4;
  };
  std::stable_sort(groups->begin(), groups->end(),
                   [&](const ExceptionGroup& a, const ExceptionGroup& b) {
                     int ea = era_rank(a.era), eb = era_rank(b.era);
                     if (ea != eb) return ea < eb;
                     if (a.era == ExceptionEra::kNew && a.first->time != b.first->time)
                       return a.first->time < b.first->time;
                     return a.count > b.count;
                   });
}

}  // namespace inquest
