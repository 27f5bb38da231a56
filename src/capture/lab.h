// The drill scenarios under lab/ (the lab convention of DESIGN.md): each folder with an
// executable `run` is a scenario; `run OUTDIR` writes the evidence and scenario.json into
// OUTDIR, and the folder's README.md is the worked transcript.
#ifndef INQUEST_CAPTURE_LAB_H_
#define INQUEST_CAPTURE_LAB_H_

#include <string>
#include <vector>

#include "base/status.h"

namespace inquest {

struct LabScenario {
  std::string name;   // the folder's name: "native-billing-null"
  std::string dir;    // its path
  std::string title;  // the README's first heading, without '#'
};

// The lab folder: $INQUEST_LAB_DIR when set, else `lab/` in the source tree the binary was
// built in (the binary's folder's parent, as for build-*/inquest), else `lab/` in the current
// folder. NotFound naming the places tried.
Result<std::string> FindLabDir();

// Every scenario of `lab_dir`, by name. Folders without an executable `run` (shared files)
// are not scenarios.
std::vector<LabScenario> ListScenarios(const std::string& lab_dir);

}  // namespace inquest

#endif  // INQUEST_CAPTURE_LAB_H_
