#include "native/go_core.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <string>

#include "native/go_pclntab.h"
#include "native/module_symbols.h"
#include "native/variables.h"

namespace inquest {
namespace {

// The members of the structure types named in `wanted`, by type then member name.
std::map<std::string, std::map<std::string, int64_t>> StructMembers(
    Dwarf* dwarf, const std::vector<std::string_view>& wanted) {
  std::map<std::string, std::map<std::string, int64_t>> out;
  Dwarf_Off off = 0, next = 0;
  size_t header = 0;
  while (dwarf_nextcu(dwarf, off, &next, &header, nullptr, nullptr, nullptr) == 0 &&
         out.size() < wanted.size()) {
    Dwarf_Die cu, child;
    if (dwarf_offdie(dwarf, off + header, &cu) != nullptr && dwarf_child(&cu, &child) == 0) {
      do {
        if (dwarf_tag(&child) != DW_TAG_structure_type) continue;
        const char* name = dwarf_diename(&child);
        if (name == nullptr) continue;
        if (std::find(wanted.begin(), wanted.end(), std::string_view(name)) == wanted.end())
          continue;
        auto& members = out[name];
        Dwarf_Die m;
        if (dwarf_child(&child, &m) != 0) continue;
        do {
          Dwarf_Attribute attr;
          Dwarf_Word loc = 0;
          const char* mname = dwarf_diename(&m);
          if (dwarf_tag(&m) == DW_TAG_member && mname != nullptr &&
              dwarf_attr(&m, DW_AT_data_member_location, &attr) != nullptr &&
              dwarf_formudata(&attr, &loc) == 0)
            members[mname] = static_cast<int64_t>(loc);
        } while (dwarf_siblingof(&m, &m) == 0);
      } while (dwarf_siblingof(&child, &child) == 0);
    }
    off = next;
  }
  return out;
}

GoOffsets ReadOffsets(Dwfl_Module* mod) {
  GoOffsets o;
  Dwarf_Addr bias = 0;
  Dwarf* dwarf = dwfl_module_getdwarf(mod, &bias);
  if (dwarf == nullptr) return o;
  auto s = StructMembers(dwarf, {"runtime.g", "runtime.gobuf", "runtime.m", "runtime.stack"});
  auto get = [&](std::string_view type, std::string_view member) -> int64_t {
    auto t = s.find(std::string(type));
    if (t == s.end()) return -1;
    auto m = t->second.find(std::string(member));
    return m == t->second.end() ? -1 : m->second;
  };
  o.goid = get("runtime.g", "goid");
  o.atomicstatus = get("runtime.g", "atomicstatus");
  o.waitreason = get("runtime.g", "waitreason");
  o.sched = get("runtime.g", "sched");
  o.syscallsp = get("runtime.g", "syscallsp");
  o.syscallpc = get("runtime.g", "syscallpc");
  o.m = get("runtime.g", "m");
  o.gopc = get("runtime.g", "gopc");
  o.stack = get("runtime.g", "stack");
  o.gobuf_sp = get("runtime.gobuf", "sp");
  o.gobuf_pc = get("runtime.gobuf", "pc");
  o.stack_lo = get("runtime.stack", "lo");
  o.stack_hi = get("runtime.stack", "hi");
  o.m_procid = get("runtime.m", "procid");
  return o;
}

// The .gopclntab section of the module's file.
std::string_view PclntabOf(Dwfl_Module* mod, uint64_t* bias) {
  GElf_Addr b = 0;
  Elf* elf = dwfl_module_getelf(mod, &b);
  *bias = b;
  if (elf == nullptr) return {};
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf, &shstrndx) != 0) return {};
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr) continue;
    const char* name = elf_strptr(elf, shstrndx, shdr.sh_name);
    if (name == nullptr || std::strcmp(name, ".gopclntab") != 0) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (data == nullptr || data->d_buf == nullptr) return {};
    return {static_cast<const char*>(data->d_buf), data->d_size};
  }
  return {};
}

