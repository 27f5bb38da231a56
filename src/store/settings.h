// Where the store is and how the follow-up is judged, from the command line, the environment
// and inquest.toml's [store] table, in that order of precedence:
//
//   [store]
//   url = "postgresql://inquest@db.internal/incidents"   # or a SQLite file path
//   decay_days = 14      # silent decay after this many days without a status change
//   last_n = 10          # post-mortems in the completion rate
//
// The environment variable INQUEST_DB names the store too (between --db and the file).
#ifndef INQUEST_STORE_SETTINGS_H_
#define INQUEST_STORE_SETTINGS_H_

#include <string>

#include "base/config.h"
#include "base/status.h"
#include "store/metrics.h"
#include "store/review.h"

namespace inquest::store {

struct StoreSettings {
  std::string spec;  // for OpenStore; "" = the default SQLite file
  int decay_days = kDefaultDecayDays;
  int last_n = kDefaultLastN;
};

// Reads [store] from `config` (which may be empty), then INQUEST_DB, then `db_flag` when not
// empty. Wrong types or values are kInvalidArgument naming "[store] <key>" and the file.
Result<StoreSettings> ResolveStoreSettings(const Config& config, const std::string& db_flag);

// Finds and reads inquest.toml (`config_path` when not empty, else searched from the current
// folder; base/config.h), then ResolveStoreSettings.
Result<StoreSettings> LoadStoreSettings(const std::string& config_path, const std::string& db_flag);

}  // namespace inquest::store

#endif  // INQUEST_STORE_SETTINGS_H_
