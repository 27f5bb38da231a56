#include "dumps/dump_time.h"

#include <fmt/format.h>

#include "base/zone_table.h"
#include "base/zone_text.h"

namespace inquest {
namespace {

// "2021-03-28 02:30:00": the wall-clock time as the dump wrote it.
std::string WallText(TimePoint wall) {
  std::string t = FormatTime(wall, 0);
  return t.substr(0, 10) + " " + t.substr(11, 8);
}

}  // namespace

DumpClockReading ReadDumpWallTime(const DumpOwnTime& own, const DumpOptions& options) {
  DumpClockReading out;
  if (own.time == kNoTime) return out;
  int64_t local_s = own.time / kNanosPerSecond;
  int64_t frac = own.time % kNanosPerSecond;
  if (frac < 0) {
    frac += kNanosPerSecond;
    --local_s;
  }
  const ZoneTable& table = options.zones ? *options.zones : ZoneTable::Active();
  TimeZone zone = options.zone ? *options.zone : TimeZone::Utc();
  std::string where = own.zone_where.empty() ? "" : " (" + own.zone_where + ")";
  if (own.zone.empty()) {
    out.source = options.zone == nullptr || options.zone->is_utc()
                     ? "the dump's own timestamp (written without a zone, read as UTC)"
                     : fmt::format(
                           "the dump's own timestamp (written without a zone, read in {} "
                           "as --assume-tz says)",
                           zone.name());
  } else if (Result<ZoneReading> z = ReadZoneText(own.zone, table, options.zone, local_s); z.ok()) {
    zone = z->zone;
    out.source = fmt::format("the dump's own timestamp, zone {}{}", z->description, where);
    if (z->ambiguous) {
      out.source += "; " + z->note;
      out.warning = fmt::format("time zone{}: {}", where, z->note);
    }
  } else {
    out.source = fmt::format(
        "the dump's own timestamp; its zone \"{}\"{} is not known, read {} (--assume-tz, or "
        "[zones] in inquest.toml, sets it)",
        own.zone, where, options.zone ? "in " + zone.name() : std::string("as UTC"));
    out.warning =
        fmt::format("time zone \"{}\"{} is not known: {}", own.zone, where, z.status().message());
  }
  LocalResolution r = zone.ResolveLocal(local_s);
  out.time = (local_s - r.offset_s) * kNanosPerSecond + frac;
  if (r.kind != LocalTimeKind::kUnique) {
    std::string what = fmt::format(
        "{} {} in {} (the clocks changed from {} to {}): read with the offset before the change, "
        "{}",
        WallText(own.time), r.kind == LocalTimeKind::kSkipped ? "never happened" : "happened twice",
        zone.name(), FormatUtcOffset(r.offset_s), FormatUtcOffset(r.other_offset_s),
        r.kind == LocalTimeKind::kSkipped ? "as if they had not moved yet"
                                          : "its first occurrence");
    out.source += "; " + what;
    out.warning += (out.warning.empty() ? "" : "; ") + what;
  }
  return out;
}

}  // namespace inquest
