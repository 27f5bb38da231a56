// inquest pm: placeholder until the command's library lands.
#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunPm(int argc, char** argv) {
  return Fail("pm", Status::Internal("not available in this build"));
}

}  // namespace inquest::cli