// _G* (runtime2.go; stable since Go 1.0, the scan bit 0x1000 masked).
std::string_view StatusName(uint32_t s) {
  switch (s & ~0x1000u) {
    case 0:
      return "idle";
    case 1:
      return "runnable";
    case 2:
      return "running";
    case 3:
      return "syscall";
    case 4:
      return "waiting";
    case 6:
      return "dead";
    case 8:
      return "copystack";
    case 9:
      return "preempted";
    default:
      return "unknown";
  }
}

bool ReadGoString(const ReadMemoryFn& read, uint64_t header, std::string* out) {
  uint64_t ptr = 0, len = 0;
  if (!read(header, &ptr, 8) || !read(header + 8, &len, 8) || len > 256) return false;
  out->assign(len, '\0');
  return len == 0 || read(ptr, out->data(), len);
}

RuntimeFrame FrameAt(const GoPclntab& tab, const GoFunc& f, uint64_t pc) {
  RuntimeFrame r;
  r.function = std::string(f.name);
  r.file = tab.File(f, pc);
  r.line = tab.Line(f, pc);
  return r;
}

constexpr uint32_t kPcdataInlTreeIndex = 2;
constexpr uint8_t kFuncdataInlTree = 3;

// The frames at `tracepc` of `f`: the calls inlined there, innermost first, then `f` itself at
// the line of the outermost call, as the runtime's traceback expands them.
void FramesAt(const GoPclntab& tab, const GoFunc& f, uint64_t tracepc, uint64_t gofunc,
              const ReadMemoryFn& read, std::vector<RuntimeFrame>* out) {
  std::optional<uint32_t> tree = gofunc ? tab.FuncData(f, kFuncdataInlTree) : std::nullopt;
  for (int depth = 0; tree && depth < 64; ++depth) {
    std::optional<int64_t> ix = tab.PcData(f, kPcdataInlTreeIndex, tracepc);
    if (!ix || *ix < 0 || *ix > 1'000'000) break;
    char entry[20];
    if (!read(gofunc + *tree + static_cast<uint64_t>(*ix) * tab.inlined_call_size(), entry,
              tab.inlined_call_size()))
      break;
    GoInlinedCall call = tab.InlinedCall(entry);
    RuntimeFrame r;
    r.function = std::string(tab.Name(call.name_offset));
    r.file = tab.File(f, tracepc);
    r.line = tab.Line(f, tracepc);
    r.inlined = true;
    out->push_back(std::move(r));
    if (call.parent_pc < 0) break;
    tracepc = f.entry + static_cast<uint64_t>(call.parent_pc);
  }
  out->push_back(FrameAt(tab, f, tracepc));
}

// Unwinds from (pc, sp): innermost first. `locals` (when set) is given each physical frame.
void Unwind(const GoPclntab& tab, const ReadMemoryFn& read, uint64_t gofunc, uint64_t pc,
            uint64_t sp, RuntimeThread* t, const GoFrameLocalsFn* locals) {
  bool after_sigpanic = false;
  for (size_t n = 0; n < kMaxGoFrames; ++n) {
    const GoFunc* f = tab.Find(pc);
    if (f == nullptr) {
      t->stopped = fmt::format("pc {:#x} is in no Go function", pc);
      return;
    }
    // A return address names the call before it (pc-1), as the runtime's tracebacks do; but
    // the frame sigpanic was injected over faulted at pc itself.
    size_t first = t->frames.size();
    FramesAt(tab, *f, pc > f->entry && !after_sigpanic ? pc - 1 : pc, gofunc, read, &t->frames);
    after_sigpanic = f->name == "runtime.sigpanic";
    if (locals != nullptr) (*locals)(pc, sp, pc == f->entry, &t->frames, first);
    if (f->name == "runtime.goexit" || f->name == "runtime.mstart" || f->name == "runtime.rt0_go")
      return;
    std::optional<int64_t> size = tab.FrameSize(*f, pc);
    if (!size || *size < 0) {
      t->stopped = fmt::format("no frame size for {} at {:#x}", f->name, pc);
      return;
    }
    uint64_t ret = 0;
    if (!read(sp + static_cast<uint64_t>(*size), &ret, 8)) {
      t->stopped = fmt::format("the stack at {:#x} is not in the core", sp + *size);
      return;
    }
    sp += static_cast<uint64_t>(*size) + 8;
    pc = ret;
    if (pc == 0) return;
  }
  t->stopped = fmt::format("frame limit {} reached", kMaxGoFrames);
}

