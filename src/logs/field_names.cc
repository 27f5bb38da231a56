#include "logs/field_names.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace inquest {
namespace {

// The first and last (up to) 8 bytes of a key as two words: for keys of at most 16 bytes they
// hold every byte, so equal lengths and equal words mean equal keys.
inline void KeyWords(std::string_view s, uint64_t* head, uint64_t* tail) {
  size_t n = s.size();
  const char* p = s.data();
  if (n >= 8) {
    memcpy(head, p, 8);
    memcpy(tail, p + n - 8, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    memcpy(&a, p, 4);
    memcpy(&b, p + n - 4, 4);
    *head = a;
    *tail = b;
  } else {
    *head = n == 0 ? 0
                   : static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[n / 2]) << 8 |
                         static_cast<unsigned char>(p[n - 1]) << 16;
    *tail = 0;
  }
}

inline uint64_t Hash(uint64_t head, uint64_t tail, size_t n) {
  uint64_t h = head * 0x9E3779B97F4A7C15ULL ^ (tail + n) * 0xC2B2AE3D27D4EB4FULL;
  return h ^ (h >> 29);
}

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
  for (const Default& d : kDefaults) entries_.push_back({d.key, d.role, prio++});
  Rebuild();
}

FieldNames FieldNames::Empty() {
  FieldNames names;
  names.entries_.clear();
  names.Rebuild();
  return names;
}

std::vector<std::pair<std::string_view, FieldRole>> FieldNames::Entries() const {
  std::vector<std::pair<std::string_view, FieldRole>> out;
  for (const Slot& s : entries_) out.emplace_back(s.key, s.role);
  return out;
}

void FieldNames::Add(FieldRole role, std::string key) {
  for (Slot& s : entries_) {
    if (s.key == key) {
      s.role = role;
      s.priority = 0;
      Rebuild();
      return;
    }
  }
  entries_.push_back({std::move(key), role, static_cast<int>(entries_.size()) - 1000});
  Rebuild();
}

void FieldNames::Rebuild() {
  size_t cap = 16;
  while (cap < entries_.size() * 4) cap *= 2;
  table_.assign(cap, -1);
  for (size_t i = 0; i < entries_.size(); ++i) {
    Slot& s = entries_[i];
    KeyWords(s.key, &s.head, &s.tail);
    size_t h = Hash(s.head, s.tail, s.key.size()) & (cap - 1);
    while (table_[h] >= 0) h = (h + 1) & (cap - 1);
    table_[h] = static_cast<int32_t>(i);
  }
}

FieldNames::Lookup FieldNames::Find(std::string_view key) const {
  uint64_t head, tail;
  KeyWords(key, &head, &tail);
  size_t mask = table_.size() - 1;
  for (size_t h = Hash(head, tail, key.size()) & mask;; h = (h + 1) & mask) {
    int32_t i = table_[h];
    if (i < 0) return {};
    const Slot& s = entries_[i];
    if (s.head == head && s.tail == tail && s.key.size() == key.size() &&
        (key.size() <= 16 || s.key == key))
      return {s.role, s.priority};
  }
}

std::vector<std::string_view> FieldNames::KeysFor(FieldRole role) const {
  std::vector<std::pair<int, std::string_view>> keys;
  for (const Slot& s : entries_)
    if (s.role == role) keys.emplace_back(s.priority, s.key);
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
