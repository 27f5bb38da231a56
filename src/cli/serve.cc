// inquest serve: placeholder until the command's library lands.
#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunServe(int argc, char** argv) {
  return Fail("serve", Status::Internal("not available in this build"));
}

}  // namespace inquest::cli
