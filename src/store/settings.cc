// Store settings from flags, environment and inquest.toml (store/settings.h).
#include "store/settings.h"

#include <fmt/format.h>

#include <cstdlib>

namespace inquest::store {
namespace {

Result<int> PositiveInt(const toml::table& t, std::string_view key, const Config& config,
                        int fallback) {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  std::optional<int64_t> v = n->value<int64_t>();
  if (!v || *v < 1 || *v > 100'000) {
    return Status::InvalidArgument(
        fmt::format("{}: [store] {} must be a whole number from 1 to 100000", config.path, key));
  }
  return static_cast<int>(*v);
}

}  // namespace

Result<StoreSettings> ResolveStoreSettings(const Config& config, const std::string& db_flag) {
  StoreSettings s;
  if (const toml::table* t = config.table["store"].as_table()) {
    if (const toml::node* url = t->get("url")) {
      std::optional<std::string> v = url->value<std::string>();
      if (!v) {
        return Status::InvalidArgument(
            fmt::format("{}: [store] url must be a string", config.path));
      }
      s.spec = *v;
    }
    INQ_ASSIGN_OR_RETURN(s.decay_days, PositiveInt(*t, "decay_days", config, s.decay_days));
    INQ_ASSIGN_OR_RETURN(s.last_n, PositiveInt(*t, "last_n", config, s.last_n));
  }
  if (const char* env = std::getenv("INQUEST_DB"); env && *env) s.spec = env;
  if (!db_flag.empty()) s.spec = db_flag;
  return s;
}

Result<StoreSettings> LoadStoreSettings(const std::string& config_path,
                                        const std::string& db_flag) {
  ConfigSearch search;
  search.explicit_path = config_path;
  INQ_ASSIGN_OR_RETURN(Config config, LoadConfig(search));
  return ResolveStoreSettings(config, db_flag);
}

}  // namespace inquest::store
