// inquest actions: placeholder until the command's library lands.
#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunActions(int argc, char** argv) {
  return Fail("actions", Status::Internal("not available in this build"));
}

}  // namespace inquest::cli
