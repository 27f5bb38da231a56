// inquest metrics: placeholder until the command's library lands.
#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunMetrics(int argc, char** argv) {
  return Fail("metrics", Status::Internal("not available in this build"));
}

}  // namespace inquest::cli
