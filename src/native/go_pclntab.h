// Go's own table of functions (the pclntab, section .gopclntab): for any pc of a Go binary, the
// function, its entry, the stack frame size at that pc (pcsp), the file and the line. It is what
// the Go runtime unwinds and prints tracebacks with, it survives `-ldflags=-s -w`, and it
// describes itself (a magic per format, sizes in its header), so reading it does not depend on
// a list of Go releases. Formats: Go 1.18-1.19 (magic 0xfffffff0) and 1.20 and later
// (0xfffffff1, whose functions also carry their start line). Older formats are refused by name.
// Inlined calls (the inline tree in funcdata) are not expanded: a frame is its physical
// function.
//
//   INQ_ASSIGN_OR_RETURN(GoPclntab t, GoPclntab::Parse(section_bytes, bias));
//   const GoFunc* f = t.Find(pc);  t.Line(*f, pc - 1) == 14; t.FrameSize(*f, pc) == 40
#ifndef INQUEST_NATIVE_GO_PCLNTAB_H_
#define INQUEST_NATIVE_GO_PCLNTAB_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace inquest {

struct GoFunc {
  uint64_t entry = 0;   // the function's first pc, with the load bias applied
  uint64_t end = 0;     // the next function's entry
  uint32_t offset = 0;  // of its _func record in the functab
  std::string_view name;
  uint32_t pcsp = 0, pcfile = 0, pcln = 0, cu_offset = 0;
  uint32_t npcdata = 0;
  uint8_t nfuncdata = 0;
  uint64_t tables = 0;  // where its pcdata offsets start in the pclntab (funcdata after them)
};

// One entry of a function's inline tree (FUNCDATA_InlTree): a call inlined into it.
struct GoInlinedCall {
  int32_t name_offset = 0;  // into the function name table (GoPclntab::Name)
  int32_t parent_pc = 0;    // an instruction of the caller at the call, from the entry
};

class GoPclntab {
 public:
  // `table` must outlive the GoPclntab (the names point into it). `bias` is added to every
  // text address (the load bias of a position-independent executable; 0 otherwise). BadInput
  // naming the byte offset for a table that is not one, or is damaged.
  static Result<GoPclntab> Parse(std::string_view table, uint64_t bias = 0);

  // The function holding `pc`, or null.
  const GoFunc* Find(uint64_t pc) const;
  // The frame size at `pc` (what the function has pushed below its return address), or
  // nullopt when the table has no value there.
  std::optional<int64_t> FrameSize(const GoFunc& f, uint64_t pc) const;
  // The file and line of `pc`; "" and 0 when unknown.
  std::string File(const GoFunc& f, uint64_t pc) const;
  int Line(const GoFunc& f, uint64_t pc) const;

  // PCDATA table `table` of `f` at `pc` (PCDATA_InlTreeIndex = 2: the inline tree index, -1
  // outside inlined code), or nullopt.
  std::optional<int64_t> PcData(const GoFunc& f, uint32_t table, uint64_t pc) const;
  // FUNCDATA `i` of `f` (FUNCDATA_InlTree = 3): an offset from the go:func.* symbol, or nullopt.
  std::optional<uint32_t> FuncData(const GoFunc& f, uint8_t i) const;
  // The size of one inline tree entry and how to read it (the layout changed in Go 1.20).
  size_t inlined_call_size() const { return go120_ ? 16 : 20; }
  GoInlinedCall InlinedCall(const char* entry) const;
  std::string_view Name(int64_t name_offset) const;

  std::string_view version() const { return version_; }  // "1.18-1.19" or "1.20+"
  size_t size() const { return funcs_.size(); }

 private:
  std::optional<int64_t> Value(const GoFunc& f, uint32_t table_offset, uint64_t pc) const;
  std::string_view CString(uint64_t offset) const;
  std::string_view t_;
  std::string_view version_;
  uint32_t min_lc_ = 1;
  bool go120_ = false;
  uint64_t funcname_ = 0, cu_ = 0, filetab_ = 0, pctab_ = 0, functab_ = 0;
  std::vector<GoFunc> funcs_;  // by entry
};

}  // namespace inquest

#endif  // INQUEST_NATIVE_GO_PCLNTAB_H_
