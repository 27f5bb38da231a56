// Which events a command keeps: the --since/--until/--service/--level/--grep/--grep-re flags of
// `timeline` and the --where clauses of `rate`, evaluated on one Event at a time.
//
//   EventFilter f;
//   f.min_level = Level::kWarn;
//   INQ_RETURN_IF_ERROR(f.AddWhere("status>=500"));
//   if (f.Matches(event)) ...
//
// A filter owns copies of its strings; it may be shared read-only by several threads.
#ifndef INQUEST_TIMELINE_EVENT_FILTER_H_
#define INQUEST_TIMELINE_EVENT_FILTER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "logs/event.h"

namespace re2 {
class RE2;
}

namespace inquest {

// The value of a named field of an event: the built-in names "service", "host", "level",
// "message", "request_id", "trace_id", "span_id" first, then the attributes. Empty when absent.
std::string_view EventField(const Event& e, std::string_view name);

// One --where clause: FIELD OP VALUE with OP one of = != >= <= > <.
struct WhereClause {
  enum class Op : uint8_t { kEq, kNe, kGe, kLe, kGt, kLt };
  std::string field;
  Op op = Op::kEq;
  std::string value;
  // Ordered comparisons: on levels when field is "level", numerically when both sides are
  // numbers, else as text.
  bool Matches(const Event& e) const;
};

// "status>=500", "level>=warn", "service!=nginx"; InvalidArgument with a hint otherwise.
Result<WhereClause> ParseWhere(std::string_view text);

struct EventFilter {
  TimePoint since = kNoTime;  // keep time >= since
  TimePoint until = kNoTime;  // keep time < until
  // Keep events whose service equals one of these (case-insensitive); empty: all services.
  std::vector<std::string> services;
  Level min_level = Level::kUnknown;  // kUnknown: every level, including unknown
  std::string grep;                   // literal substring of the raw record
  std::shared_ptr<const re2::RE2> grep_re;
  std::vector<WhereClause> where;

  Status SetGrepRegex(std::string_view pattern);
  Status AddWhere(std::string_view text);
  bool Matches(const Event& e) const;
  bool empty() const;
};

}  // namespace inquest

#endif  // INQUEST_TIMELINE_EVENT_FILTER_H_
