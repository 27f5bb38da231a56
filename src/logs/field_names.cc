#include "logs/field_names.h"

#include <algorithm>
#include <atomic>
#include <utility>

namespace inquest {
namespace {

struct Default {
  FieldRole role;
  const char* key;
};

// Order within a role is priority: the first present in a record wins.
constexpr Default kDefaults[] = {
    {FieldRole::kTime, "ts"},
    {FieldRole::kTime, "time"},
    {FieldRole::kTime, "timestamp"},
    {FieldRole::kTime, "@timestamp"},
    {FieldRole::kTime, "t"},
    {FieldRole::kTime, "date"},
    {FieldRole::kTime, "datetime"},
    {FieldRole::kTime, "eventTime"},
    {FieldRole::kTime, "asctime"},
    {FieldRole::kTime, "timeUnixNano"},
    {FieldRole::kTime, "observedTimeUnixNano"},
    {FieldRole::kLevel, "level"},
    {FieldRole::kLevel, "severity"},
    {FieldRole::kLevel, "lvl"},
    {FieldRole::kLevel, "loglevel"},
    {FieldRole::kLevel, "log.level"},
    {FieldRole::kLevel, "levelname"},
    {FieldRole::kLevel, "severityText"},
    {FieldRole::kLevel, "status_level"},
    {FieldRole::kLevel, "severity_text"},
    {FieldRole::kMessage, "msg"},
    {FieldRole::kMessage, "message"},
    {FieldRole::kMessage, "event"},
    {FieldRole::kMessage, "log"},
    {FieldRole::kMessage, "body"},
    {FieldRole::kMessage, "text"},
    {FieldRole::kService, "service"},
    {FieldRole::kService, "svc"},
    {FieldRole::kService, "service.name"},
    {FieldRole::kService, "service_name"},
    {FieldRole::kService, "resource.service.name"},
    {FieldRole::kService, "app"},
    {FieldRole::kService, "application"},
    {FieldRole::kService, "component"},
    {FieldRole::kService, "logger"},
    {FieldRole::kHost, "host"},
    {FieldRole::kHost, "hostname"},
    {FieldRole::kHost, "host.name"},
    {FieldRole::kHost, "pod"},
    {FieldRole::kHost, "instance"},
    {FieldRole::kHost, "node"},
    {FieldRole::kRequestId, "request_id"},
    {FieldRole::kRequestId, "req_id"},
    {FieldRole::kRequestId, "requestId"},
    {FieldRole::kRequestId, "request.id"},
    {FieldRole::kRequestId, "rid"},
    {FieldRole::kRequestId, "correlation_id"},
    {FieldRole::kRequestId, "correlationId"},
    {FieldRole::kRequestId, "x_request_id"},
    {FieldRole::kRequestId, "http.request_id"},
    {FieldRole::kRequestId, "http.request.id"},
    {FieldRole::kTraceId, "trace_id"},
    {FieldRole::kTraceId, "traceId"},
    {FieldRole::kTraceId, "trace.id"},
    {FieldRole::kTraceId, "traceid"},
    {FieldRole::kTraceId, "dd.trace_id"},
    {FieldRole::kSpanId, "span_id"},
    {FieldRole::kSpanId, "spanId"},
    {FieldRole::kSpanId, "span.id"},
    {FieldRole::kSpanId, "dd.span_id"},
    // ECS: the APM transaction is the service's entry span.
    {FieldRole::kSpanId, "transaction.id"},
};

}  // namespace

FieldNames::FieldNames() {
  int prio = 100;
  for (const Default& d : kDefaults) {
    keys_.Add(d.key);
    entries_.push_back({d.role, prio++, true});
  }
}

uint64_t FieldNames::Id::Next() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

FieldNames FieldNames::Projected(const KeyIndex& attributes, KeyTest also) const {
  FieldNames out = *this;  // a new id
  out.unlisted_wanted_ = false;
  out.also_wanted_ = also;
  for (Lookup& e : out.entries_) e.wanted = false;
  for (size_t i = 0; i < attributes.size(); ++i) {
    int k = out.keys_.Add(attributes.key(static_cast<int>(i)));
    if (static_cast<size_t>(k) == out.entries_.size()) out.entries_.push_back({});
    out.entries_[static_cast<size_t>(k)].wanted = true;
  }
  return out;
}

FieldNames FieldNames::Empty() {
  FieldNames names;
  names.keys_.Clear();
  names.entries_.clear();
  names.id_ = Id();
  return names;
}

std::vector<std::pair<std::string_view, FieldRole>> FieldNames::Entries() const {
  std::vector<std::pair<std::string_view, FieldRole>> out;
  for (size_t i = 0; i < entries_.size(); ++i)
    out.emplace_back(keys_.key(static_cast<int>(i)), entries_[i].role);
  return out;
}

void FieldNames::Add(FieldRole role, std::string key) {
  id_ = Id();
  if (int i = keys_.Find(key); i >= 0) {
    entries_[static_cast<size_t>(i)] = {role, 0, true};
    return;
  }
  int prio = static_cast<int>(entries_.size()) - 1000;
  keys_.Add(key);
  entries_.push_back({role, prio, true});
}

std::vector<std::string_view> FieldNames::KeysFor(FieldRole role) const {
  std::vector<std::pair<int, std::string_view>> keys;
  for (size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i].role == role)
      keys.emplace_back(entries_[i].priority, keys_.key(static_cast<int>(i)));
  std::sort(keys.begin(), keys.end());
  std::vector<std::string_view> out;
  for (auto& [p, k] : keys) out.push_back(k);
  return out;
}

const FieldNames& DefaultFieldNames() {
  static const FieldNames kNames;
  return kNames;
}

namespace {

constexpr std::pair<FieldRole, std::string_view> kRoleNames[] = {
    {FieldRole::kTime, "time"},        {FieldRole::kLevel, "level"},
    {FieldRole::kMessage, "message"},  {FieldRole::kService, "service"},
    {FieldRole::kHost, "host"},        {FieldRole::kRequestId, "request_id"},
    {FieldRole::kTraceId, "trace_id"}, {FieldRole::kSpanId, "span_id"},
};

}  // namespace

std::string_view FieldRoleName(FieldRole role) {
  for (const auto& [r, name] : kRoleNames)
    if (r == role) return name;
  return {};
}

FieldRole FieldRoleNamed(std::string_view name) {
  for (const auto& [r, n] : kRoleNames)
    if (n == name) return r;
  return FieldRole::kNone;
}

bool SetCorrelationId(FieldRole role, std::string_view value, Event* event) {
  switch (role) {
    case FieldRole::kRequestId:
      event->request_id = value;
      return true;
    case FieldRole::kTraceId:
      event->trace_id = value;
      return true;
    case FieldRole::kSpanId:
      event->span_id = value;
      return true;
    default:
      return false;
  }
}

bool SetTextField(FieldRole role, std::string_view value, Event* event) {
  switch (role) {
    case FieldRole::kMessage:
      event->message = value;
      return true;
    case FieldRole::kService:
      event->service = value;
      return true;
    case FieldRole::kHost:
      event->host = value;
      return true;
    default:
      return SetCorrelationId(role, value, event);
  }
}

}  // namespace inquest
