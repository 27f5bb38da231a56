// A small HotSpot process image built in memory: the gHotSpotVMStructs/Types/IntConstants
// tables with their layout variables, the thread list (JDK 10+ ThreadsList, or JDK 8's linked
// list), JavaThreads with their OSThread, and java.lang.Thread and String objects in a heap of
// compressed references. The reader's tests read it through ReadMemoryFn and the symbol map;
// the fuzz target corrupts it.
//
//   JvmImage img({});
//   img.Thread(4242, "main", 1, 0x191, false);
//   img.Finish();
//   RuntimeView v = ReadJvmThreads(*HotSpotTables::Read(img.Symbols(), img.Reader()),
//                                  img.objects(), img.shape(), img.Reader());
#ifndef INQUEST_TESTS_SUPPORT_JVM_IMAGE_H_
#define INQUEST_TESTS_SUPPORT_JVM_IMAGE_H_

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "native/hotspot_vmstructs.h"
#include "native/jvm_core.h"

namespace inquest {

class JvmImage {
 public:
  static constexpr uint64_t kBase = 0x10000;
  struct Options {
    bool smr = true;         // ThreadsSMRSupport::_java_thread_list (else JDK 8's list)
    bool handle = true;      // _threadObj is an OopHandle (else an oop)
    bool holder = false;     // JDK 19+: status and daemon in Thread.holder
    bool inherited = false;  // JDK 25: _osthread declared on Thread, JavaThread's superclass
    bool named = true;       // java_lang_Thread::_name_offset and friends in the symbol table
    // JDK 8: java_lang_String::value_offset spelled without the underscore, no coder, and
    // Thread.name a char[] of UTF-16 units.
    bool old_strings = false;
  };
  // Offsets inside the objects this image lays out.
  static constexpr uint64_t kOsthread = 0x10, kState = 0x18, kThreadObj = 0x20, kAnchor = 0x30,
                            kNext = 0x50, kThreadSize = 0x60;
  static constexpr int kName = 16, kTid = 24, kStatus = 32, kDaemon = 36, kHolder = 40;
  static constexpr int kValue = 12, kCoder = 16;
  static constexpr int kBlocked = 10, kInNative = 4;

  explicit JvmImage(Options o) : o_(o) {
    Alloc(64);  // nothing lives at kBase itself
    std::string owner = o.inherited ? "Thread" : "JavaThread";
    Struct(owner, "_osthread", "OSThread*", kOsthread);
    Struct("OSThread", "_thread_id", "pid_t", 0x8);
    Struct("JavaThread", "_thread_state", "JavaThreadState", kState);
    Struct("JavaThread", "_threadObj", o.handle ? "OopHandle" : "oop", kThreadObj);
    if (o.handle) Struct("OopHandle", "_obj", "oop*", 0);
    Struct("JavaThread", "_anchor", "JavaFrameAnchor", kAnchor);
    Struct("JavaFrameAnchor", "_last_Java_sp", "intptr_t*", 0);
    Struct("JavaFrameAnchor", "_last_Java_pc", "address", 8);
    Type("JavaThread", "Thread", kThreadSize);
    Type("Thread", "", 0x40);
    Type("OSThread", "", 0x40);
    Int("_thread_in_native", kInNative);
    Int("_thread_blocked", kBlocked);
    Int("_thread_in_Java", 8);
    if (o.smr) {
      list_var_ = Alloc(8);
      Static("ThreadsSMRSupport", "_java_thread_list", "ThreadsList*", list_var_);
      Struct("ThreadsList", "_length", "const uint", 0x8);
      Struct("ThreadsList", "_threads", "JavaThread*const*const", 0x10);
    } else {
      list_var_ = Alloc(8);
      Static("Threads", "_thread_list", "JavaThread*", list_var_);
      Struct("JavaThread", "_next", "JavaThread*", kNext);
    }
    if (o.named) {
      Symbol("_ZN16java_lang_Thread12_name_offsetE", kName);
      Symbol("_ZN16java_lang_Thread11_tid_offsetE", kTid);
      if (o.holder) {
        Symbol("_ZN16java_lang_Thread14_holder_offsetE", kHolder);
        Symbol("_ZN28java_lang_Thread_FieldHolder21_thread_status_offsetE", kStatus);
        Symbol("_ZN28java_lang_Thread_FieldHolder14_daemon_offsetE", kDaemon);
      } else {
        Symbol("_ZN16java_lang_Thread21_thread_status_offsetE", kStatus);
        Symbol("_ZN16java_lang_Thread14_daemon_offsetE", kDaemon);
      }
      if (o.old_strings) {
        Symbol("_ZN16java_lang_String12value_offsetE", kValue);
      } else {
        Symbol("_ZN16java_lang_String13_value_offsetE", kValue);
        Symbol("_ZN16java_lang_String13_coder_offsetE", kCoder);
      }
    }
  }

