// Apache httpd error log:
//   [Sun Dec 04 04:47:44 2005] [notice] message                       (Apache 2.2 and older)
//   [Wed Oct 11 14:32:52 2000] [core:error] [pid 35708:tid 4328636416] [client 1.2.3.4] msg
#include "logs/formats.h"
#include "logs/text_scan.h"

namespace inquest {
namespace {

class ApacheErrorFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "apache-error"; }
  std::string_view description() const override {
    return "Apache httpd error log: [Sun Dec 04 04:47:44 2005] [level] message";
  }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    TextScan sc(line);
    if (!sc.Consume('[') ||
        !sc.Time([&](std::string_view s, ParsedTime* pt) { return ParseCtime(s, ctx.time, pt); },
                 event) ||
        !sc.Consume(']')) {
      *why = "no [Www Mmm dd HH:MM:SS yyyy] time at the start";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    std::string_view level;
    if (!sc.Consume('[') || !sc.Until(']', &level)) {
      *why = "no [level] after the time";
      return LineKind::kMalformed;
    }
    if (size_t colon = level.find(':'); colon != std::string_view::npos) {
      event->service = level.substr(0, colon);  // the module, Apache 2.4
      level = level.substr(colon + 1);
    }
    event->level = ParseLevel(level);
    if (event->level == Level::kUnknown) {
      *why = "unknown level [" + std::string(level) + "]";
      return LineKind::kMalformed;
    }
    for (;;) {
      sc.SkipSpaces();
      std::string_view rest = sc.rest();
      std::string_view inner;
      if (rest.starts_with("[pid ") || rest.starts_with("[client ")) {
        sc.Consume('[');
        if (!sc.Until(']', &inner)) break;
        size_t sp = inner.find(' ');
        event->attrs.push_back({inner.substr(0, sp), inner.substr(sp + 1)});
        continue;
      }
      break;
    }
    event->message = sc.rest();
    return LineKind::kRecord;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewApacheErrorFormat() { return std::make_unique<ApacheErrorFormat>(); }

}  // namespace inquest
