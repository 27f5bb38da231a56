// inquest.toml: where it is found and its parsed table. Each folder reads its own section
// (logs/ reads [fields] and [formats.*], postmortem/ its lint rules, store/ its URL...).
//
//   INQ_ASSIGN_OR_RETURN(Config cfg, LoadConfig({.explicit_path = flag, .bundle_dir = dir}));
//   if (const toml::table* fields = cfg.table["fields"].as_table()) ...
//
// Search order: an explicit --config path (which must exist), else inquest.toml in the bundle
// folder, else in the current folder, else $XDG_CONFIG_HOME/inquest/inquest.toml, else
// ~/.config/inquest/inquest.toml. No file anywhere is not an error: the table is empty.
#ifndef INQUEST_BASE_CONFIG_H_
#define INQUEST_BASE_CONFIG_H_

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace inquest {

inline constexpr std::string_view kConfigFileName = "inquest.toml";

struct ConfigSearch {
  std::string explicit_path;  // --config; empty: search
  std::string bundle_dir;     // the incident folder being analysed; empty: none
  std::string current_dir = ".";
  // Overrides of the environment, for tests; nullopt: read $XDG_CONFIG_HOME / $HOME.
  std::optional<std::string> xdg_config_home;
  std::optional<std::string> home;
};

struct Config {
  std::string path;  // the file read; empty when none was found
  toml::table table;
};

// The path the search would read, or empty when there is no config file.
std::string FindConfig(const ConfigSearch& search);

// Finds and parses the config, and adds its [redact] patterns to the output boundary's redactor
// (base/output.h), so every command that reads a config redacts what it asks for. A parse error
// is BadInput naming the file and line; an explicit path that does not exist is NotFound; an
// invalid [redact] pattern is InvalidArgument.
Result<Config> LoadConfig(const ConfigSearch& search);
// Parses TOML text (tests); `name` is used in error messages.
Result<Config> ParseConfig(std::string_view text, std::string name);

// Reads a list of strings at `table[key]` (a single string counts as a list of one). Other
// types are InvalidArgument naming `where` (e.g. "[fields] request_id").
Result<std::vector<std::string>> StringList(const toml::node* node, std::string_view where);

}  // namespace inquest

#endif  // INQUEST_BASE_CONFIG_H_
