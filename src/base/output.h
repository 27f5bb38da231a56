// The output boundary: every byte inquest writes for a person or into a file passes through the
// process's one redactor (base/redact.h) here, so no call site can forget it.
//
//  - stdout and stderr: InstallOutputBoundary(), the first thing main() does, puts a redacting
//    filter under both streams (and under std::cout and std::cerr). Whatever a command prints
//    with fmt::print, printf or fputs -- terminal text, Markdown -- is redacted line by line on
//    its way to the descriptor.
//  - JSON: the JSON writer (base/json_writer.h) redacts each string value as it writes it and
//    hands out a `Redacted`, which Emit() writes past the filter unchanged (redacting JSON text
//    after the fact could break it).
//  - Files and HTTP answers take a `Redacted`. Only RedactText, RedactHtml and the JSON writer
//    make one, so content that did not pass the boundary does not compile there.
//
// Evidence copied byte for byte (cores, heap dumps, raw captured files) does not pass here: it
// is not output but evidence, written 0600 by capture/.
//
//   int main(int argc, char** argv) { InstallOutputBoundary(); ... }
//   fmt::print("{}\n", event.message);        // redacted on its way to stdout
//   Emit(writer.Take());                       // JSON, redacted value by value
//   report_dir.Replace("postmortem.md", RedactText(markdown).view());  // base/output_file.h
#ifndef INQUEST_BASE_OUTPUT_H_
#define INQUEST_BASE_OUTPUT_H_

#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/config.h"
#include "base/redact.h"
#include "base/status.h"

namespace inquest {

// Text that has passed the output boundary.
class Redacted {
 public:
  Redacted() = default;
  const std::string& str() const { return text_; }
  std::string_view view() const { return text_; }
  size_t size() const { return text_.size(); }
  bool empty() const { return text_.empty(); }
  std::string Release() && { return std::move(text_); }
  // Two redacted texts joined are still redacted.
  Redacted& operator+=(const Redacted& more) {
    text_ += more.text_;
    return *this;
  }

 private:
  explicit Redacted(std::string text) : text_(std::move(text)) {}
  friend class JsonWriter;
  friend Redacted RedactText(std::string_view text);
  friend Redacted RedactHtml(std::string_view html);
  friend void EmitLine(const Redacted& text, std::FILE* out);
  std::string text_;
};

// Text and Markdown, with the process's redactor.
Redacted RedactText(std::string_view text);
// An HTML document: its text and attribute values are unescaped, redacted and escaped again
// (HtmlEscape) where a secret was found; markup and <style> are left alone.
Redacted RedactHtml(std::string_view html);

// --- the process's redactor ------------------------------------------------------------------

// --no-redact: everything passes unchanged. Set before any output.
void SetRedactionEnabled(bool enabled);
bool RedactionEnabled();
// Adds the RE2 patterns of `[redact] patterns = [...]` in `config` (each pattern once, however
// often a config is applied). An invalid pattern or a wrong type is InvalidArgument naming the
// file.
Status ApplyRedactConfig(const Config& config);
// What was hidden so far, each secret once.
RedactionTally& OutputTally();
// The field and text redaction the writers share: false (and *out untouched) when nothing is
// hidden or redaction is off.
bool RedactOutputValue(std::string_view key, std::string_view value, std::string* out);
bool RedactOutputText(std::string_view text, std::string* out);
// A command line redacted across neighbouring elements (Redactor::RedactArgv).
void RedactOutputArgv(std::vector<std::string>* argv);
// Text that is cut short before it reaches an output (an excerpt, a local's value in a dump)
// is redacted first, with the same redactor and switch: a secret cut in half loses the shape
// that finds it. What is kept still passes the boundary when it is written.
std::string RedactBeforeCut(std::string_view text);
// The same for a value under a name: hidden whole when the name says it is a secret.
std::string RedactValueBeforeCut(std::string_view key, std::string_view value);

// --- streams and files -----------------------------------------------------------------------

// Puts the redacting filter under stdout, stderr, std::cout and std::cerr. Call once, before
// anything is printed; output is flushed at exit.
void InstallOutputBoundary();
// Writes already-redacted text to `out` (stdout by default) without redacting it again, in
// order with what was printed before.
void Emit(const Redacted& text, std::FILE* out = stdout);
// Emit() and a newline (a JSON line).
void EmitLine(const Redacted& text, std::FILE* out = stdout);
// Writes out everything printed so far, incomplete last lines included (before a child process
// writes to the same descriptor). fflush(stdout) writes every complete line; an incomplete one
// waits for its end (it may hold half a secret), for FlushOutput() or for the exit.
void FlushOutput();
// Whether `f` writes to a terminal (through the boundary, stdout and stderr answer for their
// descriptors 1 and 2).
bool IsTerminal(std::FILE* f);

}  // namespace inquest

#endif  // INQUEST_BASE_OUTPUT_H_
