// inquest symbolize: placeholder until the command's library lands.
#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunSymbolize(int argc, char** argv) {
  return Fail("symbolize", Status::Internal("not available in this build"));
}

}  // namespace inquest::cli
