// A small CPython process image built in memory for one PythonLayout: _PyRuntime, one
// interpreter, thread states with frames (PyFrameObjects to 3.10), code objects, strings and
// line tables placed as the layout says. The walker's tests read it through ReadMemoryFn; the fuzz
// target corrupts it.
//
//   PythonImage img(*FindPythonLayout(3, 11));
//   uint64_t code = img.Code("handle", "Server.handle", "/srv/app.py", 10, {{3, 2}});
//   img.Thread(0x7f00, 42, {img.Frame(code, 1)});
//   RuntimeView v = ReadPythonThreads(img.layout(), img.runtime(), img.Reader());
#ifndef INQUEST_TESTS_SUPPORT_PYTHON_IMAGE_H_
#define INQUEST_TESTS_SUPPORT_PYTHON_IMAGE_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "native/python_core.h"
#include "native/python_debug_offsets.h"
#include "native/python_layouts.h"

namespace inquest {

class PythonImage {
 public:
  static constexpr uint64_t kBase = 0x10000;

  explicit PythonImage(const PythonLayout& layout) : layout_(layout) {
    runtime_ = Alloc(8192);
    interp_ = Alloc(8192);
    Put<uint64_t>(runtime_ + at().runtime_interpreters_head, interp_);
    if (at().interp_gil != kPyNone) {
      gil_ = Alloc(64);
      Put<uint64_t>(interp_ + at().interp_gil, gil_);
    } else {
      gil_ = runtime_ + at().runtime_gil;
    }
  }

  const PythonLayout& layout() const { return layout_; }
  uint64_t runtime() const { return runtime_; }
  uint64_t interp() const { return interp_; }
  std::string& bytes() { return mem_; }

  // A compact str object: ASCII when every character is, else UCS-2 (BMP characters only).
  uint64_t Str(std::u16string_view text) {
    bool ascii = true;
    for (char16_t c : text) ascii &= c < 0x80;
    uint32_t kind = ascii ? 1 : 2;
    uint64_t data_at = ascii ? at().ascii_size : at().compact_size;
    uint64_t obj = Alloc(data_at + kind * (text.size() + 1));
    Put<int64_t>(obj + at().str_length, static_cast<int64_t>(text.size()));
    uint32_t state = (kind << at().str_kind_shift) | at().str_compact_bit;
    if (ascii) state |= at().str_ascii_bit;
    Put<uint32_t>(obj + at().str_state, state);
    for (size_t i = 0; i < text.size(); ++i) {
      if (ascii) {
        Put<uint8_t>(obj + data_at + i, static_cast<uint8_t>(text[i]));
      } else {
        Put<uint16_t>(obj + data_at + 2 * i, static_cast<uint16_t>(text[i]));
      }
    }
    return obj;
  }
  uint64_t Str(std::string_view ascii) { return Str(std::u16string(ascii.begin(), ascii.end())); }

  uint64_t Bytes(std::string_view b) {
    uint64_t obj = Alloc(at().bytes_data + b.size() + 1);
    Put<int64_t>(obj + at().var_size, static_cast<int64_t>(b.size()));
    std::memcpy(&mem_[obj - kBase + at().bytes_data], b.data(), b.size());
    return obj;
  }

  // Whether the layout's frames are PyFrameObjects (3.8 to 3.10).
  bool FrameObjects() const { return at().tstate_frame != kPyNone; }

  // A code object whose line table gives, for each (units, line delta) in `lines`, that many
  // instructions on the line moved by the delta: the layout's own table (no-column entries of
  // the location table; co_lnotab; 3.10's co_linetable). `qualname` and `first_traceable` are
  // left out where the version has no such field.
  uint64_t Code(std::u16string_view name, std::string_view qualname, std::string_view file,
                int first_line, const std::vector<std::pair<int, int>>& lines,
                int first_traceable = 0) {
    std::string table;
    if (at().line_table != kPyLocations) {
      for (auto [units, delta] : lines) {
        if (at().line_table == kPyLnotab) {  // the line moves where the bytes start
          table.push_back(0);
          table.push_back(static_cast<char>(delta));
          table.push_back(static_cast<char>(2 * units));
          table.push_back(0);
        } else {  // a range of bytes and its line
          table.push_back(static_cast<char>(2 * units));
          table.push_back(static_cast<char>(delta));
        }
      }
      uint64_t code = Alloc(512);
      Put<uint64_t>(code + at().code_name, Str(name));
      Put<uint64_t>(code + at().code_filename, Str(file));
      Put<uint64_t>(code + at().code_linetable, Bytes(table));
      Put<int32_t>(code + at().code_firstlineno, first_line);
      return code;
    }
    for (auto [units, delta] : lines) {
      table.push_back(static_cast<char>(0x80 | (13 << 3) | (units - 1)));
      uint32_t v =
          delta < 0 ? (static_cast<uint32_t>(-delta) << 1) | 1 : static_cast<uint32_t>(delta) << 1;
      do {
        uint8_t b = v & 63;
        v >>= 6;
        if (v) b |= 64;
        table.push_back(static_cast<char>(b));
      } while (v);
    }
    uint64_t code = Alloc(at().code_adaptive + 256);
    Put<uint64_t>(code + at().code_name, Str(name));
    Put<uint64_t>(code + at().code_qualname, Str(qualname));
    Put<uint64_t>(code + at().code_filename, Str(file));
    Put<uint64_t>(code + at().code_linetable, Bytes(table));
    Put<int32_t>(code + at().code_firstlineno, first_line);
    Put<int32_t>(code + at().code_firsttraceable, first_traceable);
    return code;
  }

