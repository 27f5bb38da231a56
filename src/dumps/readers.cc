// Every dump reader, in the order ties between probes are broken: the formats with the most
// distinctive first lines come first.
#include "dumps/gdb/gdb_reader.h"
#include "dumps/go/go_reader.h"
#include "dumps/java/java_readers.h"
#include "dumps/python/python_reader.h"

namespace inquest {

const std::vector<DumpReader>& DumpReaders() {
  static const std::vector<DumpReader> kReaders = {
      GoGoroutineReader(), JavaThreadDumpReader(), HsErrReader(),
      PythonDumpReader(),  GdbTranscriptReader(),
  };
  return kReaders;
}

}  // namespace inquest
