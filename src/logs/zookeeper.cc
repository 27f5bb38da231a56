// Apache ZooKeeper (log4j pattern "%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n"):
//   2015-07-29 17:41:44,747 - INFO [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774]
//   - msg
#include "logs/formats.h"
#include "logs/log4j_line.h"

namespace inquest {
namespace {

class ZookeeperFormat final : public Log4jFamilyFormat {
 public:
  ZookeeperFormat()
      : Log4jFamilyFormat("zookeeper",
                          "ZooKeeper: date time - LEVEL [thread:Class@line] - message") {}

 protected:
  bool ParseHeader(TextScan& sc, Event* event, std::string* why) const override {
    if (!sc.Consume('-')) {
      *why = "no ' - ' after the time";
      return false;
    }
    sc.SkipSpaces();
    std::string_view where;
    if (!Log4jLevelAndBracket(sc, event, &where)) {
      *why = "no LEVEL [thread:Class@line] after the time";
      return false;
    }
    size_t colon = where.rfind(':');
    if (colon != std::string_view::npos) {
      event->attrs.push_back({"thread", where.substr(0, colon)});
      std::string_view cls = where.substr(colon + 1);
      size_t at = cls.rfind('@');
      event->attrs.push_back({"logger", cls.substr(0, at)});
      if (at != std::string_view::npos) event->attrs.push_back({"source_line", cls.substr(at + 1)});
    } else {
      event->attrs.push_back({"thread", where});
    }
    sc.SkipSpaces();
    if (!sc.Consume('-')) {
      *why = "no ' - ' before the message";
      return false;
    }
    return true;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewZookeeperFormat() { return std::make_unique<ZookeeperFormat>(); }

}  // namespace inquest
