#include "logs/message_fields.h"

#include <cstddef>
#include <string>

namespace inquest {
namespace {

// Keys longer than this are not keys (a URL query, a base64 blob with '=' padding).
constexpr size_t kMaxKeyChars = 64;

bool IsKeyStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsKeyChar(char c) { return IsKeyStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-'; }

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

FieldRole CorrelationRoleOfName(std::string_view key) {
  std::string k;
  k.reserve(key.size());
  for (char c : key) {
    if (c >= 'A' && c <= 'Z') k.push_back(static_cast<char>(c - 'A' + 'a'));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) k.push_back(c);
  }
  if (EndsWith(k, "requestid") || EndsWith(k, "reqid") || EndsWith(k, "correlationid"))
    return FieldRole::kRequestId;
  if (EndsWith(k, "traceid")) return FieldRole::kTraceId;
  if (EndsWith(k, "spanid") && !EndsWith(k, "parentspanid")) return FieldRole::kSpanId;
  return FieldRole::kNone;
}

void ReadMessageFields(std::string_view message, const FieldNames& names, Event* event) {
  size_t i = 0;
  const size_t n = message.size();
  while (i < n) {
    // The start of a token: at the message's start or after a space.
    while (i < n && (message[i] == ' ' || message[i] == '\t')) ++i;
    size_t start = i;
    if (i < n && IsKeyStart(message[i])) {
      size_t k = i;
      while (k < n && IsKeyChar(message[k])) ++k;
      if (k < n && message[k] == '=' && k - start <= kMaxKeyChars) {
        std::string_view key = message.substr(start, k - start);
        size_t v = k + 1;
        std::string_view value;
        if (v < n && message[v] == '"') {
          size_t close = message.find('"', v + 1);
          if (close == std::string_view::npos) return;  // an open quote: the rest is text
          value = message.substr(v + 1, close - v - 1);
          i = close + 1;
        } else {
          size_t end = v;
          while (end < n && message[end] != ' ' && message[end] != '\t') ++end;
          value = message.substr(v, end - v);
          i = end;
        }
        if (!value.empty()) {
          FieldRole role = names.RoleOf(key);
          if (role != FieldRole::kRequestId && role != FieldRole::kTraceId &&
              role != FieldRole::kSpanId)
            role = CorrelationRoleOfName(key);
          bool set = false;
          if ((role == FieldRole::kRequestId && event->request_id.empty()) ||
              (role == FieldRole::kTraceId && event->trace_id.empty()) ||
              (role == FieldRole::kSpanId && event->span_id.empty()))
            set = SetCorrelationId(role, value, event);
          if (!set) event->attrs.push_back({key, value});
        }
        continue;
      }
    }
    // Not a key=value token: skip it.
    while (i < n && message[i] != ' ' && message[i] != '\t') ++i;
    if (i == start) ++i;
  }
}

}  // namespace inquest
