// The JVM's dump readers: thread dumps (jstack, jcmd Thread.print, SIGQUIT output, jcmd
// Thread.dump_to_file JSON) with the wait-for graph and deadlock cycles, and hs_err_pid crash
// logs. dumps/readers.cc lists them with the other runtimes' readers.
//
// Several thread dumps of one JVM (one file holding several, or several files) are analysed
// as a series: AnalyzeJavaThreadDumpFiles takes the files in time order.
#ifndef INQUEST_DUMPS_JAVA_JAVA_READERS_H_
#define INQUEST_DUMPS_JAVA_JAVA_READERS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dumps/dump.h"

namespace inquest {

DumpReader JavaThreadDumpReader();
DumpReader HsErrReader();

// One analysis over the thread dumps of several files (path, whole bytes), in the order given
// (time order). BadInput when no file holds a thread dump.
Result<DumpAnalysis> AnalyzeJavaThreadDumpFiles(
    const std::vector<std::pair<std::string, std::string_view>>& files, const DumpOptions& options);

}  // namespace inquest

#endif  // INQUEST_DUMPS_JAVA_JAVA_READERS_H_
