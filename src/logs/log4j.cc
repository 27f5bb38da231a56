// log4j / logback / python-logging style lines:
//   2026-05-29 14:11:08,114 ERROR [http-nio-8080-exec-7] com.shop.PricingClient - pool exhausted
//   2026-05-29 14:11:08.114 [main] WARN  c.s.CacheLoader - slow origin fetch     (logback)
//   2026-05-29 14:11:08,114 INFO com.shop.App - started                         (no thread)
// The logger may end with ':' instead of being followed by " - ". Stack traces below a record
// are folded into it by LogReader.
#include "logs/formats.h"
#include "logs/log4j_line.h"

namespace inquest {
namespace {

class Log4jFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "log4j"; }
  std::string_view description() const override {
    return "log4j/logback: date time LEVEL [thread] logger - message";
  }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    TextScan sc(line);
    if (!Log4jTime(sc, ctx, event)) {
      *why = "no yyyy-MM-dd HH:mm:ss,SSS time at the start";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    std::string_view thread;
    bool has_thread = Bracketed(sc, &thread);  // logback: thread before level
    sc.SkipSpaces();
    event->level = Log4jLevel(sc);
    if (event->level == Level::kUnknown) {
      *why = "no level after the time";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    if (!has_thread) {
      has_thread = Bracketed(sc, &thread);
      sc.SkipSpaces();
    }
    std::string_view logger = sc.Word();
    if (logger.empty()) {
      *why = "no logger after the level";
      return LineKind::kMalformed;
    }
    if (logger.size() > 1 && logger.back() == ':') {
      logger.remove_suffix(1);
    } else {
      sc.SkipSpaces();
      if (!sc.Consume('-')) {
        *why = "no ' - ' between the logger and the message";
        return LineKind::kMalformed;
      }
    }
    if (has_thread) event->attrs.push_back({"thread", thread});
    event->attrs.push_back({"logger", logger});
    sc.SkipSpaces();
    event->message = sc.rest();
    return LineKind::kRecord;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewLog4jFormat() { return std::make_unique<Log4jFormat>(); }

}  // namespace inquest
