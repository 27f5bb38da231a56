#include "cli/common.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "base/config.h"
#include "base/decompress.h"
#include "base/strings.h"
#include "base/zone_table.h"
#include "logs/user_format.h"

namespace inquest::cli {

void TimeFlags::Add(CLI::App& app) {
  app.add_option("--assume-tz", assume_tz,
                 "zone of times written without one: UTC (default), +02:00, Europe/Paris");
  app.add_option("--year", year,
                 "year of times written without one (syslog); default: inferred from the file's "
                 "modification time or the other files");
}

Status TimeFlags::Resolve() {
  Result<TimeZone> z = TimeZone::Parse(assume_tz);
  if (!z.ok()) return z.status();
  zone = *z;
  if (year != 0 && (year < 1970 || year > kMaxYear))
    return Status::InvalidArgument(fmt::format("--year {} is out of range", year));
  return Status::Ok();
}

std::optional<int> ParseArgs(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "inquest {}: {}\nRun 'inquest {} --help' for the options.\n", app.get_name(),
               e.what(), app.get_name());
    return 2;
  }
  return std::nullopt;
}

void FormatFlags::Add(CLI::App& app, bool with_log_format) {
  if (!with_log_format) {
    app.add_option("--format", format, "output format: text, json or md");
    return;
  }
  app.add_option("--format", format,
                 "output format (text, json, md), or a log format name to force (see 'inquest "
                 "detect --list')");
  app.add_option("--log-format", log_format, "force this log format instead of detecting it");
}

Status FormatFlags::Resolve(const std::vector<std::string_view>& log_formats) {
  static const std::map<std::string, OutputFormat, std::less<>> kMap = {
      {"text", OutputFormat::kText}, {"json", OutputFormat::kJson}, {"md", OutputFormat::kMd}};
  std::string lower = ToLower(format);
  if (auto it = kMap.find(lower); it != kMap.end()) {
    output = it->second;
  } else if (std::find(log_formats.begin(), log_formats.end(), format) != log_formats.end()) {
    log_format = format;
  } else {
    std::vector<std::string_view> all = {"text", "json", "md"};
    all.insert(all.end(), log_formats.begin(), log_formats.end());
    std::string_view guess = ClosestMatch(format, all);
    return Status::InvalidArgument(
        guess.empty()
            ? fmt::format("unknown --format '{}' (text, json, md or a log format)", format)
            : fmt::format("unknown --format '{}'. Did you mean '{}'?", format, guess));
  }
  if (!log_format.empty() &&
      std::find(log_formats.begin(), log_formats.end(), log_format) == log_formats.end()) {
    std::string_view guess = ClosestMatch(log_format, log_formats);
    return Status::InvalidArgument(
        guess.empty()
            ? fmt::format("unknown log format '{}'", log_format)
            : fmt::format("unknown log format '{}'. Did you mean '{}'?", log_format, guess));
  }
  return Status::Ok();
}

int Fail(std::string_view command, const Status& status) {
  fmt::print(stderr, "inquest {}: {}\n", command, status.ToString());
  return status.ExitCode();
}

void AddInputLimitFlags(CLI::App& app) {
  // Each flag sets one field of the process's limits as it is parsed.
  auto setter = [](uint64_t ExpansionLimits::*field) {
    return [field](const uint64_t& value) {
      ExpansionLimits l = CurrentExpansionLimits();
      l.*field = value;
      SetExpansionLimits(l);
    };
  };
  const ExpansionLimits& d = CurrentExpansionLimits();
  app.add_option_function<uint64_t>("--max-expansion", setter(&ExpansionLimits::max_bytes),
                                    fmt::format("largest size a compressed input may expand to "
                                                "(default {} GiB; suffixes KiB, MiB, GiB)",
                                                d.max_bytes >> 30))
      ->transform(CLI::AsSizeValue(false));
  app.add_option_function<uint64_t>(
         "--max-ratio", setter(&ExpansionLimits::max_ratio),
         fmt::format("largest expansion ratio of a compressed input (default {})", d.max_ratio))
      ->check(CLI::PositiveNumber);
}

void ConfigFlags::Add(CLI::App& app) {
  app.add_option("--config", path, "inquest.toml to read (default: searched)");
}

Status ConfigFlags::ApplyLogs(FormatRegistry* registry, FieldNames* fields) const {
  ConfigSearch search;
  search.explicit_path = path;
  INQ_ASSIGN_OR_RETURN(Config config, LoadConfig(search));
  // [zones]: the names every time in every file is read with.
  INQ_RETURN_IF_ERROR(ZoneTable::ActivateWithConfig(config.table, config.path));
  return ApplyLogsConfig(config, registry, fields);
}

size_t TerminalWidth(int fd) {
  // A terminal whose size cannot be read (a serial console) is taken to be this wide.
  constexpr size_t kFallbackColumns = 80;
  if (isatty(fd) != 1) return 0;
  struct winsize ws {};
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (std::optional<int64_t> cols = ParseInt(getenv("COLUMNS") ? getenv("COLUMNS") : "");
      cols && *cols > 0)
    return static_cast<size_t>(*cols);
  return kFallbackColumns;
}

bool UseColor(int fd) {
  const char* no = getenv("NO_COLOR");
  if (no && *no) return false;
  return isatty(fd) == 1;
}

}  // namespace inquest::cli