// Where the signal handler a thread runs (from `pc`, `sp`) interrupted a goroutine whose stack
// is [lo, hi): a crash under GOTRACEBACK=crash raises SIGABRT from the handler of the fault,
// so the thread is on its signal stack. The handler's frames are unwound with the pclntab up
// to runtime.sigtramp, whose caller is the kernel's signal frame: its ucontext, above the
// return address, holds the registers the signal interrupted. A handler that interrupted
// another handler (a signal stack) is followed the same way, a few times at most. nullopt when
// no signal frame leads onto the goroutine's stack.
std::optional<std::pair<uint64_t, uint64_t>> InterruptedContext(const GoPclntab& tab,
                                                                const ReadMemoryFn& read,
                                                                uint64_t pc, uint64_t sp,
                                                                uint64_t lo, uint64_t hi) {
  // struct ucontext: uc_flags, uc_link, uc_stack (24 bytes), then the sigcontext, whose 16th
  // and 17th words are rsp and rip (x86-64).
  constexpr uint64_t kUcontextRsp = 40 + 15 * 8, kUcontextRip = 40 + 16 * 8;
  for (int signals = 0, n = 0; signals < 4 && n < 256; ++n) {
    const GoFunc* f = tab.Find(pc);
    if (f == nullptr) return std::nullopt;
    std::optional<int64_t> size = tab.FrameSize(*f, pc);
    if (!size || *size < 0) return std::nullopt;
    if (f->name == "runtime.sigtramp") {
      uint64_t uc = sp + static_cast<uint64_t>(*size) + 8;
      if (!read(uc + kUcontextRip, &pc, 8) || !read(uc + kUcontextRsp, &sp, 8)) return std::nullopt;
      if (sp >= lo && sp < hi) return std::make_pair(pc, sp);
      ++signals;
      continue;
    }
    uint64_t ret = 0;
    if (!read(sp + static_cast<uint64_t>(*size), &ret, 8) || ret == 0) return std::nullopt;
    sp += static_cast<uint64_t>(*size) + 8;
    pc = ret;
  }
  return std::nullopt;
}

}  // namespace

