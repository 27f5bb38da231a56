// Where CPython keeps what `inquest core` reads of a dead interpreter, per minor version: the
// offsets of the runtime's interpreter list, each interpreter's thread list, each thread
// state's frame, each frame's code object and instruction pointer, and the code object's
// names, file and location table. The rows (python_layouts.inc) are measured with offsetof()
// on each version's own headers by scripts/python-layouts, which names the releases it read;
// within a minor version these structures do not move.
//
// Versions: 3.8 to 3.10 (frames are PyFrameObjects: f_back, f_code, f_lasti; lines from
// co_lnotab, or 3.10's co_linetable; the thread state has no native thread id, so the LWP is
// joined by the pthread id) and 3.11 to 3.13 (the frame model of _PyInterpreterFrame and the
// location table). Older versions have no row: such a core is reported as a Python version
// inquest cannot read, with the version named.
//
//   const PythonLayout* l = FindPythonLayout(3, 12);   // null: not a known version
#ifndef INQUEST_NATIVE_PYTHON_LAYOUTS_H_
#define INQUEST_NATIVE_PYTHON_LAYOUTS_H_

#include <cstdint>
#include <span>
#include <string_view>

namespace inquest {

// A field a version does not have.
inline constexpr uint32_t kPyNone = 0xffffffffu;

// The line tables of code objects: 3.11's location table, co_lnotab (to 3.9: pairs of byte and
// line increments) and 3.10's co_linetable (pairs of byte and line deltas, -128: no line).
inline constexpr uint32_t kPyLocations = 0;
inline constexpr uint32_t kPyLnotab = 1;
inline constexpr uint32_t kPyLinetable310 = 2;

struct PythonLayout {
  int major = 0, minor = 0;
  std::string_view source;  // the headers the row was measured on
  struct Offsets {
    uint32_t runtime_interpreters_head;  // _PyRuntimeState.interpreters.head
    uint32_t interp_next;                // PyInterpreterState.next
    uint32_t interp_threads_head;        // PyInterpreterState.threads.head
    uint32_t runtime_gil;                // _PyRuntimeState.ceval.gil (the struct itself; to 3.11)
    uint32_t interp_gil;                 // PyInterpreterState.ceval.gil (a pointer; 3.12 on)
    uint32_t gil_last_holder;            // _gil_runtime_state.last_holder (a thread state)
    uint32_t gil_locked;                 // _gil_runtime_state.locked (an int)
    uint32_t tstate_next;                // PyThreadState.next
    uint32_t tstate_thread_id;           // PyThreadState.thread_id (pthread_t)
    uint32_t tstate_native_thread_id;    // PyThreadState.native_thread_id (the LWP)
    uint32_t tstate_cframe;              // PyThreadState.cframe (to 3.12)
    uint32_t cframe_current_frame;       // _PyCFrame.current_frame (to 3.12)
    uint32_t tstate_current_frame;       // PyThreadState.current_frame (3.13 on)
    uint32_t frame_code;                 // _PyInterpreterFrame.f_code / f_executable
    uint32_t frame_instr;                // .prev_instr (to 3.12) / .instr_ptr (3.13 on)
    uint32_t frame_previous;             // .previous
    uint32_t frame_owner;                // .owner (one byte)
    uint32_t owned_by_generator;         // FRAME_OWNED_BY_GENERATOR
    uint32_t owned_by_cstack;            // FRAME_OWNED_BY_CSTACK (a shim frame; 3.12 on)
    uint32_t code_filename;              // PyCodeObject.co_filename
    uint32_t code_name;                  // .co_name
    uint32_t code_qualname;              // .co_qualname
    uint32_t code_linetable;             // .co_linetable (bytes)
    uint32_t code_firstlineno;           // .co_firstlineno (int)
    uint32_t code_firsttraceable;        // ._co_firsttraceable (int)
    uint32_t code_adaptive;              // .co_code_adaptive (the instructions)
    uint32_t str_length;                 // PyASCIIObject.length
    uint32_t str_state;                  // PyASCIIObject.state (a 32-bit bit field)
    uint32_t str_kind_mask;              // its kind bits
    uint32_t str_kind_shift;
    uint32_t str_compact_bit;
    uint32_t str_ascii_bit;
    uint32_t ascii_size;    // sizeof(PyASCIIObject): a compact ASCII string's text follows
    uint32_t compact_size;  // sizeof(PyCompactUnicodeObject): another compact string's text
    uint32_t var_size;      // PyVarObject.ob_size
    uint32_t bytes_data;    // PyBytesObject.ob_sval
    // _PyInterpreterFrame.is_entry (one byte, 3.11): the outermost frame one call of the eval
    // loop runs. From 3.12 a shim frame (owned_by_cstack) sits below that frame instead.
    uint32_t frame_is_entry;
    // 3.8 to 3.10: PyThreadState.frame, and the PyFrameObject's f_back, f_code and f_lasti
    // (an int); kPyNone from 3.11.
    uint32_t tstate_frame;
    uint32_t pyframe_back;
    uint32_t pyframe_code;
    uint32_t pyframe_lasti;
    uint32_t line_table;  // code_linetable's format: kPyLocations, kPyLnotab or kPyLinetable310
    uint32_t lasti_unit;  // bytes per unit of f_lasti (1 to 3.9, 2 in 3.10)
  } at;
};

// Every row, oldest version first.
std::span<const PythonLayout> PythonLayouts();
// The row of `major`.`minor`, or null.
const PythonLayout* FindPythonLayout(int major, int minor);

}  // namespace inquest

#endif  // INQUEST_NATIVE_PYTHON_LAYOUTS_H_
