// inquest trace: placeholder until the command's library lands.
#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunTrace(int argc, char** argv) {
  return Fail("trace", Status::Internal("not available in this build"));
}

}  // namespace inquest::cli
