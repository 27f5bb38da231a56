// Pulls goroutines one at a time out of a Go stack dump: panic and fatal-error output, SIGQUIT
// output, runtime.Stack, /debug/pprof/goroutine?debug=2 and the counted stacks of debug=1.
//
//   DumpIssues issues;
//   GoroutineParser parser(bytes, &issues);
//   Goroutine g;
//   while (parser.Next(&g)) Use(g);           // views into `bytes`
//   if (!parser.preamble().fatal_error.empty()) ...
//
// Recognised: Go 1.17+ argument syntax ("{...}", "0x1?", "..."), "created by X in goroutine N"
// (1.21), "goroutine N gp=... m=... mp=... [state]:" (1.22+), "[state, N minutes, locked to
// thread]", "...additional frames elided...", "[originating from goroutine N]" ancestors, cgo
// frames, CRLF line ends and lines whose leading tabs a log pipeline stripped (frames are told
// from file:line lines by their shape, not their indentation). Damage goes to `issues` with its
// line (a cut-off last line, garbage between goroutines, a header without a stack) and the read
// goes on; a goroutine whose stack could not be read whole is still returned, marked incomplete.
#ifndef INQUEST_DUMPS_GO_GOROUTINE_PARSER_H_
#define INQUEST_DUMPS_GO_GOROUTINE_PARSER_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "dumps/dump_issues.h"
#include "dumps/go/goroutine.h"

namespace inquest {

class GoroutineParser {
 public:
  // `bytes` and `issues` must outlive the parser.
  GoroutineParser(std::string_view bytes, DumpIssues* issues);

  // Fills *g (reusing its vectors) with the next goroutine; false at the end of the dump.
  bool Next(Goroutine* g);

  // What the dump said outside the goroutines; complete once Next has returned false.
  const GoDumpPreamble& preamble() const { return preamble_; }
  // Lines read so far.
  uint64_t lines() const { return line_no_; }
  // Goroutine ids that appeared more than once (two dumps or two processes in one file).
  uint64_t duplicate_ids() const { return duplicate_ids_; }
  // The dump ends mid-record (mid-line, or a call without its file:line): it was cut off, and
  // goroutines after that point are missing. A dump cut exactly between two goroutines leaves
  // no such mark and is not detected.
  bool cut_off() const { return cut_off_; }
  uint64_t cut_line() const { return cut_line_; }
  std::string_view cut_text() const { return cut_text_; }  // that line as far as it goes

 private:
  bool NextLine(std::string_view* line);
  void PushBack() { pushed_back_ = true; }
  void ReadStack(Goroutine* g);
  void ReadCounted(Goroutine* g);
  // Notes the preamble lines ("panic: ...", "fatal error: ..."); false for any other line.
  bool ReadPreambleLine(std::string_view line);
  void SkipToBlank();
  void NoteId(uint64_t id);

  std::string_view bytes_;
  DumpIssues* issues_;
  size_t pos_ = 0;
  uint64_t line_no_ = 0;
  std::string_view line_;  // the line last returned by NextLine
  bool pushed_back_ = false;
  bool seen_goroutine_ = false;
  GoDumpPreamble preamble_;
  std::vector<bool> seen_ids_;
  uint64_t duplicate_ids_ = 0;
  bool cut_off_ = false;
  uint64_t cut_line_ = 0;
  std::string_view cut_text_;
  // Reports the end of the dump mid-record at `line`, whose text is `text`.
  void CutOff(uint64_t line, std::string_view text, std::string message);
};

// Helpers the parser is built from, exposed for tests.
// "goroutine 7 [chan receive, 3 minutes, locked to thread]:" -> fields of *g; false if the line
// is not a goroutine header.
bool ParseGoroutineHeader(std::string_view line, Goroutine* g);
// "main.(*T).Run(0x1, {0x2, 0x3})" -> func and args; false if not a call.
bool ParseGoCall(std::string_view line, std::string_view* func, std::string_view* args);
// "\t/src/x.go:12 +0x1d" (tab optional) -> file and line; false if not a file:line reference.
bool ParseGoFileLine(std::string_view line, std::string_view* file, uint32_t* line_no);

}  // namespace inquest

#endif  // INQUEST_DUMPS_GO_GOROUTINE_PARSER_H_
