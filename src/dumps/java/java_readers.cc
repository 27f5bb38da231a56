// Placeholder readers until the JVM readers land: they claim no file.
#include "dumps/java/java_readers.h"

namespace inquest {

DumpReader JavaThreadDumpReader() {
  return {"java-threads", "Java thread dump", [](std::string_view) { return 0.0; },
          [](std::string_view, std::string_view, const DumpOptions&) -> Result<DumpAnalysis> {
            return Status::Unsupported("Java thread dumps are not read by this build");
          }};
}

DumpReader HsErrReader() {
  return {"hs-err", "JVM fatal error log (hs_err_pid)", [](std::string_view) { return 0.0; },
          [](std::string_view, std::string_view, const DumpOptions&) -> Result<DumpAnalysis> {
            return Status::Unsupported("hs_err logs are not read by this build");
          }};
}

}  // namespace inquest
