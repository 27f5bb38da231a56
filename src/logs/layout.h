// Layouts inferred from a file's first lines, for line-oriented logs no registered format reads:
// where the time sits and how it is written, which whitespace-separated columns around it hold
// the level, host, component and pid, and where the message starts. Nothing here knows a log
// family; columns are told apart by what their values look like across lines.
//
//   Result<InferredLayout> l = InferLayout(HeadLines(data, kProbeLines), ctx.time);
//   if (l.ok()) registry_owned = NewInferredFormat(*std::move(l));   // a LogFormat
//   else        Report(l.status());        // "no layout: best candidate ... in 3 of 64 lines"
#ifndef INQUEST_LOGS_LAYOUT_H_
#define INQUEST_LOGS_LAYOUT_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "logs/format.h"
#include "logs/time_pattern.h"

namespace inquest {

enum class ColumnKind : uint8_t {
  kSkip,       // a field before the time with no role found (kept in no event field)
  kSeparator,  // the same punctuation on every line ("-", "|")
  kTime,       // the record's time
  kOtherTime,  // a second written time (the local time beside an epoch)
  kLevel,      // "INFO", "[warn]", "E", "<error>", "level=debug"
  kPid,        // "1234", "[1234]", "pid=1234"
  kHost,       // a plain name followed by a component, pid or level column
  kComponent,  // "dfs.DataNode$PacketResponder:", "[main]", "nova.compute.manager", "sshd[12]:"
};

struct LayoutColumn {
  ColumnKind kind = ColumnKind::kSkip;
  std::string literal;     // kSeparator: the text
  bool bracketed = false;  // most examples enclose the field in brackets
};

// Below this share of example lines a column (or a time position) is not consistent enough to
// be part of the layout: one line in ten may differ (a record that lacks its component).
inline constexpr double kColumnShare = 0.9;

struct InferredLayout {
  // In line order; exactly one kTime. Columns before kTime must be present on every record;
  // columns after it are read until one does not fit, and the message starts there.
  std::vector<LayoutColumn> columns;
  // The byte between columns ('|', ';'), or 0 for whitespace. A delimited layout has a fixed
  // number of columns; the message is the rest of the line after the last one.
  char delimiter = 0;
  TimePattern time;
  size_t time_lead = 0;     // bytes before the time in its field ("[" of "[Sun Dec 04 ...]")
  char time_close = 0;      // the byte closing a bracketed time, or 0
  bool level_lead = false;  // the lead is a one-letter level ("I0105 12:34:56.789" of glog)
  std::optional<TimePattern> other_time;  // the pattern of a kOtherTime column
  size_t other_lead = 0;                  // bytes before it in its field
  // The zone offset a written local time implies against an epoch on the same lines; absent
  // when their gap is no zone's offset (over 14:30 hours).
  std::optional<int64_t> implied_offset_s;
  size_t lines_probed = 0;
  size_t lines_fit = 0;  // example lines whose time sat where the layout says
  std::string notes;     // ambiguities, for `inquest detect`

  // One line for people: "[time %Y-%m-%d %H:%M:%S,%f] level [component] component: message".
  std::string Describe() const;
  // Whether the layout reads anything beyond the time and message.
  bool has_columns() const;
};

// Infers a layout from example lines (continuation-looking lines are left out). A delimiter from
// kLayoutDelimiters that splits nearly every line into at least three fields, with the time in
// one of them, is tried first; whitespace columns otherwise. InvalidArgument naming the best
// candidate and its share when no time position holds on at least half of the lines.
Result<InferredLayout> InferLayout(std::span<const std::string_view> lines, const TimeContext& ctx);

// The layout as a LogFormat named "inferred". Lines whose time is not where the layout says are
// kMalformed with a reason (LogReader counts and reports them with their line).
std::unique_ptr<LogFormat> NewInferredFormat(InferredLayout layout);

// The layout as an inquest.toml [formats.NAME] section (logs/user_format.h) that reads the same
// records; lines starting with '#' say what the syntax cannot express.
std::string LayoutAsUserFormat(const InferredLayout& layout, std::string_view name);

// Splits a line into whitespace-separated fields, keeping a bracketed field ("[a b]", "(x y)")
// whole even when it holds spaces. Views into `line`.
std::vector<std::string_view> SplitFields(std::string_view line);

}  // namespace inquest

#endif  // INQUEST_LOGS_LAYOUT_H_
