// inquest dump: placeholder until the command's library lands.
#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunDump(int argc, char** argv) {
  return Fail("dump", Status::Internal("not available in this build"));
}

}  // namespace inquest::cli
