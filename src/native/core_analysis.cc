#include "native/core_analysis.h"

#include <dwarf.h>
#include <elf.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "base/mapped_file.h"
#include "native/address_lookup.h"
#include "native/core_file.h"
#include "native/dwfl_session.h"
#include "native/go_core.h"
#include "native/jvm_core.h"
#include "native/origin_walk.h"
#include "native/python_core.h"
#include "native/runtime_join.h"
#include "native/signal_info.h"
#include "native/variables.h"

namespace inquest {
namespace {

using Clock = std::chrono::steady_clock;

// Per pc (and whether it is exact): the lookup and whether CFI covers it. Threads parked at the
// same place share most of their pcs, and the lookup is most of the cost of a frame.
struct PcInfo {
  SymbolizedAddress where;
  bool has_cfi = false;
  Dwfl_Module* mod = nullptr;
};
using PcCache = std::unordered_map<uint64_t, PcInfo>;

struct UnwindState {
  PcCache* cache;
  DwflSession* session;
  const MemorySource* memory;
  CoreThread* thread;
  size_t max_frames;
  Clock::time_point deadline;
  bool with_locals;
  int physical = 0;
  bool prev_had_cfi = false;
  std::string stopped;  // set when the callback ends the walk
};

bool HasCfi(Dwfl_Module* mod, uint64_t lookup) {
  Dwarf_Addr bias = 0;
  Dwarf_Frame* frame = nullptr;
  Dwarf_CFI* cfi = dwfl_module_eh_cfi(mod, &bias);
  if (cfi != nullptr && dwarf_cfi_addrframe(cfi, lookup - bias, &frame) == 0) {
    std::free(frame);
    return true;
  }
  cfi = dwfl_module_dwarf_cfi(mod, &bias);
  if (cfi != nullptr && dwarf_cfi_addrframe(cfi, lookup - bias, &frame) == 0) {
    std::free(frame);
    return true;
  }
  return false;
}

// Functions where a stack ordinarily ends: an unwinder error after them is no news.
bool IsOutermost(const std::string& function) {
  return function == "_start" || function == "clone" || function == "clone3" ||
         function == "__clone" || function == "__clone3";
}

const std::vector<CoreFrame>& frames_of(const UnwindState* u) { return u->thread->frames; }

int OnFrame(Dwfl_Frame* state, void* arg) {
  auto* u = static_cast<UnwindState*>(arg);
  if (static_cast<size_t>(u->physical) >= u->max_frames) {
    u->stopped = fmt::format("frame limit {} reached", u->max_frames);
    return DWARF_CB_ABORT;
  }
  if (Clock::now() > u->deadline) {
    u->stopped = "time limit reached";
    return DWARF_CB_ABORT;
  }
  if (!frames_of(u).empty() && !frames_of(u).back().inlined &&
      IsOutermost(frames_of(u).back().function)) {
    return DWARF_CB_ABORT;  // past _start or clone: nothing a reader wants, often garbage
  }
  Dwarf_Addr pc = 0;
  bool exact = false;
  if (!dwfl_frame_pc(state, &pc, &exact)) {
    u->stopped = std::string("no pc: ") + dwfl_errmsg(-1);
    return DWARF_CB_ABORT;
  }
  std::vector<CoreFrame>& frames = u->thread->frames;
  std::string found_by = u->physical == 0  ? "registers"
                         : exact           ? "signal frame"
                         : u->prev_had_cfi ? "cfi"
                                           : "frame pointer";
  if (u->physical > 0 && exact && !frames.empty()) frames.back().signal_trampoline = true;
  Dwfl* dwfl = u->session->dwfl();
  const uint64_t lookup = exact || pc == 0 ? pc : pc - 1;
  auto [it, fresh] = u->cache->try_emplace(pc * 2 + (exact ? 1 : 0));
  PcInfo& info = it->second;
  if (fresh) {
    info.where = LookupAddress(dwfl, pc, exact ? AddressKind::kExact : AddressKind::kReturnAddress);
    info.mod = dwfl_addrmodule(dwfl, lookup);
    info.has_cfi = info.mod != nullptr && HasCfi(info.mod, lookup);
  }
  const SymbolizedAddress& a = info.where;
  size_t first = frames.size();
  for (const InlinedCall& call : a.inlined) {
    CoreFrame f;
    f.physical = u->physical;
    f.inlined = true;
    f.pc = pc;
    f.module = a.module;
    f.module_offset = a.module_offset;
    f.function = call.function;
    f.file = call.file;
    f.line = call.line;
    f.column = call.column;
    f.found_by = "inline";
    frames.push_back(std::move(f));
  }
  CoreFrame f;
  f.physical = u->physical;
  f.pc = pc;
  f.module = a.module;
  f.module_offset = a.module_offset;
  f.function = a.function;
  f.function_offset = a.function_offset;
  f.file = a.file;
  f.line = a.line;
  f.column = a.column;
  f.found_by = "inline";
  frames.push_back(std::move(f));
  frames[first].found_by = found_by;

  if (info.mod != nullptr && u->with_locals) {
    auto vars = FrameVariables(state, info.mod, pc, exact, *u->memory);
    for (size_t k = 0; k < vars.size() && first + k < frames.size(); ++k) {
      frames[first + k].variables = std::move(vars[k]);
    }
  }
  u->prev_had_cfi = info.has_cfi;
  ++u->physical;
  return DWARF_CB_OK;
}

// libdwfl's own core attachment reads memory through libelf raw chunks, which it keeps in a
// list searched on every read; these callbacks read the core through CoreFile's sorted
// segments instead (and the module files for what the kernel did not dump).
struct ThreadSource {
  const CoreFile* core;
  const MemorySource* memory;
};

// DWARF x86-64 register n (rax, rdx, rcx, rbx, rsi, rdi, rbp, rsp, r8..r15) in NT_PRSTATUS.
constexpr size_t kDwarfToPrstatus[16] = {10, 12, 11, 5, 13, 14, 4, 19, 9, 8, 7, 6, 3, 2, 1, 0};

pid_t NextThread(Dwfl*, void* arg, void** thread_argp) {
  auto* src = static_cast<ThreadSource*>(arg);
  const auto& threads = src->core->threads;
  size_t next = 0;
  if (*thread_argp != nullptr) {
    next =
        static_cast<size_t>(static_cast<const CoreThreadState*>(*thread_argp) - threads.data()) + 1;
  }
  if (next >= threads.size()) return 0;
  *thread_argp = const_cast<CoreThreadState*>(&threads[next]);
  return threads[next].tid;
}

bool GetThread(Dwfl*, pid_t tid, void* arg, void** thread_argp) {
  auto* src = static_cast<ThreadSource*>(arg);
  for (const CoreThreadState& t : src->core->threads) {
    if (t.tid == tid) {
      *thread_argp = const_cast<CoreThreadState*>(&t);
      return true;
    }
  }
  return false;
}

bool ReadWord(Dwfl*, Dwarf_Addr addr, Dwarf_Word* result, void* arg) {
  return static_cast<ThreadSource*>(arg)->memory->Read(addr, result, sizeof(*result));
}

bool SetInitialRegisters(Dwfl_Thread* thread, void* thread_arg) {
  const auto* t = static_cast<const CoreThreadState*>(thread_arg);
  Dwarf_Word regs[16];
  for (size_t i = 0; i < 16; ++i) regs[i] = t->regs[kDwarfToPrstatus[i]];
  if (!dwfl_thread_state_registers(thread, 0, 16, regs)) return false;
  dwfl_thread_state_register_pc(thread, t->regs[kRegRip]);
  return true;
}

constexpr Dwfl_Thread_Callbacks kThreadCallbacks = {NextThread,          GetThread, ReadWord,
                                                    SetInitialRegisters, nullptr,   nullptr};

std::string FindExecutable(const CoreFile& core, uint64_t entry) {
  for (const ModuleMapping& m : core.mappings) {
    if (entry != 0 && entry >= m.start && entry < m.end) return m.path;
  }
  if (!core.execfn.empty() && core.execfn[0] == '/') return core.execfn;
  return core.mappings.empty() ? std::string() : core.mappings.front().path;
}

}  // namespace

namespace {

// --exe against the executable the process ran: a file of another build is refused (unless
// force_exe), since every frame in it would be wrong; a core that names no executable cannot
// tell, and says so.
Status CheckGivenExecutable(const CoreOptions& options, CoreReport& report, uint64_t entry,
                            const std::string& exe_name) {
  const std::string& exe = options.search.exe;
  std::string given = FileBuildId(exe);
  const ModuleInfo* main = nullptr;
  for (const ModuleInfo& m : report.modules)
    if ((entry >= m.start && entry < m.end) || m.name == exe_name) main = &m;
  if (main == nullptr || main->build_id.empty() || given.empty()) {
    report.warnings.push_back(fmt::format(
        "--exe {}: {}, so whether it is the build the process ran cannot be checked", exe,
        given.empty()     ? "it has no build-id"
        : main == nullptr ? "the core names no executable (no file list, no entry point)"
                          : "the core holds no build-id for its executable"));
    return Status::Ok();
  }
  if (given == main->build_id) return Status::Ok();
  std::string what = fmt::format(
      "--exe {}: its build-id {} differs from {}, the build-id of the executable the process "
      "ran ({})",
      exe, given, main->build_id, main->name);
  if (!options.force_exe)
    return Status::BadInput(
        what +
        ": its symbols would name the wrong functions. Give the executable of that build "
        "(or its debug file with --debug-dir), or --force-exe to read it anyway");
  report.warnings.push_back(what + ": read anyway (--force-exe); frames in it may be wrong");
  return Status::Ok();
}

}  // namespace

Result<CoreReport> AnalyzeCoreInProcess(const std::string& path, const CoreOptions& options) {
  const Clock::time_point deadline =
      Clock::now() + std::chrono::seconds(options.time_limit_seconds);
  INQ_ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(path));
  INQ_ASSIGN_OR_RETURN(CoreFile core, ParseCoreFile(file.data(), path));
  CoreReport report;
  report.path = path;
  report.size = file.size();
  report.time = file.mtime_ns();
  report.pid = core.pid;
  report.command = core.command;
  report.args = core.args;
  report.truncated = core.truncated;
  report.warnings = core.problems;
  report.threads_total = static_cast<int>(core.threads.size());
  if (core.threads.empty()) {
    report.warnings.push_back("the core holds no thread state (no NT_PRSTATUS note)");
  }

