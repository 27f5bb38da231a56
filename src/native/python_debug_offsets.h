// CPython 3.13's description of itself: the _Py_DebugOffsets block at the start of _PyRuntime
// ("xdebugpy", the version, then the offsets of the runtime, interpreter, thread state, frame,
// code and string fields out-of-process debuggers need), filled in by the interpreter that
// ran. Read from the core, it gives the layout of that very build (a debug build, a
// free-threaded one) where the table row (python_layouts.h) gives the default build's.
//
// The block's own layout is 3.13's: a later release that changed it (3.14 added fields) is not
// read through it. The compact-string size and _co_firsttraceable, which the block does not
// carry, keep the row's distances from fields it does (asciiobject_size, co_code_adaptive); the
// rest it does not carry (frame owner values, string bits, is_entry) keep the row's values.
//
//   std::string why;
//   std::optional<PythonLayout> l = LayoutFromDebugOffsets(*FindPythonLayout(3, 13),
//                                                          runtime, read, &why);
#ifndef INQUEST_NATIVE_PYTHON_DEBUG_OFFSETS_H_
#define INQUEST_NATIVE_PYTHON_DEBUG_OFFSETS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "native/python_layouts.h"
#include "native/runtime_memory.h"

namespace inquest {

inline constexpr char kPyDebugCookie[8] = {'x', 'd', 'e', 'b', 'u', 'g', 'p', 'y'};

// 3.13's _Py_DebugOffsets, the fields read here in their order (each a uint64_t).
struct PyDebugOffsets313 {
  char cookie[8];
  uint64_t version, free_threaded;
  uint64_t runtime_size, runtime_finalizing, runtime_interpreters_head;
  uint64_t interp_size, interp_id, interp_next, interp_threads_head, interp_gc,
      interp_imports_modules, interp_sysdict, interp_builtins, interp_ceval_gil,
      interp_gil_runtime_state, interp_gil_enabled, interp_gil_locked, interp_gil_holder;
  uint64_t tstate_size, tstate_prev, tstate_next, tstate_interp, tstate_current_frame,
      tstate_thread_id, tstate_native_thread_id, tstate_datastack_chunk, tstate_status;
  uint64_t frame_size, frame_previous, frame_executable, frame_instr_ptr, frame_localsplus,
      frame_owner;
  uint64_t code_size, code_filename, code_name, code_qualname, code_linetable, code_firstlineno,
      code_argcount, code_localsplusnames, code_localspluskinds, code_adaptive;
  uint64_t pyobject_size, pyobject_ob_type;
  uint64_t type_size, type_tp_name, type_tp_repr, type_tp_flags;
  uint64_t tuple_size, tuple_ob_item, tuple_ob_size;
  uint64_t list_size, list_ob_item, list_ob_size;
  uint64_t dict_size, dict_ma_keys, dict_ma_values;
  uint64_t float_size, float_ob_fval;
  uint64_t long_size, long_lv_tag, long_ob_digit;
  uint64_t bytes_size, bytes_ob_size, bytes_ob_sval;
  uint64_t unicode_size, unicode_state, unicode_length, unicode_asciiobject_size;
  uint64_t gc_size, gc_collecting;
};

// `row` with the offsets the block at `runtime` gives, or nullopt with `why` (no block, another
// version's block, offsets out of range).
std::optional<PythonLayout> LayoutFromDebugOffsets(const PythonLayout& row, uint64_t runtime,
                                                   const ReadMemoryFn& read, std::string* why);

}  // namespace inquest

#endif  // INQUEST_NATIVE_PYTHON_DEBUG_OFFSETS_H_
