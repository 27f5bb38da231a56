// Syslog RFC 5424: <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD-ELEMENT...]|- MSG
// "-" stands for an absent field. Structured-data parameters become attributes (their names
// are looked up in ctx.fields, so [meta request_id="..."] sets the request id).
#include "logs/formats.h"
#include "logs/text_scan.h"

namespace inquest {
namespace {

constexpr int kMaxPri5424 = 191;  // facility 23 * 8 + severity 7

std::string_view Nil(std::string_view s) { return s == "-" ? std::string_view() : s; }

// Parses the SD-ELEMENTs at the cursor into attributes; false when malformed.
bool ParseStructuredData(TextScan& sc, const ParseContext& ctx, Event* event, std::string* why) {
  std::string_view rest = sc.rest();
  size_t i = 0;
  while (i < rest.size() && rest[i] == '[') {
    ++i;
    size_t id0 = i;
    while (i < rest.size() && rest[i] != ' ' && rest[i] != ']') ++i;
    if (i >= rest.size()) {
      *why = "unterminated structured-data element";
      return false;
    }
    event->attrs.push_back({"sd_id", rest.substr(id0, i - id0)});
    while (i < rest.size() && rest[i] == ' ') {
      ++i;
      size_t k0 = i;
      while (i < rest.size() && rest[i] != '=' && rest[i] != ']' && rest[i] != ' ') ++i;
      if (i + 1 >= rest.size() || rest[i] != '=' || rest[i + 1] != '"') {
        *why = "malformed structured-data parameter";
        return false;
      }
      std::string_view key = rest.substr(k0, i - k0);
      i += 2;
      size_t v0 = i;
      while (i < rest.size() && rest[i] != '"') i += rest[i] == '\\' ? 2 : 1;
      if (i >= rest.size()) {
        *why = "unterminated structured-data value";
        return false;
      }
      std::string_view value = rest.substr(v0, i - v0);
      ++i;
      if (!SetCorrelationId(ctx.fields->RoleOf(key), value, event))
        event->attrs.push_back({key, value});
    }
    if (i >= rest.size() || rest[i] != ']') {
      *why = "unterminated structured-data element";
      return false;
    }
    ++i;
  }
  sc.Advance(i);
  return true;
}

class SyslogRfc5424Format final : public LogFormat {
 public:
  std::string_view name() const override { return "syslog-rfc5424"; }
  std::string_view description() const override {
    return "syslog (RFC 5424): <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG";
  }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    TextScan sc(line);
    if (!sc.Consume('<')) {
      *why = "no <PRI> at the start";
      return LineKind::kMalformed;
    }
    int pri = 0, digits = 0;
    while (digits < 3 && sc.peek() >= '0' && sc.peek() <= '9') {
      pri = pri * 10 + (sc.peek() - '0');
      sc.Advance(1);
      ++digits;
    }
    if (digits == 0 || !sc.Consume('>') || pri > kMaxPri5424) {
      *why = "malformed <PRI>";
      return LineKind::kMalformed;
    }
    if (!sc.Consume("1 ")) {
      *why = "not version 1 after <PRI>";
      return LineKind::kMalformed;
    }
    char sev[1] = {static_cast<char>('0' + pri % 8)};
    event->level = ParseLevel(std::string_view(sev, 1));
    if (!sc.Consume("- ")) {
      if (!sc.Time(
              [&](std::string_view s, ParsedTime* pt) { return ParseIso8601(s, ctx.time, pt); },
              event) ||
          !sc.Consume(' ')) {
        *why = "malformed RFC 3339 timestamp";
        return LineKind::kMalformed;
      }
    }
    std::string_view host = sc.Word();
    sc.Consume(' ');
    std::string_view app = sc.Word();
    sc.Consume(' ');
    std::string_view procid = sc.Word();
    sc.Consume(' ');
    std::string_view msgid = sc.Word();
    if (host.empty() || app.empty() || procid.empty() || msgid.empty() || !sc.Consume(' ')) {
      if (!(sc.at_end() && !msgid.empty())) {
        *why = "missing HOST, APP-NAME, PROCID or MSGID";
        return LineKind::kMalformed;
      }
    }
    event->host = Nil(host);
    event->service = Nil(app);
    if (!Nil(procid).empty()) event->attrs.push_back({"pid", procid});
    if (!Nil(msgid).empty()) event->attrs.push_back({"msgid", msgid});
    if (!sc.Consume('-')) {
      if (sc.peek() == '[') {
        if (!ParseStructuredData(sc, ctx, event, why)) return LineKind::kMalformed;
      } else if (!sc.at_end()) {
        *why = "expected structured data or '-'";
        return LineKind::kMalformed;
      }
    }
    sc.Consume(' ');
    std::string_view msg = sc.rest();
    if (msg.starts_with("\xEF\xBB\xBF")) msg.remove_prefix(3);  // the BOM RFC 5424 allows
    event->message = msg;
    return LineKind::kRecord;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewSyslogRfc5424Format() {
  return std::make_unique<SyslogRfc5424Format>();
}

}  // namespace inquest
