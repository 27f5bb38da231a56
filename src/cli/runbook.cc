// inquest runbook: placeholder until the command's library lands.
#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunRunbook(int argc, char** argv) {
  return Fail("runbook", Status::Internal("not available in this build"));
}

}  // namespace inquest::cli
