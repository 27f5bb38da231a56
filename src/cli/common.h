// What every subcommand shares: the CLI11 app set-up, the flags for time interpretation and
// output, and turning a Status into a message and an exit code.
#ifndef INQUEST_CLI_COMMON_H_
#define INQUEST_CLI_COMMON_H_

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "base/status.h"
#include "base/time.h"
#include "logs/field_names.h"
#include "logs/registry.h"

namespace inquest::cli {

enum class OutputFormat { kText, kJson, kMd };

// Flags that say how to read times: --assume-tz, --year.
struct TimeFlags {
  std::string assume_tz = "UTC";
  int year = 0;
  std::optional<TimeZone> zone;  // resolved by Resolve()
  void Add(CLI::App& app);
  Status Resolve();
};

// Parses argv with CLI11; returns an exit code to return now (help printed: 0, error: 2), or
// nullopt to go on.
std::optional<int> ParseArgs(CLI::App& app, int argc, char** argv);

// --format and --log-format. `--format` takes an output format (text, json, md) or, as a
// shortcut, the name of a log format to force; `--log-format NAME` forces a log format only.
struct FormatFlags {
  std::string format = "text";
  std::string log_format;
  OutputFormat output = OutputFormat::kText;
  void Add(CLI::App& app, bool with_log_format = true);
  // Splits --format into output and log format; an unknown name is a usage error with a
  // did-you-mean over `log_formats`.
  Status Resolve(const std::vector<std::string_view>& log_formats);
};

// --config: the inquest.toml whose [formats.NAME] log formats and [fields] key names a command
// reads; without it the config is searched (base/config.h) and may be absent.
struct ConfigFlags {
  std::string path;
  void Add(CLI::App& app);
  // Adds the config's formats to *registry (ahead of the built-ins) and its key names to
  // *fields. Errors name the file and the section.
  Status ApplyLogs(FormatRegistry* registry, FieldNames* fields) const;
};

// --max-expansion SIZE and --max-ratio N: how far one gzip or zstd input may expand before
// reading it stops with an error (base/decompress.h, ExpansionLimits). They set the process's
// limits while the command line is parsed, before any file is opened.
void AddInputLimitFlags(CLI::App& app);

// Prints "inquest <cmd>: <status>" to stderr and returns its exit code.
int Fail(std::string_view command, const Status& status);

// True when stdout (fd 1) or stderr (fd 2) is a terminal and NO_COLOR is not set.
bool UseColor(int fd);

// The width in columns of the terminal `fd` is, or 0 (no limit) when it is not a terminal.
size_t TerminalWidth(int fd);

}  // namespace inquest::cli

#endif  // INQUEST_CLI_COMMON_H_
