// The threads of a Python process as faulthandler (on a fatal signal, a dump_traceback_later
// timeout or a registered signal) or `py-spy dump` (text, --locals, --json) wrote them.
//
//   DumpIssues issues;
//   PyDump dump = ReadPythonDump(bytes, &issues);   // kind says which writer it was
//   for (const PyThread& t : dump.threads) ...
#ifndef INQUEST_DUMPS_PYTHON_PYTHON_DUMP_H_
#define INQUEST_DUMPS_PYTHON_PYTHON_DUMP_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dumps/dump_issues.h"

namespace inquest {

struct PyFrame {
  std::string func;  // "wait", "<module>"
  std::string file;
  uint32_t line = 0;
  uint64_t dump_line = 0;
  // py-spy --locals: "Arguments:" and "Locals:" as name/value pairs (arguments first).
  std::vector<std::pair<std::string, std::string>> locals;
};

struct PyThread {
  std::string id;             // "0x00007f5d7a1b7740" or "12345" as written
  std::string name;           // "MainThread" (py-spy, and faulthandler where it says)
  bool current = false;       // faulthandler's "Current thread"
  bool active = false;        // py-spy: running (not idle)
  bool gil = false;           // py-spy: holds the GIL
  bool status_known = false;  // py-spy said idle/active
  bool truncated = false;     // faulthandler printed "..." (more frames than it shows)
  bool no_python_frame = false;
  uint64_t header_line = 0;
  std::vector<PyFrame> frames;  // most recent call first
};

enum class PyDumpKind : uint8_t { kFaulthandler, kPySpy, kPySpyJson };

struct PyDump {
  PyDumpKind kind = PyDumpKind::kFaulthandler;
  std::string fatal_error;  // "Segmentation fault" (faulthandler's "Fatal Python error: ...")
  uint64_t fatal_line = 0;
  std::string timeout;  // "0:00:05" (dump_traceback_later's "Timeout (0:00:05)!")
  uint64_t timeout_line = 0;
  std::string process;  // py-spy: "12345: python3 app.py"
  std::string python;   // py-spy: "v3.11.2 (/usr/bin/python3.11)"
  std::vector<PyThread> threads;
};

// Reads any of the three forms; problems go to *issues with their line (for JSON: its byte
// offset as line 0 plus the message). Never fails: an unreadable file yields no threads.
PyDump ReadPythonDump(std::string_view bytes, DumpIssues* issues);

// "app.py:12"-style location of a frame.
std::string PyWhere(const PyFrame& f);

}  // namespace inquest

#endif  // INQUEST_DUMPS_PYTHON_PYTHON_DUMP_H_
