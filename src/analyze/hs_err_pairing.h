// The JVM's fatal error log of the crash a core comes from. A JVM that dies of a signal writes
// hs_err_pid<N>.log (the real signal, the problematic frame, the Java frames of the crashing
// thread) and then aborts, so its core shows SIGABRT in os::abort; the log says what happened.
// It is paired with the core when it sits beside it, was written within kHsErrPairingWindow of
// the core, and the core is not a snapshot (gcore): hs_err_pid<the core's pid>.log whose own
// header names that pid, else the only hs_err log in that folder (a process in a container sees
// another pid than the kernel writes in the core).
//
//   std::optional<std::string> log = HsErrBeside(report);
//   std::vector<std::string> lines = HsErrVerdictLines(*log);   // "critical jvm-crash-jni: ..."
#ifndef INQUEST_ANALYZE_HS_ERR_PAIRING_H_
#define INQUEST_ANALYZE_HS_ERR_PAIRING_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "native/core_report.h"

namespace inquest {

inline constexpr std::chrono::minutes kHsErrPairingWindow{10};

// The path of the hs_err log of `report`'s crash beside its core, or nullopt; `why` (when not
// null) says how it was paired.
std::optional<std::string> HsErrBeside(const CoreReport& report, std::string* why = nullptr);

// The hs_err reader's verdicts on the log at `path`, one line each, prefixed with its file name;
// a line saying it could not be read when it cannot.
std::vector<std::string> HsErrVerdictLines(const std::string& path);

}  // namespace inquest

#endif  // INQUEST_ANALYZE_HS_ERR_PAIRING_H_
