// The zone table: what zone abbreviations ("CEST", "IST") and Windows zone names ("W. Europe
// Standard Time") written next to times mean. The built-in rows are data
// (base/zone_table_data.inc); a user extends or overrides them in inquest.toml:
//
//   [zones]
//   HKT = "+08:00"                         # an abbreviation: a UTC offset ...
//   IST = "Asia/Jerusalem"                 # ... or an IANA zone (this site's IST is Israel's)
//   "Contoso Standard Time" = "Europe/Paris"
//
// A user's row replaces every built-in meaning of its name, so it is never ambiguous.
//
//   const ZoneTable& t = ZoneTable::Builtin();
//   if (const ZoneEntry* e = t.Find("IST")) ... e->candidates[0] is the default
#ifndef INQUEST_BASE_ZONE_TABLE_H_
#define INQUEST_BASE_ZONE_TABLE_H_

#include <toml++/toml.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace inquest {

// One meaning of a zone name.
struct ZoneCandidate {
  std::string target;   // a UTC offset ("+05:30") or an IANA name ("Asia/Kolkata")
  std::string meaning;  // "India Standard Time"; empty for user rows
};

struct ZoneEntry {
  std::string name;  // as written in the table ("IST", "Pacific Standard Time")
  bool windows = false;
  bool user = false;  // from inquest.toml
  // The first is the documented default; more than one makes the name ambiguous.
  std::vector<ZoneCandidate> candidates;
  bool ambiguous() const { return candidates.size() > 1; }
};

class ZoneTable {
 public:
  // The table compiled in. Built once, on first use; thread-safe.
  static const ZoneTable& Builtin();
  // The table zone names are read with everywhere (TimeZone::Parse, log times, dump headers):
  // the built-in one until SetActive. SetActive is called once by a command, after reading its
  // inquest.toml and before any reading starts; Active is thread-safe after that.
  static const ZoneTable& Active();
  static void SetActive(ZoneTable table);
  // SetActive of the built-in table plus the [zones] of an inquest.toml.
  static Status ActivateWithConfig(const toml::table& root, std::string_view config_path);

  // Reads rows in the format of base/zone_table_data.inc. Errors are BadInput naming `source`
  // and the line.
  static Result<ZoneTable> FromText(std::string_view text, std::string_view source);

  // Adds the [zones] table of an inquest.toml (`config_path` for messages): each key a name,
  // each value a UTC offset or an IANA zone, checked here. A row replaces the built-in
  // meanings of its name. No [zones] table is not an error.
  Status AddFromConfig(const toml::table& root, std::string_view config_path);

  // The entry for a name, compared without regard to case or repeated spaces; null if none.
  const ZoneEntry* Find(std::string_view name) const;

  size_t size() const { return entries_.size(); }
  const std::vector<ZoneEntry>& entries() const { return entries_; }

 private:
  ZoneEntry* FindOrAdd(std::string_view name, bool windows);

  std::vector<ZoneEntry> entries_;
  std::unordered_map<std::string, size_t> index_;  // normalised name -> entries_ index
};

// Whether `target` is a valid table target: a UTC offset, or an IANA zone the system's tz
// database has.
bool ValidZoneTarget(std::string_view target);

}  // namespace inquest

#endif  // INQUEST_BASE_ZONE_TABLE_H_