  // The signal: NT_SIGINFO when present, else the dumping thread's current signal.
  size_t crashing = 0;
  if (core.siginfo) {
    report.signo = core.siginfo->signo;
    report.si_code = core.siginfo->code;
  }
  for (size_t i = 0; i < core.threads.size(); ++i) {
    if (core.threads[i].signal != 0 &&
        (report.signo == 0 || core.threads[i].signal == report.signo)) {
      crashing = i;
      if (report.signo == 0) report.signo = core.threads[i].signal;
      break;
    }
  }
  report.snapshot = !SignalDumpsCore(report.signo);
  if (report.signo != 0) {
    report.signal_name = DescribeSignal(report.signo);
    if (core.siginfo) {
      report.code_name = DescribeSignalCode(report.signo, report.si_code);
      report.has_fault_address = HasFaultAddress(report.signo, report.si_code);
      if (report.has_fault_address) report.fault_address = core.siginfo->addr;
      if (report.si_code <= 0) report.sender_pid = core.siginfo->sender_pid;
      uint64_t sp = core.threads.empty() ? 0 : core.threads[crashing].regs[kRegRsp];
      bool mapped = false, writable = false;
      for (const CoreLoadSegment& s : core.loads) {
        if (core.siginfo->addr >= s.vaddr && core.siginfo->addr - s.vaddr < s.memsz) {
          mapped = true;
          writable = (s.flags & PF_W) != 0;
        }
      }
      report.fault_meaning =
          FaultMeaning(report.signo, report.si_code, core.siginfo->addr, sp, mapped, writable);
    }
  }