  // A Java thread; `name` is UTF-16 (stored LATIN1 when every unit fits a byte). Returns its
  // JavaThread address.
  uint64_t Thread(int lwp, std::u16string_view name, int64_t tid, int32_t status, bool daemon,
                  int vm_state = kBlocked, uint64_t last_sp = 0) {
    uint64_t jt = Alloc(kThreadSize);
    uint64_t os = Alloc(0x40);
    Put<uint64_t>(jt + kOsthread, os);
    Put<int32_t>(os + 0x8, lwp);
    Put<int32_t>(jt + kState, vm_state);
    Put<uint64_t>(jt + kAnchor, last_sp);
    Put<uint64_t>(jt + kAnchor + 8, last_sp ? last_sp + 0x40 : 0);
    uint64_t obj = Alloc(64);
    if (o_.handle) {
      uint64_t slot = Alloc(8);
      Put<uint64_t>(slot, obj);
      Put<uint64_t>(jt + kThreadObj, slot);
    } else {
      Put<uint64_t>(jt + kThreadObj, obj);
    }
    Put<uint32_t>(obj + kName, Narrow(o_.old_strings ? CharArray(name) : String(name)));
    Put<int64_t>(obj + kTid, tid);
    uint64_t fields = obj;
    if (o_.holder) {
      fields = Alloc(48);
      Put<uint32_t>(obj + kHolder, Narrow(fields));
    }
    Put<int32_t>(fields + kStatus, status);
    Put<uint8_t>(fields + kDaemon, daemon ? 1 : 0);
    threads_.push_back(jt);
    return jt;
  }

  // Writes the tables and the thread list; call after the last Thread().
  void Finish() {
    uint64_t structs = Alloc(48 * (structs_.size() + 1));
    for (size_t i = 0; i < structs_.size(); ++i) {
      const Entry& e = structs_[i];
      uint64_t at = structs + 48 * i;
      Put<uint64_t>(at, CStr(e.type));
      Put<uint64_t>(at + 8, CStr(e.field));
      Put<uint64_t>(at + 16, CStr(e.type_string));
      Put<int32_t>(at + 24, e.is_static);
      Put<uint64_t>(at + 32, e.offset);
      Put<uint64_t>(at + 40, e.address);
    }
    Table("gHotSpotVMStructs", structs);
    Layout("gHotSpotVMStructEntry", 48,
           {{"TypeName", 0},
            {"FieldName", 8},
            {"TypeString", 16},
            {"IsStatic", 24},
            {"Offset", 32},
            {"Address", 40}});
    uint64_t types = Alloc(48 * (types_.size() + 1));
    for (size_t i = 0; i < types_.size(); ++i) {
      uint64_t at = types + 48 * i;
      Put<uint64_t>(at, CStr(types_[i].name));
      if (!types_[i].super.empty()) Put<uint64_t>(at + 8, CStr(types_[i].super));
      Put<uint64_t>(at + 32, types_[i].size);
    }
    Table("gHotSpotVMTypes", types);
    Layout("gHotSpotVMTypeEntry", 48,
           {{"TypeName", 0},
            {"SuperclassName", 8},
            {"IsOopType", 16},
            {"IsIntegerType", 20},
            {"IsUnsigned", 24},
            {"Size", 32}});
    uint64_t ints = Alloc(16 * (ints_.size() + 1));
    for (size_t i = 0; i < ints_.size(); ++i) {
      Put<uint64_t>(ints + 16 * i, CStr(ints_[i].first));
      Put<int32_t>(ints + 16 * i + 8, ints_[i].second);
    }
    Table("gHotSpotVMIntConstants", ints);
    Layout("gHotSpotVMIntConstantEntry", 16, {{"Name", 0}, {"Value", 8}});
    if (o_.smr) {
      uint64_t list = Alloc(0x20);
      uint64_t array = Alloc(8 * (threads_.size() + 1));
      for (size_t i = 0; i < threads_.size(); ++i) Put<uint64_t>(array + 8 * i, threads_[i]);
      Put<uint32_t>(list + 0x8, static_cast<uint32_t>(threads_.size()));
      Put<uint64_t>(list + 0x10, array);
      Put<uint64_t>(list_var_, list);
    } else {
      uint64_t next = 0;
      for (size_t i = threads_.size(); i-- > 0;) {
        Put<uint64_t>(threads_[i] + kNext, next);
        next = threads_[i];
      }
      Put<uint64_t>(list_var_, next);
    }
  }

