// Hadoop HDFS daemon logs (Loghub HDFS): 081109 203615 148 INFO dfs.DataNode$PacketResponder: msg
//   yyMMdd HHmmss, thread id, level, component, ':' and the message.
#include "logs/formats.h"
#include "logs/text_scan.h"

namespace inquest {
namespace {

class HdfsFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "hdfs"; }
  std::string_view description() const override {
    return "HDFS: yyMMdd HHmmss thread LEVEL component: message";
  }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    TextScan sc(line);
    if (!sc.Time(
            [&](std::string_view s, ParsedTime* pt) { return ParseCompactYyMmDd(s, ctx.time, pt); },
            event)) {
      *why = "no yyMMdd HHmmss time at the start";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    std::string_view thread = sc.Word();
    if (thread.empty() || thread.find_first_not_of("0123456789") != std::string_view::npos) {
      *why = "no thread id after the time";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    event->level = ParseLevel(sc.Word());
    sc.SkipSpaces();
    std::string_view component;
    if (event->level == Level::kUnknown || !sc.Until(": ", &component) ||
        component.find(' ') != std::string_view::npos) {
      *why = "no LEVEL component: after the thread id";
      return LineKind::kMalformed;
    }
    event->attrs.push_back({"component", component});
    event->attrs.push_back({"thread", thread});
    event->message = sc.rest();
    return LineKind::kRecord;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewHdfsFormat() { return std::make_unique<HdfsFormat>(); }

}  // namespace inquest
