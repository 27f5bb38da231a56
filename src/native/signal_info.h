// What a fatal signal says in words: its name, the meaning of its si_code, and what the fault
// address tells about the bug ("read of address 0x8: a null pointer plus offset 8").
#ifndef INQUEST_NATIVE_SIGNAL_INFO_H_
#define INQUEST_NATIVE_SIGNAL_INFO_H_

#include <cstdint>
#include <string>

namespace inquest {

// Addresses below this are taken for a null pointer plus a member offset or index: the first
// page is never mapped on Linux (vm.mmap_min_addr is 4096 at least, 65536 by default).
inline constexpr uint64_t kNullPageLimit = 4096;

// "SIGSEGV"; "signal 42" for a number without a name.
std::string DescribeSignal(int signo);

// Whether the kernel writes a core for `signo` by default (SIGSEGV, SIGABRT, SIGQUIT, SIGBUS,
// SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGXCPU, SIGXFSZ). A core whose signal is another one (the
// SIGSTOP gcore and debuggers stop a process with) or none was taken from a live process, not
// written by a crash.
bool SignalDumpsCore(int signo);

// si_code decoded for `signo`: "SEGV_MAPERR (address not mapped)", "SI_TKILL (sent by
// tgkill/raise)", "FPE_INTDIV (integer divide by zero)"; "si_code N" when unknown.
std::string DescribeSignalCode(int signo, int code);

// True when si_addr is meaningful for the signal and code (a fault, not a kill).
bool HasFaultAddress(int signo, int code);

// One sentence on what the fault address means, or empty when it says nothing: a null pointer
// (plus offset), an address in no mapping, a write to read-only memory, an address near the
// stack pointer (stack overflow), a non-canonical address (garbage pointer).
// `mapped` and `writable`/`executable` say what the core's mappings hold at the address;
// `sp` is the crashing thread's stack pointer.
std::string FaultMeaning(int signo, int code, uint64_t addr, uint64_t sp, bool mapped,
                         bool writable);

}  // namespace inquest

#endif  // INQUEST_NATIVE_SIGNAL_INFO_H_
