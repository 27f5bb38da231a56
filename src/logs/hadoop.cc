// Hadoop YARN / MapReduce (log4j pattern "%d{ISO8601} %p [%t] %c: %m%n"):
//   2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: msg
#include "logs/formats.h"
#include "logs/log4j_line.h"

namespace inquest {
namespace {

class HadoopFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "hadoop"; }
  std::string_view description() const override {
    return "Hadoop: date time LEVEL [thread] logger: message";
  }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    TextScan sc(line);
    if (!Log4jTime(sc, ctx, event)) {
      *why = "no yyyy-MM-dd HH:mm:ss,SSS time at the start";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    event->level = Log4jLevel(sc);
    sc.SkipSpaces();
    std::string_view thread, logger;
    if (event->level == Level::kUnknown || !Bracketed(sc, &thread)) {
      *why = "no LEVEL [thread] after the time";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    logger = sc.Word();
    if (logger.size() < 2 || logger.back() != ':') {
      *why = "no 'logger:' after the thread";
      return LineKind::kMalformed;
    }
    event->attrs.push_back({"thread", thread});
    event->attrs.push_back({"logger", logger.substr(0, logger.size() - 1)});
    sc.SkipSpaces();
    event->message = sc.rest();
    return LineKind::kRecord;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewHadoopFormat() { return std::make_unique<HadoopFormat>(); }

}  // namespace inquest
