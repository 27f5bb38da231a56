// Apache ZooKeeper (log4j pattern "%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n"):
//   2015-07-29 17:41:44,747 - INFO [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774]
//   - msg
#include "logs/formats.h"
#include "logs/log4j_line.h"

namespace inquest {
namespace {

class ZookeeperFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "zookeeper"; }
  std::string_view description() const override {
    return "ZooKeeper: date time - LEVEL [thread:Class@line] - message";
  }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    TextScan sc(line);
    if (!Log4jTime(sc, ctx, event)) {
      *why = "no yyyy-MM-dd HH:mm:ss,SSS time at the start";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    if (!sc.Consume('-')) {
      *why = "no ' - ' after the time";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    event->level = Log4jLevel(sc);
    sc.SkipSpaces();
    std::string_view where;
    if (event->level == Level::kUnknown || !Bracketed(sc, &where)) {
      *why = "no LEVEL [thread:Class@line] after the time";
      return LineKind::kMalformed;
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
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    event->message = sc.rest();
    return LineKind::kRecord;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewZookeeperFormat() { return std::make_unique<ZookeeperFormat>(); }

}  // namespace inquest
