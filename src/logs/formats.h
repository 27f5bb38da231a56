// Factories of the built-in log formats, one .cc file each. FormatRegistry registers them in
// the order below (most specific first); tests and fuzzers may build a single one.
#ifndef INQUEST_LOGS_FORMATS_H_
#define INQUEST_LOGS_FORMATS_H_

#include <memory>

#include "logs/format.h"

namespace inquest {

// Structured formats.
std::unique_ptr<LogFormat> NewOtlpLogsFormat();   // otlp_logs.cc: {"resourceLogs":[...]}
std::unique_ptr<LogFormat> NewJsonLinesFormat();  // json_lines.cc: one JSON object per line
std::unique_ptr<LogFormat> NewLogfmtFormat();     // logfmt.cc: key=value key="quoted value"

// Text formats with a fixed grammar.
std::unique_ptr<LogFormat> NewSyslogRfc5424Format();  // <PRI>1 TIMESTAMP HOST APP PROCID ...
std::unique_ptr<LogFormat> NewSyslogRfc3164Format();  // [<PRI>]Mmm dd HH:MM:SS host prog[pid]:
std::unique_ptr<LogFormat> NewAccessLogFormat();      // Apache/nginx common and combined
std::unique_ptr<LogFormat> NewApacheErrorFormat();    // [Sun Dec 04 04:47:44 2005] [notice]
std::unique_ptr<LogFormat> NewOpenStackFormat();      // nova-api.log.1... 2017-05-16 ... [req-
std::unique_ptr<LogFormat> NewHdfsFormat();           // 081109 203615 148 INFO dfs.X: msg
std::unique_ptr<LogFormat> NewSparkFormat();          // 17/06/09 20:10:40 INFO x.Y: msg
std::unique_ptr<LogFormat> NewZookeeperFormat();      // date - INFO  [thread:Cls@12] - msg
std::unique_ptr<LogFormat> NewHadoopFormat();         // date INFO [thread] logger: msg
std::unique_ptr<LogFormat> NewLog4jFormat();          // date LEVEL [thread] logger - msg

// The fallback: any line that starts with a known timestamp, optionally a level word.
std::unique_ptr<LogFormat> NewTimestampPrefixFormat();  // timestamp_prefix.cc

}  // namespace inquest

#endif  // INQUEST_LOGS_FORMATS_H_