  INQ_ASSIGN_OR_RETURN(std::unique_ptr<DwflSession> session, DwflSession::Create(options.search));
  DwflSession::Scope scope(session.get());
  uint64_t entry = 0;
  for (const auto& [key, value] : core.auxv) {
    if (key == AT_ENTRY) entry = value;
  }
  std::string exe_name = FindExecutable(core, entry);
  session->set_main_module_name(exe_name);
  session->set_main_address(entry);
  std::string exe_for_core = options.search.exe;
  if (exe_for_core.empty() && !exe_name.empty() && ::access(exe_name.c_str(), R_OK) == 0) {
    exe_for_core = exe_name;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot open", path);
  Elf* elf = elf_begin(fd, ELF_C_READ, nullptr);
  if (elf == nullptr) {
    ::close(fd);
    return Status::BadInput(std::string("libelf: ") + elf_errmsg(-1), {path});
  }
  Dwfl* dwfl = session->dwfl();
  dwfl_report_begin(dwfl);
  int reported =
      dwfl_core_file_report(dwfl, elf, exe_for_core.empty() ? nullptr : exe_for_core.c_str());
  dwfl_report_end(dwfl, nullptr, nullptr);
  if (reported < 0) {
    report.warnings.push_back(std::string("no modules found in the core: ") + dwfl_errmsg(-1));
  }
  // Stacks, runtime structures and variables are read through the descriptor with a page cache
  // in front: the worker's memory stays the cache, not every page it touched.
  MemorySource memory{&core, file.data(), dwfl};
  memory.fd = fd;
  PageCache pages(
      [&memory](uint64_t addr, void* out, size_t len) { return memory.ReadCore(addr, out, len); });
  memory.cache = &pages;
  ThreadSource thread_source{&core, &memory};
  int attached = dwfl_attach_state(dwfl, elf, core.pid, &kThreadCallbacks, &thread_source)
                     ? core.pid
                     : dwfl_core_file_attach(dwfl, elf);
  if (attached < 0) {
    report.warnings.push_back(std::string("threads cannot be unwound: ") + dwfl_errmsg(-1));
  }
  report.modules = session->DescribeAll();
  for (const ModuleInfo& m : report.modules) {
    bool is_main = (entry >= m.start && entry < m.end) || m.name == exe_name;
    if (is_main) {
      report.executable =
          !m.elf_path.empty() ? m.elf_path
          : m.status != SymbolStatus::kMissing && m.status != SymbolStatus::kMismatch
              ? m.name + " (the ELF image held in the core)"
              : "";
    }
    if (m.status == SymbolStatus::kMismatch || (is_main && m.status == SymbolStatus::kMissing)) {
      report.warnings.push_back(m.name + ": " + m.note +
                                (is_main ? " (give the right executable with --exe)" : ""));
    }
  }

  if (!options.search.exe.empty()) {
    if (Status s = CheckGivenExecutable(options, report, entry, exe_name); !s.ok()) {
      session.reset();
      elf_end(elf);
      ::close(fd);
      return s;
    }
  }
  PcCache cache;
  std::vector<size_t> order;
  if (!core.threads.empty()) order.push_back(crashing);
  for (size_t i = 0; i < core.threads.size(); ++i) {
    if (i != crashing) order.push_back(i);
  }
  if (order.size() > options.max_threads) {
    report.warnings.push_back(
        fmt::format("{} threads of {} shown (--max-threads)", options.max_threads, order.size()));
    order.resize(options.max_threads);
  }
  for (size_t i : order) {
    const CoreThreadState& ts = core.threads[i];
    CoreThread t;
    t.tid = ts.tid;
    t.signal = ts.signal;
    t.crashing = i == crashing && !report.snapshot;
    t.regs = ts.regs;
    if (Clock::now() > deadline) {
      report.warnings.push_back(
          fmt::format("time limit of {} s reached: threads after {} not unwound",
                      options.time_limit_seconds, report.threads.size()));
      break;
    }
    bool locals = options.locals == LocalsScope::kAllThreads ||
                  (options.locals == LocalsScope::kCrashingThread && t.crashing);
    UnwindState u{&cache, session.get(), &memory, &t, options.max_frames, deadline, locals};
    int rc = attached < 0 ? -1 : dwfl_getthread_frames(dwfl, ts.tid, OnFrame, &u);
    if (!u.stopped.empty()) {
      t.stopped = u.stopped;
    } else if (rc != 0) {
      std::string err = attached < 0 ? "threads cannot be unwound" : dwfl_errmsg(-1);
      if (t.frames.empty() || !IsOutermost(t.frames.back().function)) {
        const CoreFrame* last = t.frames.empty() ? nullptr : &t.frames.back();
        t.stopped = last != nullptr && last->function.empty()
                        ? "no unwind information past a frame without symbols (" + err + ")"
                        : err;
      }
    }
    if (t.frames.empty()) {
      // Not even the registers could be walked: show the saved pc on its own.
      SymbolizedAddress a = LookupAddress(dwfl, ts.regs[kRegRip], AddressKind::kExact);
      CoreFrame f;
      f.pc = ts.regs[kRegRip];
      f.module = a.module;
      f.module_offset = a.module_offset;
      f.function = a.function;
      f.function_offset = a.function_offset;
      f.file = a.file;
      f.line = a.line;
      f.column = a.column;
      f.found_by = "registers";
      t.frames.push_back(std::move(f));
    }
    report.threads.push_back(std::move(t));
  }
  report.walk = WalkToOrigin(report, options.source_dirs);
  // The runtime walks read the core through its descriptor, not the mapping: they touch a page
  // per goroutine or thread, which must not all count as the worker's memory.
  ReadMemoryFn read = [&memory](uint64_t addr, void* out, size_t len) {
    return memory.Read(addr, out, len);
  };
  report.runtime = ReadGoView(dwfl, core.threads, read, options.goroutine, &memory);
  if (report.runtime.runtime.empty()) report.runtime = ReadPythonView(dwfl, read);
  if (report.runtime.runtime.empty()) report.runtime = ReadJvmView(dwfl, read);
  if (options.goroutine >= 0 && report.runtime.runtime != "Go") {
    report.warnings.push_back(fmt::format(
        "--goroutine {}: the process ran no Go runtime inquest found ({}), so no goroutine is "
        "shown with its variables",
        options.goroutine,
        report.runtime.runtime.empty() ? "a native process" : report.runtime.runtime));
  }
  JoinRuntimeFrames(&report);
  session.reset();  // libdwfl lets go of the core's Elf before it is closed
  elf_end(elf);
  ::close(fd);
  return report;
}

}  // namespace inquest
