#include "native/jvm_core.h"

#include <fmt/format.h>

#include <initializer_list>
#include <unordered_set>
#include <vector>

#include "base/strings.h"
#include "native/dwfl_session.h"
#include "native/module_symbols.h"

namespace inquest {
namespace {

// The names of the VM's thread states (enum JavaThreadState), looked up by value in the
// int constants; a release that adds one is shown by number.
constexpr std::string_view kVmThreadStates[] = {
    "_thread_uninitialized",   "_thread_new",     "_thread_new_trans",    "_thread_in_native",
    "_thread_in_native_trans", "_thread_in_vm",   "_thread_in_vm_trans",  "_thread_in_Java",
    "_thread_in_Java_trans",   "_thread_blocked", "_thread_blocked_trans"};

std::string VmStateName(const HotSpotTables& t, int32_t value) {
  for (std::string_view name : kVmThreadStates)
    if (std::optional<int64_t> v = t.IntConstant(name); v && *v == value) return std::string(name);
  return fmt::format("state {}", value);
}

// The offsets of the fields the walk needs, each from the tables; `missing` names the first
// one that is absent.
struct ThreadFields {
  uint64_t osthread = 0, thread_id = 0, state = 0, thread_obj = 0, handle_obj = 0;
  bool obj_is_handle = false;  // _threadObj is an OopHandle (JDK 16+) rather than an oop
  uint64_t anchor = 0, last_sp = 0, last_pc = 0;
  bool has_anchor = false;
  std::string missing;

