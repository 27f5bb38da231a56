// The Python dump reader of `inquest dump`: faulthandler output, `py-spy dump` text and its
// --json, grouped by stack, with the GIL holder named.
#ifndef INQUEST_DUMPS_PYTHON_PYTHON_READER_H_
#define INQUEST_DUMPS_PYTHON_PYTHON_READER_H_

#include <string_view>

#include "dumps/dump.h"

namespace inquest {

DumpReader PythonDumpReader();

// 0..1: how sure we are that `head` starts a faulthandler or py-spy dump.
double ProbePythonDump(std::string_view head);

}  // namespace inquest

#endif  // INQUEST_DUMPS_PYTHON_PYTHON_READER_H_
