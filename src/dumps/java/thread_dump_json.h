// Reads the JSON thread dump of `jcmd PID Thread.dump_to_file -format=json` (JDK 21+): every
// thread container with its threads (platform and virtual), their stacks and, where the JDK
// writes them (JDK 24+), state, carrier, parkBlocker with its owner, blockedOn, waitingOn and
// monitorsOwned. Parsed with simdjson.
//
//   Result<JavaThreadDump> d = ParseJavaThreadDumpJson(bytes);
#ifndef INQUEST_DUMPS_JAVA_THREAD_DUMP_JSON_H_
#define INQUEST_DUMPS_JAVA_THREAD_DUMP_JSON_H_

#include <string_view>

#include "base/status.h"
#include "dumps/java/thread_dump.h"

namespace inquest {

// BadInput (with the byte offset where simdjson stopped) when `bytes` is not JSON or has no
// "threadDump" object. Lock lines carry line 0: JSON has no line structure to point at.
Result<JavaThreadDump> ParseJavaThreadDumpJson(std::string_view bytes);

// 0..1: whether `head` starts a Thread.dump_to_file JSON document.
double ProbeJavaThreadDumpJson(std::string_view head);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_THREAD_DUMP_JSON_H_
