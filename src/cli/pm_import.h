// inquest pm import: defined in pm_import.cc, dispatched from `inquest pm` (pm.cc).
#ifndef INQUEST_CLI_PM_IMPORT_H_
#define INQUEST_CLI_PM_IMPORT_H_

namespace inquest::cli {

int RunPmImport(int argc, char** argv);

}  // namespace inquest::cli

#endif  // INQUEST_CLI_PM_IMPORT_H_
