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

class Log4jFormat final : public Log4jFamilyFormat {
 public:
  Log4jFormat()
      : Log4jFamilyFormat("log4j", "log4j/logback: date time LEVEL [thread] logger - message") {}

 protected:
  bool ParseHeader(TextScan& sc, Event* event, std::string* why) const override {
    std::string_view thread;
    bool has_thread = Bracketed(sc, &thread);  // logback: thread before level
    sc.SkipSpaces();
    event->level = Log4jLevel(sc);
    if (event->level == Level::kUnknown) {
      *why = "no level after the time";
      return false;
    }
    sc.SkipSpaces();
    if (!has_thread) {
      has_thread = Bracketed(sc, &thread);
      sc.SkipSpaces();
    }
    std::string_view logger = sc.Word();
    if (logger.empty()) {
      *why = "no logger after the level";
      return false;
    }
    if (logger.size() > 1 && logger.back() == ':') {
      logger.remove_suffix(1);
    } else {
      sc.SkipSpaces();
      if (!sc.Consume('-')) {
        *why = "no ' - ' between the logger and the message";
        return false;
      }
    }
    if (has_thread) event->attrs.push_back({"thread", thread});
    event->attrs.push_back({"logger", logger});
    return true;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewLog4jFormat() { return std::make_unique<Log4jFormat>(); }

}  // namespace inquest
