#include "native/python_core.h"

#include <fmt/format.h>

#include <cstring>
#include <unordered_set>

#include "base/strings.h"
#include "native/module_symbols.h"
#include "native/python_debug_offsets.h"

namespace inquest {
namespace {

using Memory = RuntimeMemory;

// A str object as UTF-8 (compact strings: every name and file name of a code object); false
// when it cannot be read. Longer than kMaxPythonStringBytes characters: cut, with "...".
bool ReadString(const Memory& m, const PythonLayout::Offsets& at, uint64_t obj, std::string* out) {
  int64_t length = 0;
  uint32_t state = 0;
  if (!m.Get(obj + at.str_length, &length) || !m.Get(obj + at.str_state, &state)) return false;
  if (length < 0) return false;
  if ((state & at.str_compact_bit) == 0) return false;  // a legacy string: not in code objects
  uint32_t kind = (state & at.str_kind_mask) >> at.str_kind_shift;
  if (kind != 1 && kind != 2 && kind != 4) return false;
  bool ascii = (state & at.str_ascii_bit) != 0;
  uint64_t data = obj + (ascii ? at.ascii_size : at.compact_size);
  size_t n = static_cast<size_t>(std::min<int64_t>(length, kMaxPythonStringBytes));
  std::string raw(n * kind, '\0');
  if (n > 0 && !m.Bytes(data, raw.data(), raw.size())) return false;
  out->clear();
  for (size_t i = 0; i < n; ++i) {
    uint32_t c = 0;
    std::memcpy(&c, raw.data() + i * kind, kind);  // little-endian
    AppendCodePoint(c, out);
  }
  if (static_cast<size_t>(length) > n) out->append("...");
  return true;
}

// A bytes object's contents, up to `cap` bytes.
bool ReadBytes(const Memory& m, const PythonLayout::Offsets& at, uint64_t obj, size_t cap,
               std::string* out) {
  int64_t size = 0;
  if (!m.Get(obj + at.var_size, &size) || size < 0 || static_cast<uint64_t>(size) > cap)
    return false;
  out->assign(static_cast<size_t>(size), '\0');
  return size == 0 || m.Bytes(obj + at.bytes_data, out->data(), out->size());
}

// The location table's variable-length integers (Objects/locations.md).
struct TableCursor {
  std::string_view t;
  size_t pos = 0;
  bool ok = true;
  uint32_t Byte() {
    if (pos >= t.size()) {
      ok = false;
      return 0;
    }
    return static_cast<uint8_t>(t[pos++]);
  }
  uint64_t Varint() {
    uint32_t b = Byte();
    uint64_t v = b & 63;
    int shift = 0;
    while (ok && (b & 64) && shift < 56) {
      b = Byte();
      shift += 6;
      v |= static_cast<uint64_t>(b & 63) << shift;
    }
    return v;
  }
  int64_t Svarint() {
    uint64_t v = Varint();
    return (v & 1) ? -static_cast<int64_t>(v >> 1) : static_cast<int64_t>(v >> 1);
  }
};

// A frame's function, qualified name (3.11 on), file and line from its code object, at byte
// offset `offset` of the code; false when the code object is not in the core. Names that
// cannot be read are "???".
bool ReadCode(const Memory& m, const PythonLayout::Offsets& at, uint64_t code, int64_t offset,
              RuntimeFrame* f) {
  int32_t first_line = 0;
  uint64_t name = 0, qualname = 0, filename = 0, table = 0;
  if (!m.Get(code + at.code_firstlineno, &first_line) || !m.Pointer(code + at.code_name, &name) ||
      (at.code_qualname != kPyNone && !m.Pointer(code + at.code_qualname, &qualname)) ||
      !m.Pointer(code + at.code_filename, &filename) ||
      !m.Pointer(code + at.code_linetable, &table))
    return false;
  if (!ReadString(m, at, name, &f->function)) f->function = "???";
  if (qualname == 0 || !ReadString(m, at, qualname, &f->qualname)) f->qualname.clear();
  if (!ReadString(m, at, filename, &f->file)) f->file = "???";
  std::string lines;
  if (ReadBytes(m, at, table, kMaxPythonLineTable, &lines)) {
    if (at.line_table == kPyLnotab) {
      f->line = PythonLineOfLnotab(lines, first_line, offset);
    } else if (at.line_table == kPyLinetable310) {
      f->line = PythonLineOfLinetable310(lines, first_line, offset);
    } else {
      f->line = PythonLineOf(lines, first_line, offset);
    }
  }
  return true;
}

// Where a thread's frame walk starts: the innermost frame pointer (a PyFrameObject to 3.10).
bool FirstFrame(const Memory& m, const PythonLayout::Offsets& at, uint64_t tstate,
                uint64_t* frame) {
  if (at.tstate_frame != kPyNone) return m.Pointer(tstate + at.tstate_frame, frame);
  if (at.tstate_current_frame != kPyNone) return m.Pointer(tstate + at.tstate_current_frame, frame);
  uint64_t cframe = 0;
  if (!m.Pointer(tstate + at.tstate_cframe, &cframe)) return false;
  if (cframe == 0) {
    *frame = 0;
    return true;
  }
  return m.Pointer(cframe + at.cframe_current_frame, frame);
}

// Whether a frame walk may read `frame`: under the frame limit and not seen before; else why
// not is said in t->stopped.
bool MayReadFrame(uint64_t frame, std::unordered_set<uint64_t>* seen, RuntimeThread* t) {
  if (t->frames.size() >= kMaxPythonFrames) {
    t->stopped = fmt::format("frame limit {} reached", kMaxPythonFrames);
    return false;
  }
  if (!seen->insert(frame).second) {
    t->stopped = fmt::format("the frame list loops back to 0x{:x}", frame);
    return false;
  }
  return true;
}

// The frames of one thread of 3.8 to 3.10, innermost first: PyFrameObjects linked by f_back,
// each the one frame its call of the eval loop runs (so each ends its own run of frames).
void WalkFrameObjects(const Memory& m, const PythonLayout::Offsets& at, uint64_t tstate,
                      RuntimeThread* t) {
  uint64_t frame = 0;
  if (!FirstFrame(m, at, tstate, &frame)) {
    t->stopped = fmt::format("its frame pointer (thread state 0x{:x}) is not in the core", tstate);
    return;
  }
  std::unordered_set<uint64_t> seen;
  while (frame != 0) {
    if (!MayReadFrame(frame, &seen, t)) return;
    uint64_t code = 0, back = 0;
    int32_t lasti = 0;
    if (!m.Pointer(frame + at.pyframe_code, &code) || !m.Pointer(frame + at.pyframe_back, &back) ||
        !m.Get(frame + at.pyframe_lasti, &lasti)) {
      t->stopped = fmt::format("frame 0x{:x} is not in the core", frame);
      return;
    }
    RuntimeFrame f;
    // f_lasti is -1 before the frame's first instruction: its first line, as CPython says.
    int64_t offset = lasti < 0 ? -1 : int64_t{lasti} * at.lasti_unit;
    if (!ReadCode(m, at, code, offset, &f)) {
      t->stopped = fmt::format("the code object 0x{:x} of a frame is not in the core", code);
      return;
    }
    f.entry = true;
    t->frames.push_back(std::move(f));
    frame = back;
  }
}

// The frames of one thread, innermost first.
void WalkFrames(const Memory& m, const PythonLayout::Offsets& at, uint64_t tstate,
                RuntimeThread* t) {
  uint64_t frame = 0;
  if (!FirstFrame(m, at, tstate, &frame)) {
    t->stopped = fmt::format("its frame pointer (thread state 0x{:x}) is not in the core", tstate);
    return;
  }
  std::unordered_set<uint64_t> seen;
  while (frame != 0) {
    if (!MayReadFrame(frame, &seen, t)) return;
    const uint64_t here = frame;
    uint8_t owner = 0;
    uint64_t code = 0, instr = 0, previous = 0;
    if (!m.Get(frame + at.frame_owner, &owner) || !m.Pointer(frame + at.frame_code, &code) ||
        !m.Pointer(frame + at.frame_instr, &instr) ||
        !m.Pointer(frame + at.frame_previous, &previous)) {
      t->stopped = fmt::format("frame 0x{:x} is not in the core", frame);
      return;
    }
    frame = previous;
    if (owner == at.owned_by_cstack) {  // a shim below the frames of one eval loop call
      if (!t->frames.empty()) t->frames.back().entry = true;
      continue;
    }
    uint8_t is_entry = 0;
    if (at.frame_is_entry != kPyNone && !m.Get(here + at.frame_is_entry, &is_entry)) is_entry = 0;
    int32_t first_traceable = 0;
    if (!m.Get(code + at.code_firsttraceable, &first_traceable)) {
      t->stopped = fmt::format("the code object 0x{:x} of a frame is not in the core", code);
      return;
    }
    uint64_t start = code + at.code_adaptive;
    // Not yet running its own code (the interpreter's tracebacks skip it too).
    if (owner != at.owned_by_generator &&
        instr < start + 2 * static_cast<uint64_t>(std::max(first_traceable, 0))) {
      // An entry frame skipped still ends its call's run of frames.
      if (is_entry && !t->frames.empty()) t->frames.back().entry = true;
      continue;
    }
    RuntimeFrame f;
    if (!ReadCode(m, at, code, static_cast<int64_t>(instr) - static_cast<int64_t>(start), &f)) {
      t->stopped = fmt::format("the code object 0x{:x} of a frame is not in the core", code);
      return;
    }
    t->frames.push_back(std::move(f));
    if (is_entry) t->frames.back().entry = true;
  }
}

// The thread state holding the GIL, or 0.
uint64_t GilHolder(const Memory& m, const PythonLayout::Offsets& at, uint64_t runtime,
                   uint64_t interp) {
  uint64_t gil = 0;
  if (at.runtime_gil != kPyNone) {
    gil = runtime + at.runtime_gil;
  } else if (at.interp_gil == kPyNone || !m.Pointer(interp + at.interp_gil, &gil)) {
    return 0;
  }
  int32_t locked = 0;
  uint64_t holder = 0;
  if (!m.Get(gil + at.gil_locked, &locked) || !m.Pointer(gil + at.gil_last_holder, &holder))
    return 0;
  return locked ? holder : 0;
}

// "3.X" in a module's file name ("libpython3.12.so.1.0", "python3.11"): X, or -1.
int MinorFromName(std::string_view name) {
  size_t slash = name.rfind('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  size_t at = name.find("python3.");
  if (at == std::string_view::npos) return -1;
  int minor = -1;
  for (size_t i = at + 8; i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i)
    minor = (minor < 0 ? 0 : minor * 10) + (name[i] - '0');
  return minor;
}

// The first module whose file name says it is CPython ("python3.X", "libpython3.X"), or "".
std::string PythonModuleNamed(Dwfl* dwfl) {
  std::string found;
  auto visit = [](Dwfl_Module*, void**, const char* name, Dwarf_Addr, void* arg) -> int {
    auto* out = static_cast<std::string*>(arg);
    if (name != nullptr && MinorFromName(name) >= 0) {
      *out = name;
      return DWARF_CB_ABORT;
    }
    return DWARF_CB_OK;
  };
  dwfl_getmodules(dwfl, visit, &found, 0);
  return found;
}

struct FindState {
  std::optional<PythonRuntimeRef> found;
  const ReadMemoryFn* read;
};

int VisitModule(Dwfl_Module* mod, void**, const char* name, Dwarf_Addr, void* arg) {
  auto* s = static_cast<FindState*>(arg);
  std::string_view n = name ? name : "";
  uint64_t runtime = ModuleSymbol(mod, "_PyRuntime");
  if (runtime == 0) return DWARF_CB_OK;
  PythonRuntimeRef ref;
  ref.runtime = runtime;
  ref.module = ModuleFile(mod);
  if (ref.module.empty()) ref.module = std::string(n);
  ref.major = 3;
  ref.minor = MinorFromName(n);
  if (uint64_t at = ModuleSymbol(mod, "Py_Version"); at != 0) {
    uint64_t hex = 0;
    if ((*s->read)(at, &hex, sizeof hex) && (hex >> 24) == 3) {
      ref.minor = static_cast<int>((hex >> 16) & 0xff);
      ref.micro = static_cast<int>((hex >> 8) & 0xff);
    }
  }
  s->found = ref;
  return DWARF_CB_ABORT;
}

}  // namespace

int PythonLineOf(std::string_view table, int first_line, int64_t addr) {
  if (addr < 0) return first_line > 0 ? first_line : 0;
  TableCursor c{table};
  int64_t line = first_line;
  int64_t at = 0;  // bytes of code covered so far
  while (c.ok && c.pos < table.size()) {
    uint32_t head = c.Byte();
    if ((head & 0x80) == 0) return 0;  // not an entry's first byte: a damaged table
    uint32_t code = (head >> 3) & 15;
    int64_t length = 2 * ((head & 7) + 1);
    bool none = false;
    int64_t delta = 0;
    if (code == 15) {
      none = true;
    } else if (code == 14) {
      delta = c.Svarint();
      c.Varint();  // end line
      c.Varint();  // column
      c.Varint();  // end column
    } else if (code == 13) {
      delta = c.Svarint();
    } else if (code >= 10) {
      delta = code - 10;
      c.Byte();
      c.Byte();
    } else {
      c.Byte();
    }
    // A line beyond any file's: a damaged table (and no sum can overflow).
    if (!c.ok || delta > INT32_MAX || delta < -INT64_C(2) * INT32_MAX) return 0;
    line += delta;
    if (line > INT32_MAX || line < -INT64_C(2) * INT32_MAX) return 0;
    if (addr < at + length)
      return none || line <= 0 || line > INT32_MAX ? 0 : static_cast<int>(line);
    at += length;
  }
  return 0;
}

int PythonLineOfLnotab(std::string_view table, int first_line, int64_t addr) {
  // PyCode_Addr2Line of 3.8 and 3.9: (byte increment, signed line increment) pairs.
  int64_t line = first_line, at = 0;
  for (size_t i = 0; i + 1 < table.size(); i += 2) {
    at += static_cast<uint8_t>(table[i]);
    if (at > addr) break;
    line += static_cast<int8_t>(table[i + 1]);
  }
  return line <= 0 || line > INT32_MAX ? 0 : static_cast<int>(line);
}

int PythonLineOfLinetable310(std::string_view table, int first_line, int64_t addr) {
  // 3.10's PyCode_Addr2Line: ranges of (byte delta, signed line delta), -128 for no line.
  if (addr < 0) return first_line > 0 ? first_line : 0;
  int64_t computed = first_line, line = -1, end = 0;
  for (size_t i = 0; i + 1 < table.size() && end <= addr; i += 2) {
    end += static_cast<uint8_t>(table[i]);
    int8_t delta = static_cast<int8_t>(table[i + 1]);
    if (delta == -128) {
      line = -1;
    } else {
      computed += delta;
      line = computed;
    }
  }
  if (end <= addr) return 0;  // past the table
  return line <= 0 || line > INT32_MAX ? 0 : static_cast<int>(line);
}

RuntimeView ReadPythonThreads(const PythonLayout& layout, uint64_t runtime,
                              const ReadMemoryFn& read) {
  RuntimeView v;
  v.runtime = "CPython";
  v.layout = std::string(layout.source);
  const PythonLayout::Offsets& at = layout.at;
  Memory m(read);
  uint64_t interp = 0;
  if (!m.Pointer(runtime + at.runtime_interpreters_head, &interp)) {
    v.unreadable = fmt::format("_PyRuntime (0x{:x}) is not in the core", runtime);
    return v;
  }
  std::unordered_set<uint64_t> interps, tstates;
  for (size_t ni = 0; interp != 0; ++ni) {
    if (ni >= kMaxPythonInterpreters || !interps.insert(interp).second) {
      v.problems.push_back(ni >= kMaxPythonInterpreters
                               ? fmt::format("interpreter limit {} reached", kMaxPythonInterpreters)
                               : fmt::format("the interpreter list loops back to 0x{:x}", interp));
      break;
    }
    uint64_t tstate = 0, next_interp = 0;
    if (!m.Pointer(interp + at.interp_threads_head, &tstate) ||
        !m.Pointer(interp + at.interp_next, &next_interp)) {
      v.problems.push_back(fmt::format("interpreter 0x{:x} is not in the core", interp));
      break;
    }
    uint64_t holder = GilHolder(m, at, runtime, interp);
    while (tstate != 0) {
      if (v.threads.size() >= kMaxPythonThreads) {
        v.problems.push_back(fmt::format("thread limit {} reached", kMaxPythonThreads));
        return v;
      }
      if (!tstates.insert(tstate).second) {
        v.problems.push_back(fmt::format("the thread list loops back to 0x{:x}", tstate));
        break;
      }
      RuntimeThread t;
      uint64_t next = 0, native = 0;
      if (!m.Get(tstate + at.tstate_thread_id, &t.id) ||
          (at.tstate_native_thread_id != kPyNone &&
           !m.Get(tstate + at.tstate_native_thread_id, &native)) ||
          !m.Pointer(tstate + at.tstate_next, &next)) {
        v.problems.push_back(fmt::format("thread state 0x{:x} is not in the core", tstate));
        break;
      }
      t.lwp = native <= INT32_MAX ? static_cast<int>(native) : 0;
      t.holds_lock = tstate == holder;
      if (at.tstate_frame != kPyNone) {
        WalkFrameObjects(m, at, tstate, &t);
      } else {
        WalkFrames(m, at, tstate, &t);
      }
      v.threads.push_back(std::move(t));
      tstate = next;
    }
    interp = next_interp;
  }
  return v;
}

std::optional<PythonRuntimeRef> FindPythonRuntime(Dwfl* dwfl, const ReadMemoryFn& read) {
  FindState s{std::nullopt, &read};
  dwfl_getmodules(dwfl, VisitModule, &s, 0);
  return s.found;
}

RuntimeView ReadPythonView(Dwfl* dwfl, const ReadMemoryFn& read) {
  std::optional<PythonRuntimeRef> ref = FindPythonRuntime(dwfl, read);
  if (!ref) {
    // A process that mapped an interpreter whose symbols cannot be read: say so, not nothing.
    std::string named = PythonModuleNamed(dwfl);
    if (named.empty()) return {};
    RuntimeView v;
    v.runtime = "CPython";
    v.module = named;
    int minor = MinorFromName(named);
    if (minor >= 0) v.version = fmt::format("3.{}", minor);
    v.unreadable = fmt::format(
        "the process ran {}, but no file with its symbols was found (missing, another build, or "
        "stripped of _PyRuntime): give the files the process had with --sysroot",
        named);
    return v;
  }
  const PythonLayout* layout = FindPythonLayout(ref->major, ref->minor);
  std::string version = ref->minor < 0   ? "3"
                        : ref->micro < 0 ? fmt::format("3.{}", ref->minor)
                                         : fmt::format("3.{}.{}", ref->minor, ref->micro);
  RuntimeView v;
  if (layout == nullptr) {
    v.runtime = "CPython";
    std::string known;
    for (const PythonLayout& l : PythonLayouts())
      known += fmt::format("{}{}.{}", known.empty() ? "" : ", ", l.major, l.minor);
    v.unreadable =
        fmt::format("CPython {} is not a version inquest reads (it reads {})", version, known);
  } else if (ref->minor >= 13) {
    // 3.13 on: the process's own offsets, when its block can be read; else the row's.
    std::string why;
    std::optional<PythonLayout> own = LayoutFromDebugOffsets(*layout, ref->runtime, read, &why);
    v = ReadPythonThreads(own ? *own : *layout, ref->runtime, read);
    if (!own)
      v.problems.push_back(why + "; the offsets of the " + std::string(layout->source) +
                           " are used");
  } else {
    v = ReadPythonThreads(*layout, ref->runtime, read);
  }
  v.version = version;
  v.module = ref->module;
  return v;
}

}  // namespace inquest
