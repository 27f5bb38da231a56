#include "native/signal_info.h"

#include <fmt/format.h>
#include <signal.h>

#include <cstring>

namespace inquest {
namespace {

// A stack pointer this close above a faulting address means the stack grew into its guard
// page: deep recursion or a huge local array.
constexpr uint64_t kStackOverflowReach = 64 * 1024;
// x86-64 user space ends below 2^47; an address above it cannot be a valid user pointer.
constexpr uint64_t kUserSpaceEnd = uint64_t{1} << 47;

}  // namespace

bool SignalDumpsCore(int signo) {
  switch (signo) {
    case SIGQUIT:
    case SIGILL:
    case SIGTRAP:
    case SIGABRT:
    case SIGBUS:
    case SIGFPE:
    case SIGSEGV:
    case SIGXCPU:
    case SIGXFSZ:
    case SIGSYS:
      return true;
    default:
      return false;
  }
}

std::string DescribeSignal(int signo) {
  const char* abbrev = sigabbrev_np(signo);
  if (abbrev != nullptr) return std::string("SIG") + abbrev;
  return fmt::format("signal {}", signo);
}

std::string DescribeSignalCode(int signo, int code) {
  // Codes a process sends (any signal) first.
  switch (code) {
    case SI_USER:
      return "SI_USER (sent by kill)";
    case SI_KERNEL:
      return "SI_KERNEL (sent by the kernel)";
    case SI_QUEUE:
      return "SI_QUEUE (sent by sigqueue)";
    case SI_TIMER:
      return "SI_TIMER (a POSIX timer expired)";
    case SI_TKILL:
      return "SI_TKILL (sent by tgkill or raise, e.g. abort())";
    default:
      break;
  }
  struct Code {
    int signo;
    int code;
    const char* text;
  };
  static constexpr Code kCodes[] = {
      {SIGSEGV, SEGV_MAPERR, "SEGV_MAPERR (address not mapped)"},
      {SIGSEGV, SEGV_ACCERR, "SEGV_ACCERR (no permission for this access)"},
      {SIGSEGV, 3, "SEGV_BNDERR (failed address bound checks)"},
      {SIGSEGV, 4, "SEGV_PKUERR (protection key check failed)"},
      {SIGBUS, BUS_ADRALN, "BUS_ADRALN (misaligned address)"},
      {SIGBUS, BUS_ADRERR, "BUS_ADRERR (no such physical address: a truncated mapped file?)"},
      {SIGBUS, BUS_OBJERR, "BUS_OBJERR (hardware error)"},
      {SIGFPE, FPE_INTDIV, "FPE_INTDIV (integer divide by zero)"},
      {SIGFPE, FPE_INTOVF, "FPE_INTOVF (integer overflow)"},
      {SIGFPE, FPE_FLTDIV, "FPE_FLTDIV (floating-point divide by zero)"},
      {SIGFPE, FPE_FLTOVF, "FPE_FLTOVF (floating-point overflow)"},
      {SIGFPE, FPE_FLTUND, "FPE_FLTUND (floating-point underflow)"},
      {SIGFPE, FPE_FLTRES, "FPE_FLTRES (floating-point inexact result)"},
      {SIGFPE, FPE_FLTINV, "FPE_FLTINV (invalid floating-point operation)"},
      {SIGILL, ILL_ILLOPC, "ILL_ILLOPC (illegal opcode)"},
      {SIGILL, ILL_ILLOPN, "ILL_ILLOPN (illegal operand)"},
      {SIGILL, ILL_PRVOPC, "ILL_PRVOPC (privileged opcode)"},
      {SIGILL, ILL_BADSTK, "ILL_BADSTK (internal stack error)"},
      {SIGTRAP, TRAP_BRKPT, "TRAP_BRKPT (breakpoint)"},
  };
  for (const Code& c : kCodes) {
    if (c.signo == signo && c.code == code) return c.text;
  }
  return fmt::format("si_code {}", code);
}

bool HasFaultAddress(int signo, int code) {
  if (code <= 0 || code == SI_KERNEL) return false;
  return signo == SIGSEGV || signo == SIGBUS || signo == SIGILL || signo == SIGFPE;
}

std::string FaultMeaning(int signo, int code, uint64_t addr, uint64_t sp, bool mapped,
                         bool writable) {
  if (signo == SIGSEGV && code == SI_KERNEL) {
    return "the kernel gave no address: typically a non-canonical pointer (garbage or freed "
           "memory) or a general protection fault";
  }
  if (!HasFaultAddress(signo, code)) return {};
  if (signo != SIGSEGV && signo != SIGBUS) {
    return fmt::format("the faulting instruction is at {:#x}", addr);
  }
  if (addr == 0) return "access of address 0x0: a null pointer";
  if (addr < kNullPageLimit) {
    return fmt::format("access of address {:#x}: a null pointer plus offset {}", addr, addr);
  }
  if (addr >= kUserSpaceEnd) {
    return fmt::format("access of address {:#x}, outside user space: a garbage pointer", addr);
  }
  if (!mapped && addr < sp && sp - addr <= kStackOverflowReach) {
    return fmt::format(
        "access of address {:#x}, just below the stack pointer {:#x}: a stack overflow (deep "
        "recursion or a large local array)",
        addr, sp);
  }
  if (code == SEGV_ACCERR && mapped && !writable) {
    return fmt::format(
        "write to {:#x}, which is mapped read-only (a string literal or constant, or code)", addr);
  }
  if (!mapped) {
    return fmt::format(
        "access of address {:#x}, which no mapping covers: a dangling or corrupted pointer", addr);
  }
  return fmt::format("access of address {:#x}, which is mapped but not accessible this way", addr);
}

}  // namespace inquest
