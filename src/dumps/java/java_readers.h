// The JVM's dump readers: thread dumps (jstack, jcmd Thread.print, SIGQUIT output, jcmd
// Thread.dump_to_file JSON) with the wait-for graph and deadlock cycles, and hs_err_pid crash
// logs. dumps/readers.cc lists them with the other runtimes' readers.
#ifndef INQUEST_DUMPS_JAVA_JAVA_READERS_H_
#define INQUEST_DUMPS_JAVA_JAVA_READERS_H_

#include "dumps/dump.h"

namespace inquest {

DumpReader JavaThreadDumpReader();
DumpReader HsErrReader();

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_JAVA_READERS_H_
