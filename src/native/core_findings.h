// A crash as findings for `inquest analyze`: a core from an incident bundle, analysed with the
// bundle's executables, becomes a "crash" finding (signal, fault, crashing frame) and, when the
// walk concludes, a "crash-origin" finding, both at the time the core was written.
//
//   std::vector<Finding> f = CoreFindings("incident/core.1234", {"incident/bin/billing"});
//   // f[0].kind == "crash", f[0].title == "billing crashed with SIGSEGV in apply_refund ..."
#ifndef INQUEST_NATIVE_CORE_FINDINGS_H_
#define INQUEST_NATIVE_CORE_FINDINGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "evidence/finding.h"
#include "native/core_analysis.h"

namespace inquest {

// 0..1: how sure `head` (a file's first bytes) is an ELF core (evidence/sniff probe).
double ProbeCore(std::string_view head);

// The executable among `executables` that belongs to the core: the one whose build-id the
// core's main module carries, else the one named like the crashed command; empty when none.
std::string PickExecutable(const std::string& core_path,
                           const std::vector<std::string>& executables);

// Never fails: a core that cannot be read gives one "core-unreadable" warning finding with the
// reason. `options.search.exe` is set from PickExecutable when empty. With `report`, the
// analysed core is left there too (untouched when it could not be read).
std::vector<Finding> CoreFindings(const std::string& core_path,
                                  const std::vector<std::string>& executables,
                                  CoreOptions options = {}, CoreReport* report = nullptr);

// The findings of an analysed core (what CoreFindings adds after the analysis).
std::vector<Finding> FindingsFromReport(const CoreReport& report);

}  // namespace inquest

#endif  // INQUEST_NATIVE_CORE_FINDINGS_H_
