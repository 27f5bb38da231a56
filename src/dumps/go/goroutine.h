// The model of one goroutine of a Go stack dump, as written by a panic, a fatal error, SIGQUIT,
// runtime.Stack or /debug/pprof/goroutine?debug=2, plus the counted stacks of debug=1.
//
// All text fields are views into the dump's bytes; they stay valid while those bytes do.
#ifndef INQUEST_DUMPS_GO_GOROUTINE_H_
#define INQUEST_DUMPS_GO_GOROUTINE_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace inquest {

struct GoFrame {
  std::string_view func;   // "main.(*Server).handle"
  std::string_view args;   // "0xc000010000, {0x4b2f40, 0x1}" (empty for "()"; "..." when elided)
  std::string_view file;   // "/src/app/server.go"
  uint32_t line = 0;       // 0 when the file:line line is missing
  uint64_t dump_line = 0;  // line of the dump the frame's function line is on
};

struct Goroutine {
  uint64_t id = 0;
  std::string_view state;     // "chan receive", "running", "semacquire", "" (pprof debug=1)
  uint32_t wait_minutes = 0;  // "[chan receive, 47 minutes]"
  bool locked_to_thread = false;
  bool frames_elided = false;  // "...additional frames elided..."
  bool has_created_by = false;
  GoFrame created_by;        // "created by main.startWorkers" and where
  uint64_t created_in = 0;   // "created by X in goroutine N" (Go 1.21+); 0 when not said
  uint64_t count = 1;        // goroutines with this stack: 1, or N for a debug=1 record
  uint64_t header_line = 0;  // line of "goroutine N [...]:" (or "N @ 0x..." in debug=1)
  // The stack could not be read whole (a cut-off or malformed line); what was read is kept.
  bool incomplete = false;
  std::vector<GoFrame> frames;      // innermost first
  std::vector<uint64_t> ancestors;  // "[originating from goroutine N]" (GODEBUG=tracebackancestors)

  void Clear() {
    frames.clear();
    ancestors.clear();
    std::vector<GoFrame> keep_frames = std::move(frames);
    std::vector<uint64_t> keep_ancestors = std::move(ancestors);
    *this = Goroutine();
    frames = std::move(keep_frames);  // keeps the capacity: no allocation per goroutine
    ancestors = std::move(keep_ancestors);
  }
};

// What a dump says before (or around) its goroutines.
struct GoDumpPreamble {
  std::string_view panic;  // "assignment to entry in nil map" (from "panic: ...")
  uint64_t panic_line = 0;
  std::string_view fatal_error;  // "all goroutines are asleep - deadlock!"
  uint64_t fatal_line = 0;
  std::string_view signal;  // "SIGQUIT: quit" or "[signal SIGSEGV: segmentation violation ...]"
  uint64_t signal_line = 0;
  uint64_t profile_total = 0;  // "goroutine profile: total N" (debug=1)
  bool counted = false;        // a debug=1 profile: counted stacks without states
  uint32_t dumps = 0;          // dumps found in the file (a series, or interleaved output)
};

}  // namespace inquest

#endif  // INQUEST_DUMPS_GO_GOROUTINE_H_
