// The parts of an ELF core file inquest reads itself, without libdwfl: the ELF header checks
// (class, byte order, machine, type), the program headers (PT_LOAD segments and whether the
// file holds all of their bytes) and the notes (threads' NT_PRSTATUS, NT_SIGINFO, NT_PRPSINFO,
// NT_FILE mappings, NT_AUXV). Every size and offset read from the file is checked against the
// file; a damaged note is reported with its byte offset and the rest is still read.
//
//   INQ_ASSIGN_OR_RETURN(CoreFile core, ParseCoreFile(bytes, "core.1234"));
//   core.threads[0].signal == 11; core.siginfo->addr == 0x8; core.mappings[0].path == "/srv/b"
#ifndef INQUEST_NATIVE_CORE_FILE_H_
#define INQUEST_NATIVE_CORE_FILE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "native/symbolizer.h"

namespace inquest {

// The x86-64 general registers of NT_PRSTATUS (struct user_regs_struct), in that order.
inline constexpr size_t kX86_64RegCount = 27;
std::string_view X86_64RegName(size_t i);  // "r15", "r14", ..., "rip", ...
inline constexpr size_t kRegRip = 16;
// The thread pointer: with glibc and musl on x86-64, a thread's pthread_t.
inline constexpr size_t kRegFsBase = 21;
inline constexpr size_t kRegRsp = 19;
inline constexpr size_t kRegRbp = 4;

struct CoreThreadState {
  int32_t tid = 0;
  int32_t signal = 0;  // pr_cursig: the signal this thread was handling, 0 for most threads
  std::array<uint64_t, kX86_64RegCount> regs{};
  uint64_t note_offset = 0;  // byte offset of the NT_PRSTATUS note, for evidence
};

struct CoreSigInfo {
  int32_t signo = 0;
  int32_t code = 0;
  int32_t err = 0;
  uint64_t addr = 0;       // si_addr, for SIGSEGV, SIGBUS, SIGILL, SIGFPE
  int32_t sender_pid = 0;  // si_pid, for signals sent by kill/tgkill (si_code <= 0)
  int32_t sender_uid = 0;
};

struct CoreLoadSegment {
  uint64_t vaddr = 0;
  uint64_t memsz = 0;
  uint64_t offset = 0;
  uint64_t filesz = 0;   // bytes the core meant to hold
  uint64_t present = 0;  // bytes it does hold (less when the file was cut short)
  uint32_t flags = 0;    // PF_R | PF_W | PF_X
};

struct CoreFile {
  uint64_t file_size = 0;
  int32_t pid = 0;
  std::string command;  // pr_fname: the executable's name, at most 15 characters
  std::string args;     // pr_psargs: the command line, at most 80 characters
  uint32_t uid = 0;
  std::vector<CoreThreadState> threads;  // in note order; the kernel puts the dumping one first
  std::optional<CoreSigInfo> siginfo;
  std::vector<ModuleMapping> mappings;  // NT_FILE, build-ids empty
  std::vector<CoreLoadSegment> loads;   // sorted by vaddr
  std::vector<std::pair<uint64_t, uint64_t>> auxv;
  std::string execfn;                 // AT_EXECFN read from the core's memory when present
  bool truncated = false;             // some PT_LOAD or note lies past the end of the file
  std::vector<std::string> problems;  // damaged notes, with byte offsets

  // Reads `len` bytes at `vaddr` from the core's memory; false when not all are present.
  bool ReadMemory(std::string_view bytes, uint64_t vaddr, void* out, size_t len) const;
  // The same through the core file's descriptor (pread): for walks that touch a page per
  // thread or goroutine, which read through a mapping would all count as the reader's memory.
  bool ReadMemoryFrom(int fd, uint64_t vaddr, void* out, size_t len) const;
};

// Parses the core in `bytes` (the whole file). Not an ELF file, not a core, or a core of an
// architecture other than x86-64: BadInput / Unsupported naming `path`. Damage inside is
// recorded in `problems` and `truncated`; what is readable is returned.
Result<CoreFile> ParseCoreFile(std::string_view bytes, const std::string& path);

// 0..1: how sure `head` (a file's first bytes) is an ELF core.
double ProbeCore(std::string_view head);

}  // namespace inquest

#endif  // INQUEST_NATIVE_CORE_FILE_H_
