// inquest lab: placeholder until the command's library lands.
#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunLab(int argc, char** argv) {
  return Fail("lab", Status::Internal("not available in this build"));
}

}  // namespace inquest::cli
