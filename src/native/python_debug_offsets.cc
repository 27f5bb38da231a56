#include "native/python_debug_offsets.h"

#include <fmt/format.h>

#include <cstring>

namespace inquest {
namespace {

// A structure offset the layout keeps as 32 bits, refused when implausible (a damaged block).
bool Fits(uint64_t v) { return v < (1u << 20); }

}  // namespace

std::optional<PythonLayout> LayoutFromDebugOffsets(const PythonLayout& row, uint64_t runtime,
                                                   const ReadMemoryFn& read, std::string* why) {
  PyDebugOffsets313 d;
  if (!read(runtime, &d, sizeof d)) {
    *why = "the _Py_DebugOffsets block is not in the core";
    return std::nullopt;
  }
  if (std::memcmp(d.cookie, kPyDebugCookie, sizeof kPyDebugCookie) != 0) {
    *why = "_PyRuntime does not start with the _Py_DebugOffsets cookie";
    return std::nullopt;
  }
  int major = static_cast<int>(d.version >> 24 & 0xff),
      minor = static_cast<int>(d.version >> 16 & 0xff);
  if (major != 3 || minor != 13) {
    *why = fmt::format(
        "its _Py_DebugOffsets block is of CPython {}.{}, whose block layout is not 3.13's", major,
        minor);
    return std::nullopt;
  }
  uint64_t holder = d.interp_gil_holder - d.interp_gil_runtime_state;
  uint64_t locked = d.interp_gil_locked - d.interp_gil_runtime_state;
  const uint64_t fields[] = {d.runtime_interpreters_head,
                             d.interp_next,
                             d.interp_threads_head,
                             d.interp_ceval_gil,
                             holder,
                             locked,
                             d.tstate_next,
                             d.tstate_thread_id,
                             d.tstate_native_thread_id,
                             d.tstate_current_frame,
                             d.frame_previous,
                             d.frame_executable,
                             d.frame_instr_ptr,
                             d.frame_owner,
                             d.code_filename,
                             d.code_name,
                             d.code_qualname,
                             d.code_linetable,
                             d.code_firstlineno,
                             d.code_adaptive,
                             d.unicode_state,
                             d.unicode_length,
                             d.unicode_asciiobject_size,
                             d.bytes_ob_size,
                             d.bytes_ob_sval};
  for (uint64_t f : fields) {
    if (!Fits(f)) {
      *why = "its _Py_DebugOffsets block holds an offset out of range (damaged)";
      return std::nullopt;
    }
  }
  PythonLayout l = row;
  PythonLayout::Offsets& at = l.at;
  at.runtime_interpreters_head = d.runtime_interpreters_head;
  at.interp_next = d.interp_next;
  at.interp_threads_head = d.interp_threads_head;
  at.interp_gil = d.interp_ceval_gil;
  at.gil_last_holder = holder;
  at.gil_locked = locked;
  at.tstate_next = d.tstate_next;
  at.tstate_thread_id = d.tstate_thread_id;
  at.tstate_native_thread_id = d.tstate_native_thread_id;
  at.tstate_current_frame = d.tstate_current_frame;
  at.frame_previous = d.frame_previous;
  at.frame_code = d.frame_executable;
  at.frame_instr = d.frame_instr_ptr;
  at.frame_owner = d.frame_owner;
  at.code_filename = d.code_filename;
  at.code_name = d.code_name;
  at.code_qualname = d.code_qualname;
  at.code_linetable = d.code_linetable;
  at.code_firstlineno = d.code_firstlineno;
  at.code_adaptive = d.code_adaptive;
  at.str_state = d.unicode_state;
  at.str_length = d.unicode_length;
  at.ascii_size = d.unicode_asciiobject_size;
  // Not in the block, but fixed distances from fields that are: a non-ASCII compact string's
  // text follows PyCompactUnicodeObject (PyASCIIObject plus two words), and _co_firsttraceable
  // sits just before the instructions. A build with a larger object header moves them along.
  at.compact_size =
      static_cast<uint32_t>(d.unicode_asciiobject_size + (row.at.compact_size - row.at.ascii_size));
  at.code_firsttraceable =
      static_cast<uint32_t>(d.code_adaptive - (row.at.code_adaptive - row.at.code_firsttraceable));
  at.var_size = d.bytes_ob_size;
  at.bytes_data = d.bytes_ob_sval;
  l.source = d.free_threaded ? "_Py_DebugOffsets block of the process (a free-threaded build)"
                             : "_Py_DebugOffsets block of the process";
  return l;
}

}  // namespace inquest
