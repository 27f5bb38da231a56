#include "timeline/detectors/detector.h"

#include <fmt/format.h>

#include <array>

#include "base/output.h"
#include "base/strings.h"
#include "logs/path_service.h"
#include "timeline/event_filter.h"
#include "timeline/rate.h"

namespace inquest {
namespace {

// Fields whose value is the text of an error, read with the message by MessageHasAny.
constexpr std::string_view kErrorTextKeys[] = {"error",  "err",   "error_message", "errmsg",
                                               "reason", "cause", "exception",     "failure",
                                               "fault",  "detail"};

}  // namespace

namespace {

// Whether `part` is one of kErrorTextKeys, ignoring case. Called for every attribute of every
// record by the first pass, so most parts are rejected by their first letter alone.
bool IsErrorTextWord(std::string_view part) {
  static const std::array<bool, 256> kFirst = [] {
    std::array<bool, 256> t{};
    for (std::string_view k : kErrorTextKeys) t[static_cast<unsigned char>(k[0] | 0x20)] = true;
    return t;
  }();
  if (part.empty() || !kFirst[static_cast<unsigned char>(part[0] | 0x20)]) return false;
  for (std::string_view k : kErrorTextKeys)
    if (k.size() == part.size() && EqualsIgnoreCase(part, k)) return true;
  return false;
}

}  // namespace

bool IsErrorTextKey(std::string_view key) {
  // The last part of a dotted name: "error.message", "exception.type".
  size_t dot = key.rfind('.');
  if (dot == std::string_view::npos) return IsErrorTextWord(key);
  return IsErrorTextWord(key.substr(dot + 1)) || IsErrorTextWord(key.substr(0, key.find('.')));
}

std::string_view SignalKindName(Signal::Kind k) {
  switch (k) {
    case Signal::Kind::kAlert:
      return "alert";
    case Signal::Kind::kPage:
      return "page";
    case Signal::Kind::kTicket:
      return "ticket";
    case Signal::Kind::kChat:
      return "chat";
  }
  return "alert";
}

std::string SourceOf(const DetectorInput& in, const Event& e) {
  std::string_view file = e.file < in.files.size() ? std::string_view(in.files[e.file]) : "?";
  return fmt::format("{}:{}", file, e.line);
}

std::string Excerpt(std::string_view text) {
  size_t nl = text.find('\n');
  if (nl != std::string_view::npos) text = text.substr(0, nl);
  text = TrimSpace(text);
  std::string red = RedactBeforeCut(text);
  std::string safe = SanitizeForTerminal(red);
  if (safe.size() <= kMaxExcerptChars) return safe;
  size_t cut = kMaxExcerptChars;
  while (cut > 0 && (static_cast<unsigned char>(safe[cut]) & 0xC0) == 0x80) --cut;
  return safe.substr(0, cut) + "\xE2\x80\xA6";
}

Finding NewFinding(std::string_view kind, Severity severity, std::string_view service,
                   std::string_view subject, TimePoint time, TimePoint end) {
  Finding f;
  f.kind = kind;
  f.severity = severity;
  f.service = service;
  f.subject = subject;
  f.time = time;
  f.end = end;
  return f;
}

EvidenceRef EvidenceFor(const DetectorInput& in, const Event& e) {
  return EvidenceRef{SourceOf(in, e), Excerpt(e.raw.empty() ? e.message : e.raw)};
}

std::string_view FieldValue(const Event& e, std::string_view name) {
  std::string_view v = EventField(e, name);
  if (!v.empty()) return v;
  // A nested key: "labels.pool", "attributes.waited_ms", "fields.queue".
  for (const Attr& a : e.attrs)
    if (a.key.size() > name.size() && a.key[a.key.size() - name.size() - 1] == '.' &&
        a.key.ends_with(name))
      return a.value;
  std::string_view text = e.message;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t at = text.find(name, pos);
    if (at == std::string_view::npos) return {};
    pos = at + 1;
    if (at > 0) {
      char b = text[at - 1];
      if (b != ' ' && b != ',' && b != '(' && b != '[' && b != '{' && b != ';' && b != '"')
        continue;
    }
    size_t s = at + name.size();
    if (s < text.size() && text[s] == '"') ++s;  // "key": value in embedded JSON
    if (s >= text.size() || (text[s] != '=' && text[s] != ':')) continue;
    ++s;
    while (s < text.size() && text[s] == ' ') ++s;
    if (s >= text.size()) return {};
    if (text[s] == '"' || text[s] == '\'') {
      char q = text[s];
      size_t e2 = text.find(q, s + 1);
      if (e2 == std::string_view::npos) e2 = text.size();
      return text.substr(s + 1, e2 - s - 1);
    }
    size_t e2 = s;
    while (e2 < text.size() && text[e2] != ' ' && text[e2] != ',' && text[e2] != ';' &&
           text[e2] != ')' && text[e2] != ']' && text[e2] != '}' && text[e2] != '"')
      ++e2;
    return text.substr(s, e2 - s);
  }
  return {};
}

std::string_view FirstField(const Event& e, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    std::string_view v = FieldValue(e, n);
    if (!v.empty()) return v;
  }
  return {};
}

bool ContainsIgnoreCase(std::string_view text, std::string_view word) {
  if (word.empty()) return true;
  if (text.size() < word.size()) return false;
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
  for (size_t i = 0; i + word.size() <= text.size(); ++i) {
    if (lower(text[i]) != lower(word[0])) continue;
    size_t k = 1;
    while (k < word.size() && lower(text[i + k]) == lower(word[k])) ++k;
    if (k == word.size()) return true;
  }
  return false;
}

void ScanMessage(const Event& e, const WordSet& words, WordSet::Found* found) {
  words.Scan(e.message.empty() ? e.raw : e.message, found);
  // "request failed" with error="acquire connection timed out": the error field says it.
  for (const auto& [key, value] : e.attrs)
    if (IsErrorTextKey(key)) words.Scan(value, found);
}

bool MessageHasAny(const Event& e, const WordSet& words) {
  if (words.HoldsAny(e.message.empty() ? e.raw : e.message)) return true;
  for (const auto& [key, value] : e.attrs)
    if (IsErrorTextKey(key) && words.HoldsAny(value)) return true;
  return false;
}

std::string ServiceOf(const DetectorInput& in, const Event& e) {
  if (!e.service.empty()) return std::string(e.service);
  if (e.file < in.files.size()) return ServiceFromPath(in.files[e.file]);
  return {};
}

bool FieldMs(std::string_view value, double* ms) {
  if (value.empty()) return false;
  return ParseDurationMs(value, 1, ms);
}

}  // namespace inquest
