// inquest capture: placeholder until the command's library lands.
#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunCapture(int argc, char** argv) {
  return Fail("capture", Status::Internal("not available in this build"));
}

}  // namespace inquest::cli
