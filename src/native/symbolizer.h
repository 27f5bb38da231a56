// Symbolization of raw code addresses of a process that is no longer running, from its module
// mappings (what /proc/PID/maps listed) and the ELF files and debug information found on disk:
// per address the module and offset, the demangled function and offset, file:line:column and
// the chain of inlined calls. Used by `inquest symbolize` on crash files and by `inquest core`.
//
//   std::vector<ModuleMapping> maps = ...;            // from the crash file
//   SymbolSearch search;                              // --exe, --debug-dir, --sysroot
//   search.exe = "./billing";
//   INQ_ASSIGN_OR_RETURN(Symbolizer s, Symbolizer::Create(maps, search));
//   SymbolizedAddress a = s.Symbolize(0x55d0c0a01234, AddressKind::kReturnAddress);
//   // a.module == "/srv/billing", a.function == "apply_refund", a.file == "billing.c",
//   // a.line == 118, a.inlined[0].function == "check_balance" when inlined there
//
// libdwfl (elfutils) does the work: modules are reported at their addresses and their files are
// searched in this order: --sysroot prefixed path (or --exe for the main executable), the path
// as mapped, build-id folders (`.build-id/xx/rest` under /usr/lib/debug and each --debug-dir);
// debug information through `.gnu_debuglink`, build-id folders and the --debug-dir folders;
// debuginfod only when `SymbolSearch::debuginfod` is set.
#ifndef INQUEST_NATIVE_SYMBOLIZER_H_
#define INQUEST_NATIVE_SYMBOLIZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace inquest {

// One line of /proc/PID/maps that maps a file (anonymous mappings are left out by the caller or
// ignored). Several mappings of one path form one module.
struct ModuleMapping {
  std::string path;      // as the process saw it: "/usr/lib/x86_64-linux-gnu/libc.so.6"
  uint64_t start = 0;    // first address of the mapping
  uint64_t end = 0;      // one past the last address
  uint64_t offset = 0;   // file offset of `start`
  std::string build_id;  // lower-case hex of NT_GNU_BUILD_ID when known, else empty
};

// Where to look for executables, libraries and their debug information.
struct SymbolSearch {
  // The main executable, replacing the path the process had (a copy kept beside the core, an
  // unstripped build). Empty: found from the mappings.
  std::string exe;
  // Folders holding separate debug files, each searched as `DIR/.build-id/xx/rest.debug`,
  // `DIR/<path of the module>` and `DIR/<debuglink name>`. /usr/lib/debug is always searched.
  std::vector<std::string> debug_dirs;
  // A folder that holds the target system's files (`SYSROOT/usr/lib/...`), tried before the
  // path as mapped.
  std::string sysroot;
  // Ask the servers in $DEBUGINFOD_URLS for missing files. Off by default: a post-mortem tool
  // must not reach out to the network unasked.
  bool debuginfod = false;
  // Per-request limit for debuginfod (it sets $DEBUGINFOD_TIMEOUT).
  int debuginfod_timeout_seconds = 10;
};

// How an address was obtained, which decides whether it is looked up as is or one byte before:
// a return address points after the call, and the call's line is the one wanted.
enum class AddressKind : uint8_t {
  kExact,          // a faulting pc, a signal frame's pc
  kReturnAddress,  // a caller frame's saved return address
};

// One inlined call at an address, innermost first: `function` was inlined into the next entry
// (or the containing function for the last one) at `call_file:call_line`.
struct InlinedCall {
  std::string function;  // demangled
  std::string file;      // where the address is inside `function`
  int line = 0;
  int column = 0;
};

// What is known about a module after symbol search.
enum class SymbolStatus : uint8_t {
  kFull,         // ELF and DWARF (functions, lines, variables)
  kSymbolsOnly,  // ELF symbol table, no DWARF: functions without lines
  kNoSymbols,    // the ELF was found but is stripped: module + offset only
  kMissing,      // no file found for the module
  kMismatch,     // a file was found but its build-id differs from the process's
};
std::string_view SymbolStatusName(SymbolStatus s);  // "full", "symbols only", ...

struct ModuleInfo {
  std::string name;        // the path as mapped
  uint64_t start = 0;      // lowest address
  uint64_t end = 0;        // one past the highest
  std::string build_id;    // hex; from the mapping, else from the file found
  std::string elf_path;    // the file used, empty when none
  std::string debug_path;  // the separate debug file used, empty when none (or in elf_path)
  SymbolStatus status = SymbolStatus::kMissing;
  std::string note;  // why: "build-id 3f2a... of ./billing differs from the core's 9c1d..."
};

struct SymbolizedAddress {
  uint64_t address = 0;
  std::string module;            // path of the module holding the address; empty when none
  uint64_t module_offset = 0;    // address minus the module's load bias (an ELF address)
  std::string function;          // demangled; empty when no symbol covers the address
  uint64_t function_offset = 0;  // address minus the function's start
  std::string file;              // source file of the outermost (non-inlined) function
  int line = 0;                  // 0 when unknown
  int column = 0;
  // Inlined calls at this address, innermost first. When not empty, inlined[0] holds the
  // innermost function and its file:line, and function/file/line above describe the
  // containing (real) function at the call site of the outermost inlined call.
  std::vector<InlinedCall> inlined;
};

// Thread-compatible, not thread-safe (libdwfl caches per module). Move-only.
class Symbolizer {
 public:
  // Reports `mappings` (grouped by path; the lowest-offset mapping gives the load address) and
  // prepares the search. Fails (InvalidArgument) only when the options are unusable (a
  // --debug-dir that does not exist); missing files make modules kMissing instead.
  static Result<Symbolizer> Create(const std::vector<ModuleMapping>& mappings,
                                   const SymbolSearch& search);

  Symbolizer(Symbolizer&&) noexcept;
  Symbolizer& operator=(Symbolizer&&) noexcept;
  ~Symbolizer();

  // Never fails: what cannot be found stays empty (module empty for an address outside every
  // mapping, function empty for a stripped module).
  SymbolizedAddress Symbolize(uint64_t address, AddressKind kind);

  // Every module, in address order, with its symbol status (files are searched on first call).
  std::vector<ModuleInfo> Modules();

 private:
  struct Impl;
  explicit Symbolizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace inquest

#endif  // INQUEST_NATIVE_SYMBOLIZER_H_
