// What the threads of a Python dump wait for: each group of identical stacks matched against
// the wait-site table (dumps/wait_sites.h) by module-qualified frame names
// ("psycopg2.pool.getconn", "queue.get"), counted with the program's frame that called in.
#ifndef INQUEST_DUMPS_PYTHON_PYTHON_WAITS_H_
#define INQUEST_DUMPS_PYTHON_PYTHON_WAITS_H_

#include <string>
#include <string_view>
#include <vector>

#include "dumps/python/python_dump.h"
#include "dumps/wait_report.h"

namespace inquest {

// "sqlalchemy.pool.impl._do_get" for func "_do_get" in
// ".../site-packages/sqlalchemy/pool/impl.py": the module path below site-packages,
// dist-packages or lib/pythonX.Y, else the file's base name, plus the function.
std::string PyQualifiedName(const PyFrame& f);

// CPython's own library rather than the program or its packages.
bool IsPyStdlibFile(std::string_view file);

// The wait sites of the dump; `groups` are lists of indexes into dump.threads (identical
// stacks), and *group_sites receives the site each group matched (null for none).
std::vector<WaitSiteCount> TallyPythonWaits(const PyDump& dump, const std::string& path,
                                            const std::vector<std::vector<size_t>>& groups,
                                            const WaitSiteTable& table,
                                            std::vector<const WaitSite*>* group_sites);

}  // namespace inquest

#endif  // INQUEST_DUMPS_PYTHON_PYTHON_WAITS_H_