  explicit ThreadFields(const HotSpotTables& t) {
    auto need = [&](std::string_view type, std::string_view field, uint64_t* out) {
      const HotSpotField* f = t.Field(type, field);
      if (f == nullptr || f->is_static) {
        if (missing.empty()) missing = fmt::format("{}::{}", type, field);
        return false;
      }
      *out = f->offset;
      return true;
    };
    need("JavaThread", "_osthread", &osthread);
    need("OSThread", "_thread_id", &thread_id);
    need("JavaThread", "_thread_state", &state);
    if (need("JavaThread", "_threadObj", &thread_obj)) {
      const HotSpotField* f = t.Field("JavaThread", "_threadObj");
      obj_is_handle = f->type.find("OopHandle") != std::string::npos;
      if (obj_is_handle) need("OopHandle", "_obj", &handle_obj);
    }
    std::string saved = missing;
    has_anchor = need("JavaThread", "_anchor", &anchor) &&
                 need("JavaFrameAnchor", "_last_Java_sp", &last_sp) &&
                 need("JavaFrameAnchor", "_last_Java_pc", &last_pc);
    missing = saved;  // the anchor is shown when present, never required
  }
};

// The JavaThread* of every Java thread, or an error saying why the list is not readable.
Result<std::vector<uint64_t>> ThreadList(const HotSpotTables& t, const RuntimeMemory& m) {
  std::vector<uint64_t> out;
  if (const HotSpotField* list = t.Field("ThreadsSMRSupport", "_java_thread_list")) {
    const HotSpotField* length = t.Field("ThreadsList", "_length");
    const HotSpotField* threads = t.Field("ThreadsList", "_threads");
    if (length == nullptr || threads == nullptr) {
      return Status::BadInput("the tables have ThreadsSMRSupport but no ThreadsList fields");
    }
    uint64_t at = 0, array = 0;
    uint32_t n = 0;
    if (!m.Pointer(list->address, &at) || !m.Get(at + length->offset, &n) ||
        !m.Pointer(at + threads->offset, &array)) {
      return Status::BadInput(
          fmt::format("the thread list (ThreadsList at {:#x}) is not in the core", at));
    }
    if (n > kMaxJvmThreads) {
      return Status::BadInput(fmt::format("the thread list claims {} threads", n));
    }
    out.resize(n);
    if (n > 0 && !m.Bytes(array, out.data(), n * sizeof(uint64_t))) {
      return Status::BadInput(
          fmt::format("the array of the {} threads (at {:#x}) is not in the core", n, array));
    }
    return out;
  }
  // JDK 8 and 9: a linked list through JavaThread::_next.
  const HotSpotField* head = t.Field("Threads", "_thread_list");
  const HotSpotField* next = t.Field("JavaThread", "_next");
  if (head == nullptr || next == nullptr) {
    return Status::BadInput("the tables name no thread list this reader knows");
  }
  uint64_t at = 0;
  if (!m.Pointer(head->address, &at))
    return Status::BadInput("Threads::_thread_list is not in the core");
  std::unordered_set<uint64_t> seen;
  while (at != 0) {
    if (!seen.insert(at).second)
      return Status::BadInput(fmt::format("the thread list loops at {:#x}", at));
    if (out.size() == kMaxJvmThreads) return Status::BadInput("the thread list has no end");
    out.push_back(at);
    if (!m.Pointer(at + next->offset, &at)) {
      return Status::BadInput(fmt::format("the thread after {:#x} is not in the core", out.back()));
    }
  }
  return out;
}

// Reads a reference field of the object at `obj`.
bool ReadRef(const RuntimeMemory& m, const JavaHeapShape& s, uint64_t obj, int offset,
             uint64_t* out) {
  if (offset < 0) return false;
  if (!s.compressed_oops) return m.Pointer(obj + offset, out) && *out != 0;
  uint32_t narrow = 0;
  if (!m.Get(obj + offset, &narrow) || narrow == 0) return false;
  *out = s.narrow_base + (static_cast<uint64_t>(narrow) << s.narrow_shift);
  return true;
}

// A char[] as UTF-8 (JDK 8 keeps a String's value and a Thread's name so; its length counts
// UTF-16 units; surrogates become U+FFFD).
bool ReadCharArray(const RuntimeMemory& m, const JavaHeapShape& s, uint64_t array,
                   std::string* out) {
  int32_t length = 0;
  if (!m.Get(array + s.array_length, &length) || length < 0) return false;
  size_t units = std::min<size_t>(length, kMaxJvmNameChars);
  std::string raw(units * 2, '\0');
  if (units > 0 && !m.Bytes(array + s.byte_data, raw.data(), raw.size())) return false;
  out->clear();
  AppendUtf16Le(raw, out);
  if (static_cast<size_t>(length) > units) *out += "...";
  return true;
}

// A java.lang.String as UTF-8: its byte[] value in the LATIN1 or UTF16 coder (JDK 9 on), or its
// char[] value (JDK 8, which has no coder).
bool ReadJavaString(const RuntimeMemory& m, const JavaHeapShape& s, const JavaObjectOffsets& o,
                    uint64_t str, std::string* out) {
  uint64_t value = 0;
  if (!ReadRef(m, s, str, o.string_value, &value)) return false;
  if (o.string_coder < 0) return ReadCharArray(m, s, value, out);
  int8_t coder = 0;
  if (!m.Get(str + o.string_coder, &coder)) return false;
  if (coder != 0) {  // UTF16: a byte[] whose length counts bytes
    int32_t length = 0;
    if (!m.Get(value + s.array_length, &length) || length < 0) return false;
    size_t bytes = std::min<size_t>(length, kMaxJvmNameChars * 2) & ~size_t{1};
    std::string raw(bytes, '\0');
    if (bytes > 0 && !m.Bytes(value + s.byte_data, raw.data(), bytes)) return false;
    out->clear();
    AppendUtf16Le(raw, out);
    if (static_cast<size_t>(length) > bytes) *out += "...";
    return true;
  }
  int32_t length = 0;
  if (!m.Get(value + s.array_length, &length) || length < 0) return false;
  size_t bytes = std::min<size_t>(length, kMaxJvmNameChars);
  std::string raw(bytes, '\0');
  if (bytes > 0 && !m.Bytes(value + s.byte_data, raw.data(), bytes)) return false;
  out->clear();
  for (unsigned char c : raw) AppendCodePoint(c, out);
  if (static_cast<size_t>(length) > bytes) *out += "...";
  return true;
}

// Name, id, daemon and Thread.State from the java.lang.Thread object `obj`; false when its name
// could not be read (the object or its string not in the core).
bool ReadThreadObject(const RuntimeMemory& m, const JavaHeapShape& s, const JavaObjectOffsets& o,
                      uint64_t obj, RuntimeThread* t) {
  uint64_t name = 0;
  bool named = ReadRef(m, s, obj, o.thread_name, &name) &&
               (o.string_coder < 0 ? ReadCharArray(m, s, name, &t->name)  // JDK 8: a char[]
                                   : ReadJavaString(m, s, o, name, &t->name));
  int64_t tid = 0;
  if (o.thread_tid >= 0 && m.Get(obj + o.thread_tid, &tid) && tid > 0) t->id = tid;
  uint64_t fields = obj;  // JDK 19+: Thread.holder
  if (o.thread_holder >= 0 && !ReadRef(m, s, obj, o.thread_holder, &fields)) return named;
  int32_t status = 0;
  if (o.thread_status >= 0 && m.Get(fields + o.thread_status, &status)) {
    t->state = std::string(JavaThreadStatusName(status));
  }
  uint8_t daemon = 0;
  if (o.thread_daemon >= 0 && m.Get(fields + o.thread_daemon, &daemon)) t->daemon = daemon != 0;
  return named;
}

}  // namespace

std::string_view JavaThreadStatusName(int status) {
  // JVMTI_THREAD_STATE_* bits
  if (status & 0x4) return "RUNNABLE";
  if (status & 0x400) return "BLOCKED";
  if (status & 0x10) return "WAITING";
  if (status & 0x20) return "TIMED_WAITING";
  if (status & 0x2) return "TERMINATED";
  if ((status & 0x1) == 0) return "NEW";
  return "RUNNABLE";
}

RuntimeView ReadJvmThreads(const HotSpotTables& tables, const JavaObjectOffsets& objects,
                           const JavaHeapShape& shape, const ReadMemoryFn& read) {
  RuntimeView v;
  RuntimeMemory m(read);
  ThreadFields at(tables);
  if (!at.missing.empty()) {
    v.unreadable = fmt::format("the JVM's tables have no {} field", at.missing);
    return v;
  }
  Result<std::vector<uint64_t>> list = ThreadList(tables, m);
  if (!list.ok()) {
    v.unreadable = list.status().message();
    return v;
  }
  bool named = objects.thread_name >= 0 && objects.string_value >= 0;
  bool any = named || objects.thread_tid >= 0 || objects.thread_status >= 0;
  size_t unnamed = 0;
  for (uint64_t jt : *list) {
    RuntimeThread& t = v.threads.emplace_back();
    t.handle = jt;
    uint64_t os = 0;
    int32_t lwp = 0, state = 0;
    if (!m.Pointer(jt + at.osthread, &os) || !m.Get(jt + at.state, &state)) {
      t.stopped = fmt::format("its JavaThread at {:#x} is not in the core", jt);
      continue;
    }
    if (os != 0 && m.Get(os + at.thread_id, &lwp)) t.lwp = lwp;
    t.detail = VmStateName(tables, state);
    if (at.has_anchor) {
      uint64_t sp = 0, pc = 0;
      if (m.Pointer(jt + at.anchor + at.last_sp, &sp) && sp != 0) {
        m.Pointer(jt + at.anchor + at.last_pc, &pc);
        t.last_java_sp = sp;
        t.last_java_pc = pc;
      }
    }
    uint64_t obj = 0;
    bool have_obj = at.obj_is_handle ? (m.Pointer(jt + at.thread_obj + at.handle_obj, &obj) &&
                                        obj != 0 && m.Pointer(obj, &obj))
                                     : m.Pointer(jt + at.thread_obj, &obj);
    if (!have_obj || obj == 0) {
      t.stopped = "its java.lang.Thread object is not in the core (a thread still starting?)";
      continue;
    }
    if (any && !ReadThreadObject(m, shape, objects, obj, &t) && named) ++unnamed;
  }
  if (unnamed > 0) {
    v.problems.push_back(fmt::format(
        "{} of {} threads have no name: their java.lang.Thread object or its name is not in the "
        "core (the Java heap cut off or damaged)",
        unnamed, v.threads.size()));
  }
  if (!named) {
    v.problems.push_back(fmt::format(
        "thread names are not shown: libjvm.so's symbol table has no {} (a stripped libjvm.so, "
        "or a release that spells it otherwise){}",
        objects.thread_name < 0 ? "java_lang_Thread::_name_offset"
                                : "java_lang_String::_value_offset or value_offset",
        any ? "" : "; nor Java ids and states"));
  }
  return v;
}

namespace {

// The JVM's boolean flag `name` (from the JVMFlag table), or nullopt.
std::optional<bool> BoolFlag(const HotSpotTables& t, const RuntimeMemory& m,
                             std::string_view wanted) {
  // The flag table's type: JVMFlag from JDK 11, Flag before.
  std::string_view type = t.Field("JVMFlag", "flags") != nullptr ? "JVMFlag" : "Flag";
  const HotSpotField* flags = t.Field(type, "flags");
  const HotSpotField* count = t.Field(type, "numFlags");
  const HotSpotField* name = t.Field(type, "_name");
  const HotSpotField* addr = t.Field(type, "_addr");
  std::optional<uint64_t> size = t.TypeSize(type);
  if (!flags || !count || !name || !addr || !size || *size == 0) return std::nullopt;
  uint64_t first = 0, n = 0;
  if (!m.Pointer(flags->address, &first) || !m.Get(count->address, &n)) return std::nullopt;
  std::string text;
  for (uint64_t i = 0; i < n && i < 10'000; ++i) {
    uint64_t entry = first + i * *size, name_at = 0, value_at = 0;
    if (!m.Pointer(entry + name->offset, &name_at) || name_at == 0) continue;
    if (!m.CString(name_at, kMaxHotSpotNameBytes, &text) || text != wanted) continue;
    uint8_t value = 0;
    if (!m.Pointer(entry + addr->offset, &value_at) || !m.Get(value_at, &value))
      return std::nullopt;
    return value != 0;
  }
  return std::nullopt;
}

uint64_t StaticU64(const HotSpotTables& t, const RuntimeMemory& m, std::string_view type,
                   std::string_view field) {
  uint64_t v = 0;
  const HotSpotField* f = t.Field(type, field);
  if (f == nullptr || !f->is_static || !m.Get(f->address, &v)) return 0;
  return v;
}

JavaHeapShape HeapShape(const HotSpotTables& t, const RuntimeMemory& m, int major,
                        std::vector<std::string>* problems) {
  JavaHeapShape s;
  std::optional<bool> oops = BoolFlag(t, m, "UseCompressedOops");
  std::optional<bool> klass = BoolFlag(t, m, "UseCompressedClassPointers");
  std::optional<bool> compact = BoolFlag(t, m, "UseCompactObjectHeaders");
  if (!oops) problems->push_back("the flag UseCompressedOops is not readable; assumed on");
  s.compressed_oops = oops.value_or(true);
  if (s.compressed_oops) {
    // JDK 13-17 keep CompressedOops::_narrow_oop (a struct), later releases its _base and
    // _shift, JDK 8-12 Universe::_narrow_oop.
    s.narrow_base = StaticU64(t, m, "CompressedOops", "_narrow_oop._base");
    if (s.narrow_base == 0) s.narrow_base = StaticU64(t, m, "CompressedOops", "_base");
    if (s.narrow_base == 0) s.narrow_base = StaticU64(t, m, "Universe", "_narrow_oop._base");
    const HotSpotField* shift = t.Field("CompressedOops", "_narrow_oop._shift");
    if (shift == nullptr) shift = t.Field("CompressedOops", "_shift");
    if (shift == nullptr) shift = t.Field("Universe", "_narrow_oop._shift");
    int32_t v = 0;
    if (shift != nullptr && shift->is_static && m.Get(shift->address, &v) && v >= 0 && v < 32) {
      s.narrow_shift = v;
    }
  }
  s.array_length = compact.value_or(false) ? 8 : klass.value_or(true) ? 12 : 16;
  // Array elements were aligned to 8 bytes until JDK 22; since, a byte[] starts right after
  // its length.
  uint64_t after = s.array_length + 4;
  s.byte_data = major >= 22 ? after : (after + 7) / 8 * 8;
  return s;
}

}  // namespace

RuntimeView ReadJvmView(Dwfl* dwfl, const ReadMemoryFn& read) {
  RuntimeView v;
  uint64_t structs = 0;
  Dwfl_Module* mod = ModuleWithSymbol(dwfl, "gHotSpotVMStructs", &structs);
  if (mod == nullptr) return v;
  v.runtime = "HotSpot";
  v.module = ModuleFile(mod);
  const unsigned char* bits = nullptr;
  GElf_Addr vaddr = 0;
  int n = dwfl_module_build_id(mod, &bits, &vaddr);
  if (n > 0) v.build_id = HexBytes(bits, static_cast<size_t>(n));
  std::map<std::string, uint64_t, std::less<>> syms = ModuleSymbols(mod, [](std::string_view s) {
    return s.starts_with("gHotSpotVM") || s.starts_with("_ZN16java_lang_Thread") ||
           s.starts_with("_ZN16java_lang_String") ||
           s.starts_with("_ZN28java_lang_Thread_FieldHolder");
  });
  auto symbol = [&syms](std::string_view name) -> uint64_t {
    auto it = syms.find(name);
    return it == syms.end() ? 0 : it->second;
  };
  Result<HotSpotTables> tables = HotSpotTables::Read(symbol, read);
  if (!tables.ok()) {
    v.unreadable = "its gHotSpotVMStructs tables are not readable: " + tables.status().message();
    return v;
  }
  RuntimeMemory m(read);
  int32_t major = 0;
  if (const HotSpotField* f = tables->Field("Abstract_VM_Version", "_s_vm_release")) {
    uint64_t at = 0;
    if (m.Pointer(f->address, &at)) m.CString(at, kMaxHotSpotNameBytes, &v.version);
  }
  if (const HotSpotField* f = tables->Field("Abstract_VM_Version", "_vm_major_version")) {
    m.Get(f->address, &major);
  }
  v.layout = fmt::format("JVM's own gHotSpotVMStructs tables ({} fields)", tables->field_count());
  // The first of the spellings a release uses (JDK 14 renamed java_lang_String's value_offset
  // and coder_offset with a leading underscore); -1 when none is in the symbol table.
  auto offset = [&](std::initializer_list<std::string_view> spellings) {
    for (std::string_view mangled : spellings) {
      int32_t value = -1;
      uint64_t at = symbol(mangled);
      if (at != 0 && m.Get(at, &value) && value > 0 && value <= (1 << 20))
        return static_cast<int>(value);
    }
    return -1;
  };
  JavaObjectOffsets o;
  o.thread_name = offset({"_ZN16java_lang_Thread12_name_offsetE"});
  o.thread_tid = offset({"_ZN16java_lang_Thread11_tid_offsetE"});
  o.thread_holder = offset({"_ZN16java_lang_Thread14_holder_offsetE"});
  if (o.thread_holder >= 0) {
    o.thread_status = offset({"_ZN28java_lang_Thread_FieldHolder21_thread_status_offsetE"});
    o.thread_daemon = offset({"_ZN28java_lang_Thread_FieldHolder14_daemon_offsetE"});
  } else {
    o.thread_status = offset({"_ZN16java_lang_Thread21_thread_status_offsetE"});
    o.thread_daemon = offset({"_ZN16java_lang_Thread14_daemon_offsetE"});
  }
  o.string_value =
      offset({"_ZN16java_lang_String13_value_offsetE", "_ZN16java_lang_String12value_offsetE"});
  o.string_coder =
      offset({"_ZN16java_lang_String13_coder_offsetE", "_ZN16java_lang_String12coder_offsetE"});
  std::vector<std::string> problems;
  JavaHeapShape shape = HeapShape(*tables, m, major, &problems);
  RuntimeView threads = ReadJvmThreads(*tables, o, shape, read);
  v.unreadable = std::move(threads.unreadable);
  v.threads = std::move(threads.threads);
  v.problems = std::move(problems);
  for (const std::string& p : tables->problems())
    v.problems.push_back("gHotSpotVMTypes/Constants: " + p);
  for (std::string& p : threads.problems) v.problems.push_back(std::move(p));
  return v;
}

}  // namespace inquest
