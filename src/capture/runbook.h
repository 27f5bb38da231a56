// The capture configuration the primer teaches, per runtime, adapted to a dump folder: what
// `inquest runbook go|java|python|native [--dump-dir DIR]` prints.
#ifndef INQUEST_CAPTURE_RUNBOOK_H_
#define INQUEST_CAPTURE_RUNBOOK_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace inquest {

// Where dumps go when no folder is given (the primer's choice).
inline constexpr std::string_view kDefaultDumpDir = "/var/dumps";

// The runtimes a runbook exists for: "go", "java", "python", "native".
const std::vector<std::string_view>& RunbookRuntimes();

// The runbook for `runtime` with `dump_dir` filled in. InvalidArgument for an unknown runtime
// (with a did-you-mean) or a dump folder that is not an absolute path (a relative one would
// land wherever each service happens to run).
Result<std::string> Runbook(std::string_view runtime, std::string_view dump_dir);

}  // namespace inquest

#endif  // INQUEST_CAPTURE_RUNBOOK_H_
