// Zones as written: the zone-table reader (built-in format and a user's rows), zone text
// (offsets, abbreviations, Windows and IANA names) and zone-assumed time parsing in a named
// zone. The first line of the input is a zone text, the rest a table.
#include <cstdint>
#include <cstring>
#include <string_view>

#include "base/time.h"
#include "base/zone_table.h"
#include "base/zone_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static const inquest::TimeZone paris = *inquest::TimeZone::Parse("Europe/Paris");
  size_t nl = bytes.find('\n');
  std::string_view zone = bytes.substr(0, nl);
  int64_t local = 0;
  std::memcpy(&local, data, std::min(size, sizeof(local)));
  // Keep the wall-clock time inside the years a TimePoint holds.
  local %= int64_t{200} * 365 * 86400;
  if (zone.size() < 200) {
    (void)inquest::ReadZoneText(zone, inquest::ZoneTable::Builtin(), &paris, local);
    int64_t off = 0;
    (void)inquest::ParseUtcOffset(zone, &off);
  }
  inquest::TimeContext ctx;
  ctx.zone = &paris;
  inquest::ParsedTime pt;
  (void)inquest::ParseTimePrefix(zone, ctx, &pt);
  if (nl != std::string_view::npos)
    (void)inquest::ZoneTable::FromText(bytes.substr(nl + 1), "fuzz");
  return 0;
}
