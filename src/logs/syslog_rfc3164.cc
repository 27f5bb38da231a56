// BSD syslog (RFC 3164) as written to /var/log by syslogd and rsyslog:
//   [<PRI>]Mmm dd HH:MM:SS HOST TAG[PID]: MSG
// The timestamp may also be RFC 3339 (rsyslog's high-precision template). The host is dropped
// by some writers ("Jun 14 15:16:01 sshd[1]: ..."): a first word ending in ':' is the tag.
// The level comes from PRI when present; otherwise it is unknown (syslog text has none).
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>

#include "logs/formats.h"
#include "logs/message_fields.h"
#include "logs/text_scan.h"

namespace inquest {
namespace {

// Longest TAG[PID] taken as the program name; a longer text before ": " is message text.
constexpr size_t kMaxTagBytes = 64;

// The zone a word after the time names ("MST", "CET", "+0530"), or null. Looked up once per
// distinct word and thread: the zone table and the tz database are not on the hot path.
const TimeZone* ZoneWord(std::string_view w) {
  constexpr size_t kMaxZoneWord = 6;
  if (w.size() < 1 || w.size() > kMaxZoneWord) return nullptr;
  bool letters = std::all_of(w.begin(), w.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  bool offset = (w[0] == '+' || w[0] == '-') && w.size() >= 3 &&
                std::all_of(w.begin() + 1, w.end(),
                            [](char c) { return (c >= '0' && c <= '9') || c == ':'; });
  if (!letters && !offset) return nullptr;
  thread_local std::map<std::string, std::optional<TimeZone>, std::less<>> cache;
  auto it = cache.find(w);
  if (it == cache.end()) {
    Result<TimeZone> z = TimeZone::Parse(w);
    it = cache.emplace(std::string(w), z.ok() ? std::optional<TimeZone>(*z) : std::nullopt).first;
  }
  return it->second ? &*it->second : nullptr;
}

// An application's level at the start of a syslog message ("INFO request started",
// "[warn] ..."), taken into the record's level when PRI gave none; the message is the rest.
std::string_view TakeLevelWord(std::string_view msg, Event* event) {
  constexpr size_t kMinBareLevel = 3;  // "I" or "ok" opening a sentence is no level
  size_t end = msg.find(' ');
  std::string_view w = msg.substr(0, end);
  bool bracketed = w.size() > 2 && w.front() == '[' && w.back() == ']';
  std::string_view word = bracketed ? w.substr(1, w.size() - 2) : w;
  if (!word.empty() && word.back() == ':') word.remove_suffix(1);
  if (!bracketed && word.size() < kMinBareLevel) return msg;
  Level l = ParseLevel(word);
  // Digits are syslog severities, not words of a message.
  if (l == Level::kUnknown || (!word.empty() && word[0] >= '0' && word[0] <= '9')) return msg;
  if (event->level != Level::kUnknown) return msg;  // PRI said it: the message stays whole
  event->level = l;
  if (end == std::string_view::npos) return {};
  return msg.substr(end + 1);
}

// A host as syslog writes it: a name, an IPv4 or IPv6 address (letters, digits, '.', '-', '_',
// ':', '%'), starting with a letter or digit.
bool IsHostName(std::string_view s) {
  if (s.empty() || !std::isalnum(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_' &&
        c != ':' && c != '%')
      return false;
  return true;
}
// A word that reads as a level (ParseLevel), other than a syslog severity digit.
bool IsLevelWord(std::string_view s) {
  return !s.empty() && !std::isdigit(static_cast<unsigned char>(s[0])) &&
         ParseLevel(s) != Level::kUnknown;
}
// Largest PRI value: facility 23 * 8 + severity 7.
constexpr int kMaxPri3164 = 191;  // facility 23 * 8 + severity 7

// Parses "<PRI>" at the cursor; -1 when absent, -2 when malformed.
int ParsePri(TextScan& sc) {
  if (!sc.Consume('<')) return -1;
  int v = 0, digits = 0;
  while (digits < 3 && sc.peek() >= '0' && sc.peek() <= '9') {
    v = v * 10 + (sc.peek() - '0');
    sc.Advance(1);
    ++digits;
  }
  if (digits == 0 || !sc.Consume('>') || v > kMaxPri3164) return -2;
  return v;
}

void SplitTag(std::string_view tag, Event* event) {
  if (!tag.empty() && tag.back() == ']') {
    size_t open = tag.rfind('[');
    if (open != std::string_view::npos) {
      event->attrs.push_back({"pid", tag.substr(open + 1, tag.size() - open - 2)});
      tag = tag.substr(0, open);
    }
  }
  event->service = tag;
}

class SyslogRfc3164Format final : public LogFormat {
 public:
  std::string_view name() const override { return "syslog"; }
  std::string_view description() const override {
    return "BSD syslog (RFC 3164): Mmm dd HH:MM:SS host program[pid]: message";
  }

  LineKind ParseLine(std::string_view line, const ParseContext& ctx, Event* event,
                     std::string* why) const override {
    TextScan sc(line);
    int pri = ParsePri(sc);
    if (pri == -2) {
      *why = "malformed <PRI>";
      return LineKind::kMalformed;
    }
    auto syslog_time = [&](std::string_view s, ParsedTime* pt) {
      return ParseSyslogTime(s, ctx.time, pt) ||
             (!s.empty() && s[0] >= '0' && s[0] <= '9' && s.size() > 10 && s[10] == 'T' &&
              ParseIso8601(s, ctx.time, pt));
    };
    bool iso_time = sc.peek() >= '0' && sc.peek() <= '9';
    const size_t time_at = sc.pos();
    if (!sc.Time(syslog_time, event)) {
      *why = "no syslog timestamp (Mmm dd HH:MM:SS) at the start";
      return LineKind::kMalformed;
    }
    if (sc.SkipSpaces() == 0) {
      *why = "no space after the timestamp";
      return LineKind::kMalformed;
    }
    if (pri >= 0) {
      char sev[1] = {static_cast<char>('0' + pri % 8)};
      event->level = ParseLevel(std::string_view(sev, 1));
      static constexpr std::string_view kFacilities[] = {
          "kern",   "user",   "mail",     "daemon", "auth",   "syslog", "lpr",    "news",
          "uucp",   "cron",   "authpriv", "ftp",    "ntp",    "audit",  "alert",  "clock",
          "local0", "local1", "local2",   "local3", "local4", "local5", "local6", "local7"};
      event->attrs.push_back({"facility", kFacilities[pri / 8]});
    }
    std::string_view host = sc.Word();
    // "Sep 25 00:32:00 MST host ...": a zone after the time (some templates write one).
    if (const TimeZone* zone = event->zone_assumed ? ZoneWord(host) : nullptr) {
      TimeContext zc = ctx.time;
      zc.zone = zone;
      ParsedTime pt;
      if (ParseSyslogTime(line.substr(time_at), zc, &pt)) {
        event->time = pt.time;
        event->zone_assumed = false;
      }
      sc.SkipSpaces();
      host = sc.Word();
    }
    if (host.empty()) {
      *why = "no host after the timestamp";
      return LineKind::kMalformed;
    }
    if (host.back() == ':' && host.size() > 1) {
      // No host: this was the tag.
      SplitTag(host.substr(0, host.size() - 1), event);
      sc.SkipSpaces();
      event->message = TakeLevelWord(sc.rest(), event);
      ReadMessageFields(event->message, *ctx.fields, event);
      return LineKind::kRecord;
    }
    if (IsLevelWord(host)) {
      // "Sep 10 02:51:47 GMT ERROR pid=..." is a timestamped log with a level, not syslog: a
      // host is never named like a level.
      *why = "'" + std::string(host.substr(0, 32)) + "' after the timestamp is a level, not a host";
      return LineKind::kMalformed;
    }
    if (!IsHostName(host)) {
      // "Oct 24 02:09:00 +0530|I|app13|..." is another layout that starts like syslog; reading
      // it as syslog would drop its zone and leave its columns in the message.
      *why = "'" + std::string(host.substr(0, 32)) + "' after the timestamp is not a host name";
      return LineKind::kMalformed;
    }
    event->host = host;
    sc.SkipSpaces();
    std::string_view rest = sc.rest();
    size_t colon = rest.find(": ");
    if (colon == std::string_view::npos && !rest.empty() && rest.back() == ':')
      colon = rest.size() - 1;
    if (colon != std::string_view::npos && colon > 0 && colon <= kMaxTagBytes) {
      SplitTag(rest.substr(0, colon), event);
      rest = rest.substr(std::min(rest.size(), colon + 2));
    } else if (iso_time) {
      // An RFC 3339 time followed by words is any timestamped log; syslog has a tag.
      *why = "no program tag after the host";
      return LineKind::kMalformed;
    }
    event->message = TakeLevelWord(rest, event);
    ReadMessageFields(event->message, *ctx.fields, event);
    return LineKind::kRecord;
  }
};

}  // namespace

std::unique_ptr<LogFormat> NewSyslogRfc3164Format() {
  return std::make_unique<SyslogRfc3164Format>();
}

}  // namespace inquest
