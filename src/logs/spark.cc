// Apache Spark (log4j 1 default pattern "%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m"):
//   17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers
#include "logs/formats.h"
#include "logs/text_scan.h"

namespace inquest {
namespace {

class SparkFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "spark"; }
  std::string_view description() const override {
    return "Spark: yy/MM/dd HH:mm:ss LEVEL logger: message";
  }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    TextScan sc(line);
    if (!sc.Time(
            [&](std::string_view s, ParsedTime* pt) { return ParseSlashYyMmDd(s, ctx.time, pt); },
            event)) {
      *why = "no yy/MM/dd HH:mm:ss time at the start";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    event->level = ParseLevel(sc.Word());
    sc.SkipSpaces();
    std::string_view logger;
    if (event->level == Level::kUnknown || !sc.Until(':', &logger) ||
        logger.find(' ') != std::string_view::npos) {
      *why = "no LEVEL logger: after the time";
      return LineKind::kMalformed;
    }
    event->attrs.push_back({"logger", logger});
    sc.SkipSpaces();
    event->message = sc.rest();
    return LineKind::kRecord;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewSparkFormat() { return std::make_unique<SparkFormat>(); }

}  // namespace inquest
