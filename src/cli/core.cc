// inquest core: placeholder until the command's library lands.
#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunCore(int argc, char** argv) {
  return Fail("core", Status::Internal("not available in this build"));
}

}  // namespace inquest::cli