  // A frame of `code` at instruction `unit` (0-based), owned by the thread unless `owner` (3.11
  // on).
  uint64_t Frame(uint64_t code, int unit, uint8_t owner = 0) {
    uint64_t f = Alloc(128);
    if (FrameObjects()) {
      Put<uint64_t>(f + at().pyframe_code, code);
      Put<int32_t>(f + at().pyframe_lasti, static_cast<int32_t>(2 * unit / at().lasti_unit));
      return f;
    }
    Put<uint64_t>(f + at().frame_code, code);
    Put<uint64_t>(f + at().frame_instr, code + at().code_adaptive + 2 * unit);
    Put<uint8_t>(f + at().frame_owner, owner);
    return f;
  }

  // A thread state running `frames` (innermost first), prepended to the interpreter's list
  // as CPython does.
  uint64_t Thread(uint64_t id, uint64_t lwp, const std::vector<uint64_t>& frames) {
    uint64_t t = Alloc(512);
    Put<uint64_t>(t + at().tstate_thread_id, id);
    if (at().tstate_native_thread_id != kPyNone)
      Put<uint64_t>(t + at().tstate_native_thread_id, lwp);
    for (size_t i = 0; i + 1 < frames.size(); ++i) Link(frames[i], frames[i + 1]);
    uint64_t first = frames.empty() ? 0 : frames[0];
    if (FrameObjects()) {
      Put<uint64_t>(t + at().tstate_frame, first);
    } else if (at().tstate_current_frame != kPyNone) {
      Put<uint64_t>(t + at().tstate_current_frame, first);
    } else {
      uint64_t cframe = Alloc(64);
      Put<uint64_t>(t + at().tstate_cframe, cframe);
      Put<uint64_t>(cframe + at().cframe_current_frame, first);
    }
    uint64_t head = Get<uint64_t>(interp_ + at().interp_threads_head);
    Put<uint64_t>(t + at().tstate_next, head);
    Put<uint64_t>(interp_ + at().interp_threads_head, t);
    return t;
  }

  // 3.13's _Py_DebugOffsets block describing `l`, at the start of the runtime, with `version`
  // (PY_VERSION_HEX).
  void DebugBlock(const PythonLayout& l, uint64_t version = 0x030d00f0) {
    PyDebugOffsets313 d{};
    std::memcpy(d.cookie, kPyDebugCookie, sizeof d.cookie);
    d.version = version;
    const PythonLayout::Offsets& at = l.at;
    d.runtime_interpreters_head = at.runtime_interpreters_head;
    d.interp_next = at.interp_next;
    d.interp_threads_head = at.interp_threads_head;
    d.interp_ceval_gil = at.interp_gil;
    d.interp_gil_runtime_state = 0x100;
    d.interp_gil_holder = 0x100 + at.gil_last_holder;
    d.interp_gil_locked = 0x100 + at.gil_locked;
    d.tstate_next = at.tstate_next;
    d.tstate_thread_id = at.tstate_thread_id;
    d.tstate_native_thread_id = at.tstate_native_thread_id;
    d.tstate_current_frame = at.tstate_current_frame;
    d.frame_previous = at.frame_previous;
    d.frame_executable = at.frame_code;
    d.frame_instr_ptr = at.frame_instr;
    d.frame_owner = at.frame_owner;
    d.code_filename = at.code_filename;
    d.code_name = at.code_name;
    d.code_qualname = at.code_qualname;
    d.code_linetable = at.code_linetable;
    d.code_firstlineno = at.code_firstlineno;
    d.code_adaptive = at.code_adaptive;
    d.unicode_state = at.str_state;
    d.unicode_length = at.str_length;
    d.unicode_asciiobject_size = at.ascii_size;
    d.bytes_ob_size = at.var_size;
    d.bytes_ob_sval = at.bytes_data;
    std::memcpy(&mem_[runtime_ - kBase], &d, sizeof d);
  }

  // Makes `outer` the frame `frame` returns to.
  void Link(uint64_t frame, uint64_t outer) {
    Put<uint64_t>(frame + (FrameObjects() ? at().pyframe_back : at().frame_previous), outer);
  }

  void HoldGil(uint64_t tstate) {
    Put<uint64_t>(gil_ + at().gil_last_holder, tstate);
    Put<int32_t>(gil_ + at().gil_locked, 1);
  }

  template <typename T>
  void Put(uint64_t addr, T v) {
    std::memcpy(&mem_[addr - kBase], &v, sizeof v);
  }
  template <typename T>
  T Get(uint64_t addr) const {
    T v;
    std::memcpy(&v, &mem_[addr - kBase], sizeof v);
    return v;
  }

  ReadMemoryFn Reader() const {
    return [this](uint64_t addr, void* out, size_t len) {
      if (addr < kBase || addr - kBase > mem_.size() || len > mem_.size() - (addr - kBase))
        return false;
      std::memcpy(out, mem_.data() + (addr - kBase), len);
      return true;
    };
  }

 private:
  const PythonLayout::Offsets& at() const { return layout_.at; }
  uint64_t Alloc(size_t n) {
    uint64_t addr = kBase + mem_.size();
    mem_.resize(mem_.size() + ((n + 15) & ~size_t{15}), '\0');
    return addr;
  }
  const PythonLayout& layout_;
  std::string mem_;
  uint64_t runtime_ = 0, interp_ = 0, gil_ = 0;
};

}  // namespace inquest

#endif  // INQUEST_TESTS_SUPPORT_PYTHON_IMAGE_H_
