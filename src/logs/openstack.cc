// OpenStack (oslo.log) service logs, as collected by Loghub with the log file's name first:
//   nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi...
//       [req-38101a0b-... 113d3a99... 54fadb41... - - -] 10.11.10.1 "GET /v2/..." status: 200
// The file name (when present) names the service (nova-api, nova-compute); the [req-... user
// project ...] context gives the request id, which ties one request across services.
#include "logs/formats.h"
#include "logs/text_scan.h"

namespace inquest {
namespace {

class OpenStackFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "openstack"; }
  std::string_view description() const override {
    return "OpenStack oslo.log: [file] date time pid LEVEL module [req-... ...] message";
  }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    TextScan sc(line);
    auto iso = [&](std::string_view s, ParsedTime* pt) { return ParseIso8601(s, ctx.time, pt); };
    if (!sc.Time(iso, event)) {
      std::string_view file = sc.Word();
      size_t dot_log = file.find(".log");
      if (dot_log == std::string_view::npos || dot_log == 0) {
        *why = "neither a time nor a service log file name at the start";
        return LineKind::kMalformed;
      }
      event->service = file.substr(0, dot_log);
      event->attrs.push_back({"logfile", file});
      sc.SkipSpaces();
      if (!sc.Time(iso, event)) {
        *why = "no yyyy-mm-dd HH:MM:SS.fff time";
        return LineKind::kMalformed;
      }
    }
    sc.SkipSpaces();
    std::string_view pid = sc.Word();
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string_view::npos) {
      *why = "no process id after the time";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    event->level = ParseLevel(sc.Word());
    if (event->level == Level::kUnknown) {
      *why = "no level after the process id";
      return LineKind::kMalformed;
    }
    sc.SkipSpaces();
    std::string_view module = sc.Word();
    if (module.empty()) {
      *why = "no module name after the level";
      return LineKind::kMalformed;
    }
    event->attrs.push_back({"pid", pid});
    event->attrs.push_back({"logger", module});
    sc.SkipSpaces();
    if (sc.rest().starts_with("[req-")) {
      sc.Consume('[');
      std::string_view context;
      if (sc.Until(']', &context)) {
        TextScan cs(context);
        event->request_id = cs.Word();
        cs.SkipSpaces();
        std::string_view user = cs.Word();
        cs.SkipSpaces();
        std::string_view project = cs.Word();
        if (!user.empty() && user != "-") event->attrs.push_back({"user", user});
        if (!project.empty() && project != "-") event->attrs.push_back({"project", project});
        sc.SkipSpaces();
      }
    }
    event->message = sc.rest();
    return LineKind::kRecord;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewOpenStackFormat() { return std::make_unique<OpenStackFormat>(); }

}  // namespace inquest
