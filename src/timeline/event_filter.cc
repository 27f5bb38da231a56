#include "timeline/event_filter.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <cstring>

#include "base/find.h"
#include "base/strings.h"

namespace inquest {

std::string_view EventField(const Event& e, std::string_view name) {
  if (name == "service") return e.service;
  if (name == "host") return e.host;
  if (name == "level") return LevelName(e.level);
  if (name == "message" || name == "msg") return e.message;
  if (name == "request_id") return e.request_id;
  if (name == "trace_id") return e.trace_id;
  if (name == "span_id") return e.span_id;
  if (name == "role") return RecordRoleName(e.role);
  if (name == "kind") return e.kind;
  return e.Attribute(name);
}

namespace {

template <typename T>
bool Compare(const T& a, const T& b, WhereClause::Op op) {
  switch (op) {
    case WhereClause::Op::kEq:
      return a == b;
    case WhereClause::Op::kNe:
      return !(a == b);
    case WhereClause::Op::kGe:
      return !(a < b);
    case WhereClause::Op::kLe:
      return !(b < a);
    case WhereClause::Op::kGt:
      return b < a;
    case WhereClause::Op::kLt:
      return a < b;
  }
  return false;
}

}  // namespace

bool WhereClause::Matches(const Event& e) const {
  if (field == "level") {
    Level want = ParseLevel(value);
    return Compare(static_cast<int>(e.level), static_cast<int>(want), op);
  }
  std::string_view have = EventField(e, field);
  if (op == Op::kEq || op == Op::kNe) {
    // Equality on text; numbers written differently ("500" vs "500.0") still compare equal.
    if (have == value) return op == Op::kEq;
    std::optional<double> a = ParseDouble(have), b = ParseDouble(value);
    if (a && b) return Compare(*a, *b, op);
    return op == Op::kNe;
  }
  if (have.empty()) return false;  // an absent field is neither above nor below anything
  std::optional<double> a = ParseDouble(have), b = ParseDouble(value);
  if (a && b) return Compare(*a, *b, op);
  return Compare(have, std::string_view(value), op);
}

Result<WhereClause> ParseWhere(std::string_view text) {
  // The operator starts at the first of ! < > = in the text.
  size_t at = text.find_first_of("!<>=");
  if (at == std::string_view::npos || at == 0)
    return Status::InvalidArgument(fmt::format(
        "cannot read --where '{}' (use field=value, field!=value, field>=number or level>=warn)",
        text));
  char c = text[at];
  bool eq_next = at + 1 < text.size() && text[at + 1] == '=';
  WhereClause::Op op;
  size_t len = eq_next ? 2 : 1;
  switch (c) {
    case '!':
      if (!eq_next) return Status::InvalidArgument(fmt::format("cannot read --where '{}'", text));
      op = WhereClause::Op::kNe;
      break;
    case '<':
      op = eq_next ? WhereClause::Op::kLe : WhereClause::Op::kLt;
      break;
    case '>':
      op = eq_next ? WhereClause::Op::kGe : WhereClause::Op::kGt;
      break;
    default:
      op = WhereClause::Op::kEq;
      break;
  }
  WhereClause w;
  w.field = std::string(TrimSpace(text.substr(0, at)));
  w.op = op;
  w.value = std::string(TrimSpace(text.substr(at + len)));
  if (w.field.empty())
    return Status::InvalidArgument(fmt::format("--where '{}' names no field", text));
  if (w.field == "level" && ParseLevel(w.value) == Level::kUnknown)
    return Status::InvalidArgument(fmt::format(
        "unknown level '{}' in --where (trace, debug, info, notice, warn, error, fatal)", w.value));
  return w;
}

Status EventFilter::SetGrepRegex(std::string_view pattern) {
  RE2::Options o;
  o.set_log_errors(false);
  auto re = std::make_shared<RE2>(re2::StringPiece(pattern.data(), pattern.size()), o);
  if (!re->ok())
    return Status::InvalidArgument(fmt::format("bad --grep-re '{}': {}", pattern, re->error()));
  grep_re = std::move(re);
  return Status::Ok();
}

Status EventFilter::AddWhere(std::string_view text) {
  INQ_ASSIGN_OR_RETURN(WhereClause w, ParseWhere(text));
  where.push_back(std::move(w));
  return Status::Ok();
}

bool EventFilter::Matches(const Event& e) const {
  if (since != kNoTime && (e.time == kNoTime || e.time < since)) return false;
  if (until != kNoTime && (e.time == kNoTime || e.time >= until)) return false;
  if (min_level != Level::kUnknown && e.level < min_level) return false;
  if (!services.empty()) {
    bool any = false;
    for (const std::string& s : services) {
      if (EqualsIgnoreCase(e.service, s)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  if (!grep.empty()) {
    std::string_view raw = e.raw.empty() ? e.message : e.raw;
    if (raw.size() < grep.size() || FindSubstring(raw, grep) == nullptr) return false;
  }
  if (grep_re) {
    std::string_view raw = e.raw.empty() ? e.message : e.raw;
    if (!RE2::PartialMatch(re2::StringPiece(raw.data(), raw.size()), *grep_re)) return false;
  }
  for (const WhereClause& w : where)
    if (!w.Matches(e)) return false;
  return true;
}

bool EventFilter::empty() const {
  return since == kNoTime && until == kNoTime && services.empty() && min_level == Level::kUnknown &&
         grep.empty() && !grep_re && where.empty();
}

}  // namespace inquest
