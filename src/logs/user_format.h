// Log formats defined in inquest.toml, in the spirit of lnav's log_format definitions:
//
//   [formats.checkout]
//   description = "checkout service text log"
//   regex = '^(?P<time>\S+ \S+) \[(?P<level>\w+)\] (?P<service>\w+) (?P<body>.*)$'
//   time-format = "%Y-%m-%d %H:%M:%S"      # strftime-style, or iso8601 / epoch / clf / syslog
//
// Named groups: time, level, message (or body), service, host, request_id, trace_id, span_id;
// any other named group becomes an attribute. A line the regex does not match is malformed (or
// a continuation when it looks like one). Also reads [fields] (extra key names per role for
// JSON and logfmt: `request_id = ["x-req"]`).
#ifndef INQUEST_LOGS_USER_FORMAT_H_
#define INQUEST_LOGS_USER_FORMAT_H_

#include <memory>
#include <string>
#include <string_view>

#include "base/config.h"
#include "base/status.h"
#include "logs/field_names.h"
#include "logs/format.h"
#include "logs/registry.h"

namespace inquest {

// Builds a format; InvalidArgument when the regex does not compile, has no `time` group, or the
// time format is unknown.
Result<std::unique_ptr<LogFormat>> NewUserFormat(std::string name, std::string_view regex,
                                                 std::string_view time_format,
                                                 std::string description = {});

// Parses a time with a strftime-style pattern: %Y %y %m %d %e %H %M %S %f (fraction) %b/%h
// (month name) %a/%A (weekday name, not checked) %z (offset or Z) %Z (UTC/GMT/Z) %s (epoch
// seconds) %j-free; %T = %H:%M:%S, %F = %Y-%m-%d, %% a literal '%'; a space matches any run of
// spaces and tabs. The whole of `s` must match.
bool ParseWithStrftime(std::string_view s, std::string_view pattern, const TimeContext& ctx,
                       ParsedTime* out);

// Applies the [fields] and [formats.*] sections of a config to a registry and field table
// (either may be null). Errors name the config file and the section.
Status ApplyLogsConfig(const Config& config, FormatRegistry* registry, FieldNames* fields);

}  // namespace inquest

#endif  // INQUEST_LOGS_USER_FORMAT_H_
