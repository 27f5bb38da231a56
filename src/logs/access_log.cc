// Apache / nginx access logs, common and combined:
//   IP IDENT USER [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.1" 200 2326 "referer" "agent"
// followed by anything a site added: more quoted fields ($http_x_forwarded_for) and key=value
// fields (`rt=0.123 request_id=abc`). Status 5xx is an error, 4xx a warning, the rest info.
// A key=value field whose key ctx.fields knows (request_id, trace_id...) sets that id.
#include "logs/formats.h"
#include "logs/text_scan.h"

namespace inquest {
namespace {

// Names of unnamed quoted fields after the user agent (nginx's $http_x_forwarded_for first).
constexpr std::string_view kExtraNames[] = {"forwarded_for", "extra2", "extra3", "extra4",
                                            "extra5"};

// A quoted field at the cursor, without its quotes; Apache escapes '"' as \" inside. With
// `to_end`, a field cut off at the end of the line (a truncated user agent, seen in real logs)
// takes the rest of the line.
bool Quoted(TextScan& sc, std::string_view* out, bool to_end = false) {
  std::string_view rest = sc.rest();
  if (rest.empty() || rest[0] != '"') return false;
  size_t i = FindEither(rest, 1, '"', '\\');
  while (i < rest.size() && rest[i] == '\\') i = FindEither(rest, i + 2, '"', '\\');
  if (i >= rest.size()) {
    if (!to_end) return false;
    *out = rest.substr(1);
    sc.Advance(rest.size());
    return true;
  }
  *out = rest.substr(1, i - 1);
  sc.Advance(i + 1);
  return true;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

class AccessLogFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "access"; }
  std::string_view description() const override {
    return "Apache/nginx access log (common or combined, plus extra fields)";
  }
  bool allows_continuations() const override { return false; }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    TextScan sc(line);
    std::string_view ip = sc.Word();
    if (ip.empty() || sc.SkipSpaces() == 0) return Bad(why, "no client address");
    std::string_view ident = sc.Word();
    sc.SkipSpaces();
    std::string_view user = sc.Word();
    sc.SkipSpaces();
    if (ident.empty() || user.empty() || !sc.Consume('['))
      return Bad(why, "no [time] after the client, ident and user fields");
    if (!sc.Time([&](std::string_view s, ParsedTime* pt) { return ParseClf(s, ctx.time, pt); },
                 event) ||
        !sc.Consume(']'))
      return Bad(why, "malformed [dd/Mon/yyyy:HH:MM:SS zone] time");
    sc.SkipSpaces();
    std::string_view request;
    if (!Quoted(sc, &request)) return Bad(why, "no quoted request after the time");
    sc.SkipSpaces();
    std::string_view status = sc.Word();
    if (status.size() != 3 || !AllDigits(status)) return Bad(why, "no 3-digit status");
    sc.SkipSpaces();
    std::string_view bytes = sc.Word();
    if (bytes != "-" && !AllDigits(bytes)) return Bad(why, "no byte count after the status");

    event->message = request;
    event->level = status[0] == '5'   ? Level::kError
                   : status[0] == '4' ? Level::kWarn
                                      : Level::kInfo;
    event->attrs.push_back({"ip", ip});
    if (user != "-") event->attrs.push_back({"user", user});
    TextScan rq(request);
    std::string_view method = rq.Word();
    rq.SkipSpaces();
    std::string_view path = rq.Word();
    if (!method.empty() && !path.empty()) {
      event->attrs.push_back({"method", method});
      event->attrs.push_back({"path", path});
      rq.SkipSpaces();
      if (!rq.at_end()) event->attrs.push_back({"protocol", rq.rest()});
    }
    event->attrs.push_back({"status", status});
    event->attrs.push_back({"bytes", bytes});

    sc.SkipSpaces();
    std::string_view referer, agent;
    if (Quoted(sc, &referer)) {
      event->attrs.push_back({"referer", referer});
      sc.SkipSpaces();
      if (!Quoted(sc, &agent, /*to_end=*/true))
        return Bad(why, "referer without a quoted user agent");
      event->attrs.push_back({"agent", agent});
    }
    // Whatever the site appended.
    size_t extra = 0;
    for (;;) {
      sc.SkipSpaces();
      if (sc.at_end()) break;
      std::string_view value;
      if (sc.peek() == '"') {
        if (!Quoted(sc, &value)) return Bad(why, "unterminated quoted field");
        if (extra < std::size(kExtraNames)) event->attrs.push_back({kExtraNames[extra++], value});
        continue;
      }
      std::string_view word = sc.Word();
      size_t eq = word.find('=');
      if (eq == std::string_view::npos || eq == 0) {
        if (extra < std::size(kExtraNames)) event->attrs.push_back({kExtraNames[extra++], word});
        continue;
      }
      std::string_view key = word.substr(0, eq);
      value = word.substr(eq + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      if (!SetCorrelationId(ctx.fields->RoleOf(key), value, event))
        event->attrs.push_back({key, value});
    }
    return LineKind::kRecord;
  }

 private:
  static LineKind Bad(std::string* why, const char* reason) {
    *why = reason;
    return LineKind::kMalformed;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewAccessLogFormat() { return std::make_unique<AccessLogFormat>(); }

}  // namespace inquest
