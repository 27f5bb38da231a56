// Parameters and locals of one frame, from DWARF: each variable's location expression is
// evaluated against the frame's registers (as libdwfl unwound them) and the core's memory, and
// the bytes are formatted by the variable's type the way gdb's `bt full` shows them. What the
// expression needs but the core does not hold (a caller-saved register in an outer frame, an
// entry value) gives `<optimized out>`; an address the core lacks gives `<unreadable>`.
#ifndef INQUEST_NATIVE_VARIABLES_H_
#define INQUEST_NATIVE_VARIABLES_H_

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "native/core_file.h"
#include "native/core_report.h"
#include "native/runtime_memory.h"

namespace inquest {

// Where the bytes of memory come from: the core, then the module files for read-only data the
// kernel did not dump (string literals, constants).
struct MemorySource {
  const CoreFile* core = nullptr;
  std::string_view core_bytes;
  Dwfl* dwfl = nullptr;
  // When >= 0, the core is read through this descriptor (pread) rather than the mapping: a walk
  // over a thousand stacks through a mapping makes every page it touches (and the kernel's
  // fault-around neighbours) the reader's resident memory.
  int fd = -1;
  // When set, the core's bytes are read through this cache of pages in front of ReadCore (not
  // owned); the module files are read past it, never cached in place of the core's bytes.
  PageCache* cache = nullptr;
  // Reads `len` bytes at `addr`; false when neither the core nor a module file holds them all.
  bool Read(uint64_t addr, void* out, size_t len) const;
  bool ReadCore(uint64_t addr, void* out, size_t len) const;
  // Read-only data the kernel did not dump (string literals, constants), from the module files.
  bool ReadModules(uint64_t addr, void* out, size_t len) const;
};

// The variables of the logical frames at one call frame: result[k] holds logical frame k's
// (0 = innermost inlined function, last = the real function), parameters first in declaration
// order, then locals of every lexical block that contains the pc. `exact_pc` is false for a
// return address (the location is looked up one byte earlier).
std::vector<std::vector<CoreVariable>> FrameVariables(Dwfl_Frame* state, Dwfl_Module* mod,
                                                      uint64_t pc, bool exact_pc,
                                                      const MemorySource& memory);

// A frame's register by DWARF number, nullopt when the frame does not have it.
using FrameRegisterFn = std::function<std::optional<uint64_t>(unsigned regno)>;

// FrameVariables for a frame known only by some registers: a goroutine's frame from its stack
// pointer (rsp, DWARF 7) and pc (rip, 16), unwound by the Go runtime's own tables.
std::vector<std::vector<CoreVariable>> FrameVariablesAt(const FrameRegisterFn& reg,
                                                        Dwfl_Module* mod, uint64_t pc,
                                                        bool exact_pc, const MemorySource& memory);

}  // namespace inquest

#endif  // INQUEST_NATIVE_VARIABLES_H_