RuntimeView ReadGoView(Dwfl* dwfl, const std::vector<CoreThreadState>& threads,
                       const ReadMemoryFn& read, int64_t locals_goid, const MemorySource* memory) {
  RuntimeView v;
  uint64_t allgs = 0;
  Dwfl_Module* mod = ModuleWithSymbol(dwfl, "runtime.allgs", &allgs);
  if (mod == nullptr) return v;
  v.runtime = "Go";
  v.module = ModuleFile(mod);
  uint64_t version_at = ModuleSymbol(mod, "runtime.buildVersion");
  std::string version;
  if (version_at != 0 && ReadGoString(read, version_at, &version)) v.version = version;
  uint64_t bias = 0;
  std::string_view table = PclntabOf(mod, &bias);
  Result<GoPclntab> tab = GoPclntab::Parse(table, bias);
  if (!tab.ok()) {
    v.unreadable =
        table.empty() ? "the executable has no .gopclntab section" : tab.status().message();
    return v;
  }
  GoOffsets at = ReadOffsets(mod);
  if (!at.complete()) {
    v.unreadable =
        "the executable has no DWARF describing runtime.g (built with -ldflags=-w, or stripped): "
        "goroutine fields cannot be located; functions and lines are still in its .gopclntab";
    return v;
  }
  v.layout = fmt::format("executable's DWARF (runtime.g), pclntab {}", tab->version());
  GoRuntimeSymbols syms;
  syms.allgs = allgs;
  syms.wait_reasons = ModuleSymbol(mod, "runtime.waitReasonStrings");
  // The base of funcdata (the inline trees): go.func.* to Go 1.19, go:func.* from 1.20.
  syms.gofunc = ModuleSymbol(mod, "go:func.*");
  if (syms.gofunc == 0) syms.gofunc = ModuleSymbol(mod, "go.func.*");
  GoLocalsRequest locals;
  locals.goid = locals_goid;
  if (locals_goid >= 0 && memory != nullptr) {
    // A goroutine frame is known by its pc and stack pointer: DWARF's frame base (the CFA of
    // the binary's .debug_frame) follows from the stack pointer; other registers are unknown.
    locals.read = [mod, memory](uint64_t pc, uint64_t sp, bool exact,
                                std::vector<RuntimeFrame>* frames, size_t first) {
      FrameRegisterFn reg = [pc, sp](unsigned regno) -> std::optional<uint64_t> {
        if (regno == kDwarfRsp) return sp;
        if (regno == kDwarfRip) return pc;
        return std::nullopt;
      };
      std::vector<std::vector<CoreVariable>> vars = FrameVariablesAt(reg, mod, pc, exact, *memory);
      // Both lists end with the real function: align them from the end (DWARF may know fewer
      // inlined scopes than the pclntab's inline tree).
      size_t logical = frames->size() - first;
      for (size_t j = 0; j < vars.size() && j < logical; ++j)
        (*frames)[frames->size() - 1 - j].variables = std::move(vars[vars.size() - 1 - j]);
    };
  }
  RuntimeView g = ReadGoroutines(*tab, at, syms, threads, read, locals);
  v.unreadable = std::move(g.unreadable);
  v.threads = std::move(g.threads);
  for (std::string& p : g.problems) v.problems.push_back(std::move(p));
  return v;
}

