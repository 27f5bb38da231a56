// Hadoop YARN / MapReduce (log4j pattern "%d{ISO8601} %p [%t] %c: %m%n"):
//   2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: msg
#include "logs/formats.h"
#include "logs/log4j_line.h"

namespace inquest {
namespace {

class HadoopFormat final : public Log4jFamilyFormat {
 public:
  HadoopFormat()
      : Log4jFamilyFormat("hadoop", "Hadoop: date time LEVEL [thread] logger: message") {}

 protected:
  bool ParseHeader(TextScan& sc, Event* event, std::string* why) const override {
    std::string_view thread;
    if (!Log4jLevelAndBracket(sc, event, &thread)) {
      *why = "no LEVEL [thread] after the time";
      return false;
    }
    sc.SkipSpaces();
    std::string_view logger = sc.Word();
    if (logger.size() < 2 || logger.back() != ':') {
      *why = "no 'logger:' after the thread";
      return false;
    }
    event->attrs.push_back({"thread", thread});
    event->attrs.push_back({"logger", logger.substr(0, logger.size() - 1)});
    return true;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewHadoopFormat() { return std::make_unique<HadoopFormat>(); }

}  // namespace inquest