  HotSpotTables::SymbolFn Symbols() const {
    return [this](std::string_view name) -> uint64_t {
      auto it = symbols_.find(std::string(name));
      return it == symbols_.end() ? 0 : it->second;
    };
  }
  ReadMemoryFn Reader() const {
    return [this](uint64_t addr, void* out, size_t len) {
      if (addr < kBase || addr - kBase > mem_.size() || len > mem_.size() - (addr - kBase))
        return false;
      std::memcpy(out, mem_.data() + (addr - kBase), len);
      return true;
    };
  }
  // The offsets as ReadJvmView would read them from the symbol table.
  JavaObjectOffsets objects() const {
    JavaObjectOffsets o;
    if (!o_.named) return o;
    o.thread_name = kName;
    o.thread_tid = kTid;
    o.thread_status = kStatus;
    o.thread_daemon = kDaemon;
    if (o_.holder) o.thread_holder = kHolder;
    o.string_value = kValue;
    o.string_coder = o_.old_strings ? -1 : kCoder;
    return o;
  }
  JavaHeapShape shape() const {
    JavaHeapShape s;
    s.compressed_oops = true;
    s.narrow_base = kBase;
    s.narrow_shift = 3;
    return s;
  }
  std::string& bytes() { return mem_; }
  uint64_t list_var() const { return list_var_; }
  const std::vector<uint64_t>& threads() const { return threads_; }

  template <typename T>
  void Put(uint64_t addr, T v) {
    std::memcpy(&mem_[addr - kBase], &v, sizeof v);
  }

 private:
  struct Entry {
    std::string type, field, type_string;
    int32_t is_static = 0;
    uint64_t offset = 0, address = 0;
  };
  struct TypeEntry {
    std::string name, super;
    uint64_t size = 0;
  };
  void Struct(std::string type, std::string field, std::string ts, uint64_t offset) {
    structs_.push_back({std::move(type), std::move(field), std::move(ts), 0, offset, 0});
  }
  void Static(std::string type, std::string field, std::string ts, uint64_t address) {
    structs_.push_back({std::move(type), std::move(field), std::move(ts), 1, 0, address});
  }
  void Type(std::string name, std::string super, uint64_t size) {
    types_.push_back({std::move(name), std::move(super), size});
  }
  void Int(std::string name, int32_t v) { ints_.emplace_back(std::move(name), v); }
  // A libjvm static int variable holding `value`, named by its mangled symbol.
  void Symbol(const std::string& mangled, int32_t value) {
    uint64_t at = Alloc(8);
    Put<int32_t>(at, value);
    symbols_[mangled] = at;
  }
  void Table(const std::string& name, uint64_t first) {
    uint64_t var = Alloc(8);
    Put<uint64_t>(var, first);
    symbols_[name] = var;
  }
  void Layout(const std::string& prefix, uint64_t stride,
              const std::vector<std::pair<std::string, uint64_t>>& offsets) {
    for (const auto& [name, offset] : offsets) {
      uint64_t var = Alloc(8);
      Put<uint64_t>(var, offset);
      symbols_[prefix + name + "Offset"] = var;
    }
    uint64_t var = Alloc(8);
    Put<uint64_t>(var, stride);
    symbols_[prefix + "ArrayStride"] = var;
  }
  uint64_t CStr(const std::string& s) {
    uint64_t at = Alloc(s.size() + 1);
    std::memcpy(&mem_[at - kBase], s.data(), s.size());
    return at;
  }
  // A java.lang.String with its byte[] value (length at 12, data at 16: compressed class
  // pointers, JDK 17's alignment).
  // A char[] (JDK 8's Thread.name): its length counts UTF-16 units.
  uint64_t CharArray(std::u16string_view text) {
    uint64_t value = Alloc(16 + 2 * text.size());
    Put<int32_t>(value + 12, static_cast<int32_t>(text.size()));
    for (size_t i = 0; i < text.size(); ++i) Put<uint16_t>(value + 16 + 2 * i, text[i]);
    return value;
  }
  uint64_t String(std::u16string_view text) {
    bool latin1 = !o_.old_strings;
    for (char16_t c : text) latin1 &= c < 0x100;
    size_t n = text.size() * (latin1 ? 1 : 2);
    uint64_t value = Alloc(16 + n);
    Put<int32_t>(value + 12, static_cast<int32_t>(n));
    for (size_t i = 0; i < text.size(); ++i) {
      if (latin1) {
        Put<uint8_t>(value + 16 + i, static_cast<uint8_t>(text[i]));
      } else {
        Put<uint16_t>(value + 16 + 2 * i, static_cast<uint16_t>(text[i]));
      }
    }
    uint64_t s = Alloc(24);
    Put<uint32_t>(s + kValue, Narrow(value));
    Put<int8_t>(s + kCoder, latin1 ? 0 : 1);
    return s;
  }
  static uint32_t Narrow(uint64_t addr) { return static_cast<uint32_t>((addr - kBase) >> 3); }
  uint64_t Alloc(size_t n) {
    uint64_t addr = kBase + mem_.size();
    mem_.resize(mem_.size() + ((n + 15) & ~size_t{15}), '\0');
    return addr;
  }

  Options o_;
  std::string mem_;
  std::vector<Entry> structs_;
  std::vector<TypeEntry> types_;
  std::vector<std::pair<std::string, int32_t>> ints_;
  std::map<std::string, uint64_t> symbols_;
  std::vector<uint64_t> threads_;
  uint64_t list_var_ = 0;
};

}  // namespace inquest

#endif  // INQUEST_TESTS_SUPPORT_JVM_IMAGE_H_