RuntimeView ReadGoroutines(const GoPclntab& tab, const GoOffsets& at, const GoRuntimeSymbols& syms,
                           const std::vector<CoreThreadState>& threads, const ReadMemoryFn& read,
                           const GoLocalsRequest& locals) {
  RuntimeView v;
  uint64_t allgs = syms.allgs, reasons = syms.wait_reasons, gofunc = syms.gofunc;
  if (gofunc == 0)
    v.problems.push_back("no go:func.* symbol (a stripped binary): inlined calls are not shown");
  uint64_t array = 0, count = 0;
  if (!read(allgs, &array, 8) || !read(allgs + 8, &count, 8)) {
    v.unreadable = fmt::format("runtime.allgs ({:#x}) is not in the core", allgs);
    return v;
  }
  if (count > kMaxGoroutines) {
    v.problems.push_back(
        fmt::format("allgs holds {} goroutines: the first {} are read", count, kMaxGoroutines));
    count = kMaxGoroutines;
  }
  // Entries that cannot be read are counted, not listed one by one: a damaged allgs may claim
  // a million of them.
  uint64_t lost_entries = 0, lost_gs = 0, first_lost_entry = 0, first_lost_g = 0;
  bool found_wanted = false;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t g = 0;
    if (!read(array + 8 * i, &g, 8) || g == 0) {
      if (lost_entries++ == 0) first_lost_entry = i;
      continue;
    }
    int64_t goid = 0;
    uint32_t status = 0;
    if (!read(g + at.goid, &goid, 8) || !read(g + at.atomicstatus, &status, 4)) {
      if (lost_gs++ == 0) first_lost_g = g;
      continue;
    }
    std::string_view state = StatusName(status);
    if (state == "dead" || state == "idle") continue;
    RuntimeThread t;
    t.id = static_cast<uint64_t>(goid);
    t.state = std::string(state);
    uint8_t reason = 0;
    std::string why;
    if (state == "waiting" && at.waitreason >= 0 && reasons != 0 &&
        read(g + at.waitreason, &reason, 1) && ReadGoString(read, reasons + 16 * reason, &why) &&
        !why.empty())
      t.state = why;
    uint64_t pc = 0, sp = 0;
    read(g + at.sched + at.gobuf_pc, &pc, 8);
    read(g + at.sched + at.gobuf_sp, &sp, 8);
    if (state == "syscall" && at.syscallsp >= 0) {
      read(g + at.syscallpc, &pc, 8);
      read(g + at.syscallsp, &sp, 8);
    }
    uint64_t m = 0, procid = 0;
    if (at.m >= 0 && read(g + at.m, &m, 8) && m != 0 && at.m_procid >= 0 &&
        read(m + at.m_procid, &procid, 8))
      t.lwp = static_cast<int>(procid);
    if (state == "running") {
      uint64_t lo = 0, hi = 0;
      if (at.stack >= 0) {
        read(g + at.stack + at.stack_lo, &lo, 8);
        read(g + at.stack + at.stack_hi, &hi, 8);
      }
      const CoreThreadState* ts = nullptr;
      for (const CoreThreadState& s : threads)
        if (s.tid == t.lwp) ts = &s;
      std::optional<std::pair<uint64_t, uint64_t>> interrupted;
      if (ts != nullptr && ts->regs[kRegRsp] >= lo && ts->regs[kRegRsp] < hi) {
        pc = ts->regs[kRegRip];
        sp = ts->regs[kRegRsp];
      } else if (ts != nullptr && lo < hi &&
                 (interrupted = InterruptedContext(tab, read, ts->regs[kRegRip], ts->regs[kRegRsp],
                                                   lo, hi))) {
        // Its thread is in a signal handler (the crash's SIGABRT): the goroutine from where the
        // signal stopped it.
        pc = interrupted->first;
        sp = interrupted->second;
      } else if (pc != 0 && sp >= lo && sp < hi) {
        // On the system stack (a panic, a signal): its own stack from where it switched.
        t.stopped =
            "running on the system stack: frames from where it switched there (its native "
            "thread shows the rest)";
      } else {
        t.stopped =
            "running on another stack (the system stack or a signal handler): see its "
            "native thread";
        pc = 0;
      }
    }
    bool wanted = locals.goid >= 0 && goid == locals.goid && locals.read;
    if (wanted) found_wanted = true;
    if (pc != 0) Unwind(tab, read, gofunc, pc, sp, &t, wanted ? &locals.read : nullptr);
    uint64_t gopc = 0;
    // The main goroutine's creator is the runtime's start-up, which tracebacks leave out.
    if (goid != 1 && at.gopc >= 0 && read(g + at.gopc, &gopc, 8) && gopc != 0)
      if (const GoFunc* f = tab.Find(gopc)) t.created_by = FrameAt(tab, *f, gopc - 1);
    v.threads.push_back(std::move(t));
  }
  if (locals.goid >= 0 && !found_wanted) {
    v.problems.push_back(fmt::format("--goroutine {}: no such goroutine among the {} listed",
                                     locals.goid, v.threads.size()));
  }
  for (const RuntimeThread& t : v.threads) {
    if (locals.goid < 0 || t.id != static_cast<uint64_t>(locals.goid)) continue;
    bool any = false;
    for (const RuntimeFrame& f : t.frames) any |= !f.variables.empty();
    if (!any)
      v.problems.push_back(fmt::format(
          "--goroutine {}: the binary's DWARF describes no variable at its frames' pcs (built "
          "with -ldflags=-w, or frames outside the debug information)",
          locals.goid));
  }
  if (lost_entries > 0) {
    v.problems.push_back(
        fmt::format("{} of the {} entries of allgs are not in the core (the first: "
                    "allgs[{}]); those goroutines are not listed",
                    lost_entries, count, first_lost_entry));
  }
  if (lost_gs > 0) {
    v.problems.push_back(
        fmt::format("{} goroutines are not in the core (the first at {:#x}); they are not listed",
                    lost_gs, first_lost_g));
  }
  return v;
}

}  // namespace inquest
