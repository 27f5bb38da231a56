#include "dumps/java/hs_err_site.h"

#include <fmt/format.h>

namespace inquest {
namespace {

bool Has(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

bool LooksLikeGc(const HsErrLog& log) {
  static constexpr std::string_view kGc[] = {
      "GCTask",     "GC Thread",  "ConcurrentGC", "G1",        "Shenandoah", "ZGC",
      "PSScavenge", "PSParallel", "oops_do",      "MarkSweep", "ParNew",     "CMS"};
  for (std::string_view g : kGc) {
    if (Has(log.thread_type, g) || Has(log.thread_name, g) || Has(log.problematic.symbol, g)) {
      return true;
    }
  }
  return false;
}

bool LooksLikeCompiler(const HsErrLog& log) {
  return Has(log.thread_name, "CompilerThread") || Has(log.problematic.symbol, "Phase") ||
         Has(log.problematic.symbol, "Node::") || Has(log.problematic.symbol, "Compile");
}

// The signals of a crash (not the pseudo-signal "INVALID" an out-of-memory report carries).
bool IsCrashSignal(std::string_view signal) { return !signal.empty() && signal != "INVALID"; }

// "/usr/lib/libfoo.so" -> "libfoo.so", "C:\\x\\foo.dll" -> "foo.dll".
std::string BaseName(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

CrashSiteKind NativeKind(const HsErrLog& log, std::string_view library) {
  if (IsJvmLibrary(library)) return CrashSiteKind::kVm;
  if (library.starts_with("jna")) return CrashSiteKind::kJnaLibrary;
  if (IsSystemLibrary(library)) return CrashSiteKind::kSystemLibrary;
  bool jni = log.problematic.symbol.starts_with("Java_") || log.thread_state == "_thread_in_native";
  return jni ? CrashSiteKind::kJniLibrary : CrashSiteKind::kNativeLibrary;
}

CrashSiteKind VmKind(const HsErrLog& log) {
  if (LooksLikeCompiler(log)) return CrashSiteKind::kVmCompiler;
  if (log.problematic.symbol.starts_with("Unsafe_")) return CrashSiteKind::kVmUnsafe;
  if (LooksLikeGc(log)) return CrashSiteKind::kVmGc;
  return CrashSiteKind::kVm;
}

}  // namespace

bool IsSystemLibrary(std::string_view lib) {
  static constexpr std::string_view kSystem[] = {
      "libc.so", "libc-",     "libpthread",     "libdl", "ld-linux", "libstdc++",
      "libm.so", "ntdll.dll", "KERNELBASE.dll", "msvcr", "ucrtbase"};
  for (std::string_view s : kSystem) {
    if (lib.starts_with(s)) return true;
  }
  return false;
}

bool IsJvmLibrary(std::string_view lib) {
  return lib.starts_with("libjvm") || lib.starts_with("jvm.dll");
}

CrashSite LocateCrash(const HsErrLog& log) {
  CrashSite s;
  uint64_t pc = 0;
  bool crash = IsCrashSignal(log.signal);
  if (crash && ParseHsErrAddress(log.pc, &pc) && pc == 0) {
    // Nothing runs at address 0: the VM jumped there through a null function pointer or a
    // return address overwritten with 0, whatever frame the log then names.
    s.kind = CrashSiteKind::kBadJump;
    s.name = log.pc;
    s.address_known = true;
    return s;
  }
  if (!log.has_problematic) return s;
  const HsErrFrame& p = log.problematic;
  s.library = p.library;
  s.name = !p.symbol.empty()    ? p.symbol
           : !p.library.empty() ? (p.offset.empty() ? p.library : p.library + "+" + p.offset)
                                : p.text;
  if (s.name.empty()) s.name = fmt::format("an unnamed {} frame", HsErrFrameKindName(p.kind));
  switch (p.kind) {
    case 'J':
      s.kind = CrashSiteKind::kJitCode;
      return s;
    case 'A':
      s.kind = CrashSiteKind::kAotCode;
      return s;
    case 'j':
      s.kind = CrashSiteKind::kInterpreted;
      return s;
    case 'v':
      s.kind = CrashSiteKind::kStub;
      return s;
    case 'V':
      s.kind = VmKind(log);
      return s;
  }
  // A C frame. One the VM could not put in a library is a bare address ("C  0x00007f...").
  if (p.library.empty() && ParseHsErrAddress(p.symbol, &s.address)) {
    s.address_known = true;
    const HsErrLog::Mapping* m = FindHsErrMapping(log, s.address);
    if (s.address == 0 || (m == nullptr && !log.mappings.empty())) {
      s.kind = CrashSiteKind::kBadJump;
      return s;
    }
    if (m == nullptr || m->path.empty() || m->path[0] == '[') {
      s.kind = CrashSiteKind::kAnonymousCode;
      return s;
    }
    s.library = BaseName(m->path);
  }
  s.kind = s.library.empty() ? CrashSiteKind::kNativeLibrary : NativeKind(log, s.library);
  if (s.kind == CrashSiteKind::kVm) s.kind = VmKind(log);
  return s;
}

}  // namespace inquest
