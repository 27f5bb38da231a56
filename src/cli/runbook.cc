// inquest runbook: the crash and dump capture configuration for a runtime, ready to paste.
#include "capture/runbook.h"

#include <fmt/format.h>

#include <string>

#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunRunbook(int argc, char** argv) {
  CLI::App app("print the crash and dump capture configuration for go, java, python or native",
               "runbook");
  std::string runtime;
  std::string dump_dir(kDefaultDumpDir);
  app.add_option("runtime", runtime, "go, java, python or native")->required();
  app.add_option("--dump-dir", dump_dir, "where dumps and cores go (/var/dumps)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  Result<std::string> text = Runbook(runtime, dump_dir);
  if (!text.ok()) return Fail("runbook", text.status());
  fmt::print("{}", *text);
  return 0;
}

}  // namespace inquest::cli
