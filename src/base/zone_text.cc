#include "base/zone_text.h"

#include <fmt/format.h>

#include <optional>

#include "base/strings.h"

namespace inquest {
namespace {

// Windows writes the daylight-time name of a zone in summer ("Pacific Daylight Time"); the
// table holds the zone's standard name, whose rules cover both.
constexpr std::string_view kDaylightSuffix = " Daylight Time";
constexpr std::string_view kStandardSuffix = " Standard Time";

const ZoneEntry* FindEntry(std::string_view text, const ZoneTable& table) {
  if (const ZoneEntry* e = table.Find(text)) return e;
  if (text.size() > kDaylightSuffix.size() && text.ends_with(kDaylightSuffix)) {
    std::string standard(text.substr(0, text.size() - kDaylightSuffix.size()));
    standard += kStandardSuffix;
    return table.Find(standard);
  }
  return nullptr;
}

// The zone a table target stands for; null when the target does not load (a user's tz
// database lacking a zone the table names).
std::optional<TimeZone> TargetZone(const ZoneCandidate& c, std::string_view name) {
  int64_t off = 0;
  if (ParseUtcOffset(c.target, &off)) {
    if (off == 0) return TimeZone::Utc();
    return TimeZone::Fixed(off, fmt::format("{} ({})", name, FormatUtcOffset(off)));
  }
  Result<TimeZone> z = TimeZone::LoadNamed(c.target);
  if (!z.ok()) return std::nullopt;
  return *z;
}

std::string Describe(const ZoneEntry& e, const ZoneCandidate& c) {
  int64_t off = 0;
  std::string target = ParseUtcOffset(c.target, &off) ? FormatUtcOffset(off) : c.target;
  if (c.meaning.empty() || c.meaning == e.name) return fmt::format("{} = {}", e.name, target);
  return fmt::format("{} = {} ({})", e.name, target, c.meaning);
}

Result<ZoneReading> FromEntry(const ZoneEntry& e, const TimeZone* assumed, int64_t local_seconds) {
  size_t pick = 0;
  bool matched = false;
  if (e.ambiguous() && assumed != nullptr) {
    int64_t want = assumed->ResolveLocal(local_seconds).offset_s;
    for (size_t i = 0; i < e.candidates.size() && !matched; ++i) {
      std::optional<TimeZone> z = TargetZone(e.candidates[i], e.name);
      if (z && z->ResolveLocal(local_seconds).offset_s == want) {
        pick = i;
        matched = true;
      }
    }
  }
  const ZoneCandidate& c = e.candidates[pick];
  std::optional<TimeZone> zone = TargetZone(c, e.name);
  if (!zone)
    return Status::InvalidArgument(
        fmt::format("zone '{}' stands for '{}', which this system's tz database does not have",
                    e.name, c.target));
  ZoneReading r;
  r.zone = *zone;
  r.description = Describe(e, c);
  if (e.ambiguous()) {
    r.ambiguous = true;
    std::string others;
    for (size_t i = 0; i < e.candidates.size(); ++i) {
      if (i == pick) continue;
      if (!others.empty()) others += ", ";
      others += Describe(e, e.candidates[i]).substr(e.name.size() + 3);
    }
    r.note = fmt::format(
        "{} is ambiguous: read as {}, {}; it can also mean {}", e.name,
        Describe(e, c).substr(e.name.size() + 3),
        matched ? fmt::format("which matches --assume-tz {}", assumed->name())
                : std::string("the documented default (--assume-tz or [zones] in inquest.toml "
                              "chooses another)"),
        others);
    r.zone.set_note(r.note);
  }
  return r;
}

}  // namespace

Result<ZoneReading> ReadZoneText(std::string_view text, const ZoneTable& table,
                                 const TimeZone* assumed, int64_t local_seconds) {
  text = TrimSpace(text);
  if (text.empty()) return Status::InvalidArgument("empty time zone");
  int64_t off = 0;
  if (ParseUtcOffset(text, &off)) {
    ZoneReading r;
    r.zone = off == 0 ? TimeZone::Utc() : TimeZone::Fixed(off, std::string(text));
    std::string canonical = FormatUtcOffset(off);
    r.description = text == canonical ? canonical : fmt::format("{} = {}", text, canonical);
    return r;
  }
  if (const ZoneEntry* e = FindEntry(text, table)) return FromEntry(*e, assumed, local_seconds);
  Result<TimeZone> named = TimeZone::LoadNamed(text);
  if (!named.ok()) return named.status();
  ZoneReading r;
  r.zone = *named;
  r.description = std::string(text);
  return r;
}

Result<TimeZone> TimeZone::Parse(std::string_view spec) {
  Result<ZoneReading> r = ReadZoneText(spec, ZoneTable::Active(), nullptr, 0);
  if (!r.ok()) return r.status();
  return r->zone;
}

}  // namespace inquest
