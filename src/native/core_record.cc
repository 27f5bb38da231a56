#include "native/core_record.h"

#include <fmt/format.h>

#include <cstring>
#include <type_traits>
#include <vector>

namespace inquest {
namespace {

constexpr std::string_view kMagic = "INQCORE5";
constexpr std::string_view kRequestMagic = "INQCREQ3";

class Writer {
 public:
  void U64(uint64_t v) { out_.append(reinterpret_cast<const char*>(&v), 8); }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  void Bool(bool b) { out_.push_back(b ? 1 : 0); }
  void Str(std::string_view s) {
    U64(s.size());
    out_.append(s);
  }
  void Strings(const std::vector<std::string>& v) {
    U64(v.size());
    for (const std::string& s : v) Str(s);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool U64(uint64_t* v) {
    if (in_.size() - pos_ < 8) return Fail();
    std::memcpy(v, in_.data() + pos_, 8);
    pos_ += 8;
    return true;
  }
  template <typename T>
  bool Int(T* v) {
    uint64_t u = 0;
    if (!U64(&u)) return false;
    *v = static_cast<T>(u);
    return true;
  }
  bool Bool(bool* b) {
    if (pos_ >= in_.size()) return Fail();
    *b = in_[pos_++] != 0;
    return true;
  }
  bool Str(std::string* s) {
    uint64_t n = 0;
    if (!U64(&n)) return false;
    if (n > in_.size() - pos_) return Fail();
    s->assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  // A count of items each at least `min_bytes` long: more than the bytes left can hold fails.
  bool Count(uint64_t* n, size_t min_bytes) {
    if (!U64(n)) return false;
    if (*n > (in_.size() - pos_) / min_bytes) return Fail();
    return true;
  }
  bool Magic(std::string_view magic = kMagic) {
    if (in_.substr(0, magic.size()) != magic) return Fail();
    pos_ = magic.size();
    return true;
  }
  bool Strings(std::vector<std::string>* out) {
    uint64_t n = 0;
    if (!Count(&n, 8)) return false;
    for (uint64_t i = 0; i < n; ++i)
      if (!Str(&out->emplace_back())) return false;
    return true;
  }
  bool AtEnd() const { return pos_ == in_.size(); }
  size_t failed_at() const { return failed_at_; }

 private:
  bool Fail() {
    failed_at_ = pos_;
    return false;
  }
  std::string_view in_;
  size_t pos_ = 0;
  size_t failed_at_ = 0;
};

// A frame's variables (native or runtime), each field in order.
void WriteVariables(const std::vector<CoreVariable>& vars, Writer& w) {
  w.U64(vars.size());
  for (const CoreVariable& v : vars) {
    w.Str(v.name);
    w.Str(v.type);
    w.Str(v.value);
    w.Bool(v.parameter);
    w.Bool(v.available);
    w.Bool(v.is_pointer);
    w.U64(v.raw);
    w.I64(v.decl_line);
  }
}

bool ReadVariables(Reader& in, std::vector<CoreVariable>* vars) {
  uint64_t n = 0;
  if (!in.Count(&n, 43)) return false;
  for (uint64_t k = 0; k < n; ++k) {
    CoreVariable& v = vars->emplace_back();
    if (!in.Str(&v.name) || !in.Str(&v.type) || !in.Str(&v.value) || !in.Bool(&v.parameter) ||
        !in.Bool(&v.available) || !in.Bool(&v.is_pointer) || !in.U64(&v.raw) ||
        !in.Int(&v.decl_line))
      return false;
  }
  return true;
}

}  // namespace

std::string EncodeCoreReport(const CoreReport& r) {
  Writer w;
  std::string out(kMagic);
  w.Str(r.path);
  w.U64(r.size);
  w.I64(r.time);
  w.I64(r.pid);
  w.Str(r.command);
  w.Str(r.args);
  w.Str(r.executable);
  w.I64(r.signo);
  w.I64(r.si_code);
  w.Str(r.signal_name);
  w.Str(r.code_name);
  w.Bool(r.has_fault_address);
  w.U64(r.fault_address);
  w.Str(r.fault_meaning);
  w.I64(r.sender_pid);
  w.I64(r.threads_total);
  w.Bool(r.truncated);
  w.Bool(r.snapshot);
  w.Bool(r.walk.attempted);
  w.Bool(r.walk.concluded);
  w.Str(r.walk.summary);
  w.U64(r.walk.steps.size());
  for (const std::string& s : r.walk.steps) w.Str(s);
  w.U64(r.warnings.size());
  for (const std::string& s : r.warnings) w.Str(s);
  w.U64(r.modules.size());
  for (const ModuleInfo& m : r.modules) {
    w.Str(m.name);
    w.U64(m.start);
    w.U64(m.end);
    w.Str(m.build_id);
    w.Str(m.elf_path);
    w.Str(m.debug_path);
    w.U64(static_cast<uint64_t>(m.status));
    w.Str(m.note);
  }
  const RuntimeView& rv = r.runtime;
  w.Str(rv.runtime);
  w.Str(rv.version);
  w.Str(rv.module);
  w.Str(rv.build_id);
  w.Str(rv.layout);
  w.Str(rv.unreadable);
  w.Strings(rv.problems);
  w.U64(rv.threads.size());
  for (const RuntimeThread& t : rv.threads) {
    w.U64(t.id);
    w.Str(t.name);
    w.U64(t.handle);
    w.I64(t.lwp);
    w.Bool(t.holds_lock);
    w.Str(t.state);
    w.Str(t.detail);
    w.Str(t.activity);
    w.Bool(t.daemon);
    w.U64(t.last_java_sp);
    w.U64(t.last_java_pc);
    w.Str(t.created_by.function);
    w.Str(t.created_by.file);
    w.I64(t.created_by.line);
    w.Str(t.stopped);
    w.U64(t.frames.size());
    for (const RuntimeFrame& f : t.frames) {
      w.Str(f.function);
      w.Str(f.qualname);
      w.Str(f.file);
      w.I64(f.line);
      w.Bool(f.entry);
      w.I64(f.native_frame);
      w.Bool(f.inlined);
      WriteVariables(f.variables, w);
    }
  }
  w.U64(r.threads.size());
  for (const CoreThread& t : r.threads) {
    w.I64(t.tid);
    w.I64(t.signal);
    w.Bool(t.crashing);
    for (uint64_t reg : t.regs) w.U64(reg);
    w.Str(t.stopped);
    w.U64(t.frames.size());
    for (const CoreFrame& f : t.frames) {
      w.I64(f.physical);
      w.Bool(f.inlined);
      w.U64(f.pc);
      w.Str(f.module);
      w.U64(f.module_offset);
      w.Str(f.function);
      w.U64(f.function_offset);
      w.Str(f.file);
      w.I64(f.line);
      w.I64(f.column);
      w.Str(f.found_by);
      w.Bool(f.signal_trampoline);
      WriteVariables(f.variables, w);
    }
  }
  return out + w.Take();
}

Result<CoreReport> DecodeCoreReport(std::string_view bytes) {
  Reader in(bytes);
  CoreReport r;
  uint64_t n = 0, status = 0;
  bool ok = in.Magic() && in.Str(&r.path) && in.U64(&r.size) && in.Int(&r.time) && in.Int(&r.pid) &&
            in.Str(&r.command) && in.Str(&r.args) && in.Str(&r.executable) && in.Int(&r.signo) &&
            in.Int(&r.si_code) && in.Str(&r.signal_name) && in.Str(&r.code_name) &&
            in.Bool(&r.has_fault_address) && in.U64(&r.fault_address) && in.Str(&r.fault_meaning) &&
            in.Int(&r.sender_pid) && in.Int(&r.threads_total) && in.Bool(&r.truncated) &&
            in.Bool(&r.snapshot) && in.Bool(&r.walk.attempted) && in.Bool(&r.walk.concluded) &&
            in.Str(&r.walk.summary) && in.Count(&n, 8);
  for (uint64_t i = 0; ok && i < n; ++i) ok = in.Str(&r.walk.steps.emplace_back());
  ok = ok && in.Count(&n, 8);
  for (uint64_t i = 0; ok && i < n; ++i) ok = in.Str(&r.warnings.emplace_back());
  ok = ok && in.Count(&n, 64);
  for (uint64_t i = 0; ok && i < n; ++i) {
    ModuleInfo& m = r.modules.emplace_back();
    ok = in.Str(&m.name) && in.U64(&m.start) && in.U64(&m.end) && in.Str(&m.build_id) &&
         in.Str(&m.elf_path) && in.Str(&m.debug_path) && in.U64(&status) && in.Str(&m.note);
    if (ok && status > static_cast<uint64_t>(SymbolStatus::kMismatch)) ok = false;
    m.status = static_cast<SymbolStatus>(status);
  }
  RuntimeView& rv = r.runtime;
  ok = ok && in.Str(&rv.runtime) && in.Str(&rv.version) && in.Str(&rv.module) &&
       in.Str(&rv.build_id) && in.Str(&rv.layout) && in.Str(&rv.unreadable) &&
       in.Strings(&rv.problems) && in.Count(&n, 114);
  for (uint64_t i = 0; ok && i < n; ++i) {
    RuntimeThread& t = rv.threads.emplace_back();
    uint64_t nf = 0;
    ok = in.U64(&t.id) && in.Str(&t.name) && in.U64(&t.handle) && in.Int(&t.lwp) &&
         in.Bool(&t.holds_lock) && in.Str(&t.state) && in.Str(&t.detail) && in.Str(&t.activity) &&
         in.Bool(&t.daemon) && in.U64(&t.last_java_sp) && in.U64(&t.last_java_pc) &&
         in.Str(&t.created_by.function) && in.Str(&t.created_by.file) &&
         in.Int(&t.created_by.line) && in.Str(&t.stopped) && in.Count(&nf, 32);
    for (uint64_t k = 0; ok && k < nf; ++k) {
      RuntimeFrame& f = t.frames.emplace_back();
      ok = in.Str(&f.function) && in.Str(&f.qualname) && in.Str(&f.file) && in.Int(&f.line) &&
           in.Bool(&f.entry) && in.Int(&f.native_frame) && in.Bool(&f.inlined) &&
           ReadVariables(in, &f.variables);
    }
  }
  ok = ok && in.Count(&n, 8 * kX86_64RegCount);
  for (uint64_t i = 0; ok && i < n; ++i) {
    CoreThread& t = r.threads.emplace_back();
    uint64_t nf = 0;
    ok = in.Int(&t.tid) && in.Int(&t.signal) && in.Bool(&t.crashing);
    for (uint64_t& reg : t.regs) ok = ok && in.U64(&reg);
    ok = ok && in.Str(&t.stopped) && in.Count(&nf, 98);
    for (uint64_t j = 0; ok && j < nf; ++j) {
      CoreFrame& f = t.frames.emplace_back();
      ok = in.Int(&f.physical) && in.Bool(&f.inlined) && in.U64(&f.pc) && in.Str(&f.module) &&
           in.U64(&f.module_offset) && in.Str(&f.function) && in.U64(&f.function_offset) &&
           in.Str(&f.file) && in.Int(&f.line) && in.Int(&f.column) && in.Str(&f.found_by) &&
           in.Bool(&f.signal_trampoline) && ReadVariables(in, &f.variables);
    }
  }
  if (!ok || !in.AtEnd()) {
    return Status::BadInput(
        fmt::format("core report record damaged at byte {}", ok ? bytes.size() : in.failed_at()),
        {"", 0, ok ? bytes.size() : in.failed_at(), true});
  }
  return r;
}

std::string EncodeCoreRequest(const CoreRequest& q) {
  const CoreOptions& o = q.options;
  Writer w;
  w.Str(q.path);
  w.Str(o.search.exe);
  w.Strings(o.search.debug_dirs);
  w.Str(o.search.sysroot);
  w.Bool(o.search.debuginfod);
  w.I64(o.search.debuginfod_timeout_seconds);
  w.U64(o.max_threads);
  w.U64(o.max_frames);
  w.I64(o.time_limit_seconds);
  w.U64(static_cast<uint64_t>(o.locals));
  w.Bool(o.force_exe);
  w.Strings(o.source_dirs);
  w.I64(o.worker.cpu_seconds);
  w.U64(o.worker.memory_bytes);
  w.U64(o.worker.output_bytes);
  w.U64(static_cast<uint64_t>(o.worker.drill));
  w.I64(o.goroutine);
  return std::string(kRequestMagic) + w.Take();
}

Result<CoreRequest> DecodeCoreRequest(std::string_view bytes) {
  Reader in(bytes);
  CoreRequest q;
  CoreOptions& o = q.options;
  uint64_t locals = 0, drill = 0;
  bool ok = in.Magic(kRequestMagic) && in.Str(&q.path) && in.Str(&o.search.exe) &&
            in.Strings(&o.search.debug_dirs) && in.Str(&o.search.sysroot) &&
            in.Bool(&o.search.debuginfod) && in.Int(&o.search.debuginfod_timeout_seconds) &&
            in.Int(&o.max_threads) && in.Int(&o.max_frames) && in.Int(&o.time_limit_seconds) &&
            in.U64(&locals) && in.Bool(&o.force_exe) && in.Strings(&o.source_dirs) &&
            in.Int(&o.worker.cpu_seconds) && in.U64(&o.worker.memory_bytes) &&
            in.U64(&o.worker.output_bytes) && in.U64(&drill) && in.Int(&o.goroutine) &&
            in.AtEnd() && locals <= static_cast<uint64_t>(LocalsScope::kAllThreads) &&
            drill <= static_cast<uint64_t>(CoreWorkerDrill::kCrash);
  if (!ok) {
    return Status::BadInput(fmt::format("core worker request damaged at byte {}", in.failed_at()),
                            {"", 0, in.failed_at(), true});
  }
  o.locals = static_cast<LocalsScope>(locals);
  o.worker.drill = static_cast<CoreWorkerDrill>(drill);
  return q;
}

}  // namespace inquest
