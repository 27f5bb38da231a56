#include "dumps/java/java_readers.h"

#include <fmt/format.h>

#include <memory>

#include "dumps/java/hs_err.h"
#include "dumps/java/hs_err_report.h"
#include "dumps/java/thread_dump_json.h"
#include "dumps/java/thread_dump_parser.h"
#include "dumps/java/thread_dump_report.h"

namespace inquest {
namespace {

// The start of every line of a text, for evidence excerpts.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : text_(text) {
    starts_.push_back(0);
    for (size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1)) {
      starts_.push_back(i + 1);
    }
  }
  std::string_view Line(uint64_t line) const {
    if (line == 0 || line > starts_.size()) return {};
    size_t b = starts_[line - 1];
    size_t e = line < starts_.size() ? starts_[line] - 1 : text_.size();
    return text_.substr(b, e - b);
  }

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

struct ParsedFile {
  std::string path;
  JavaDumpText text;
  std::vector<JavaThreadDump> dumps;
  std::unique_ptr<LineIndex> lines;
};

// Parses one file's thread dumps (text or JSON); diagnostics are prefixed with the path.
Status ParseFile(std::string_view path, std::string_view bytes, ParsedFile* out,
                 std::vector<std::string>* diagnostics) {
  out->path = std::string(path);
  out->text = DecodeJavaDumpText(bytes);
  std::string_view text = out->text.utf8();
  if (ProbeJavaThreadDumpJson(text.substr(0, 4096)) > 0) {
    Result<JavaThreadDump> d = ParseJavaThreadDumpJson(text);
    if (!d.ok()) {
      return Status::BadInput(d.status().message(), SourceLocation{std::string(path)});
    }
    out->dumps.push_back(std::move(d).value());
    return Status::Ok();
  }
  std::vector<std::string> local;
  out->dumps = ParseJavaThreadDumps(text, &local);
  for (std::string& d : local) diagnostics->push_back(fmt::format("{}: {}", path, d));
  if (out->dumps.empty()) {
    return Status::BadInput(
        "no Java thread dump found (no \"Full thread dump\" header and no "
        "thread header)",
        SourceLocation{std::string(path)});
  }
  out->lines = std::make_unique<LineIndex>(text);
  return Status::Ok();
}

Result<DumpAnalysis> AnalyzeFiles(
    const std::vector<std::pair<std::string, std::string_view>>& files,
    const DumpOptions& options) {
  std::vector<ParsedFile> parsed(files.size());
  std::vector<std::string> diagnostics;
  Status first_error;
  for (size_t i = 0; i < files.size(); ++i) {
    Status s = ParseFile(files[i].first, files[i].second, &parsed[i], &diagnostics);
    if (!s.ok()) {
      diagnostics.push_back(s.ToString());
      if (first_error.ok()) first_error = s;
    }
  }
  std::vector<JavaDumpInput> inputs;
  for (ParsedFile& f : parsed) {
    for (JavaThreadDump& d : f.dumps) {
      JavaDumpInput in{f.path, std::move(d), nullptr};
      if (f.lines) {
        const LineIndex* lines = f.lines.get();
        in.line_text = [lines](uint64_t line) { return lines->Line(line); };
      }
      inputs.push_back(std::move(in));
    }
  }
  if (inputs.empty())
    return first_error.ok() ? Status::BadInput("no Java thread dump") : first_error;
  return AnalyzeJavaThreadDumps(inputs, std::move(diagnostics), options);
}

double ProbeThreads(std::string_view head) {
  JavaDumpText t = DecodeJavaDumpText(head);
  std::string_view text = t.utf8();
  return std::max(ProbeJavaThreadDumpJson(text), ProbeJavaThreadDumpText(text));
}

}  // namespace

Result<DumpAnalysis> AnalyzeJavaThreadDumpFiles(
    const std::vector<std::pair<std::string, std::string_view>>& files,
    const DumpOptions& options) {
  return AnalyzeFiles(files, options);
}

DumpReader JavaThreadDumpReader() {
  return {"java-threads",
          "Java thread dump (jstack, jcmd Thread.print, SIGQUIT, Thread.dump_to_file JSON)",
          ProbeThreads,
          [](std::string_view path, std::string_view bytes,
             const DumpOptions& options) -> Result<DumpAnalysis> {
            return AnalyzeFiles({{std::string(path), bytes}}, options);
          }};
}

DumpReader HsErrReader() {
  return {"hs-err", "JVM fatal error log (hs_err_pid)", ProbeHsErr,
          [](std::string_view path, std::string_view bytes,
             const DumpOptions& options) -> Result<DumpAnalysis> {
            std::vector<std::string> diagnostics;
            HsErrLog log = ParseHsErr(bytes, &diagnostics);
            if (!log.has_header && log.error.empty() && log.jre_version.empty() &&
                log.vm_info.empty() && log.os.empty() && log.native_frames.empty() &&
                log.current_thread.empty() && ProbeHsErr(bytes) == 0) {
              return Status::BadInput("not a JVM fatal error log: no hs_err section found",
                                      SourceLocation{std::string(path)});
            }
            for (std::string& d : diagnostics) d = fmt::format("{}: {}", path, d);
            return AnalyzeHsErr(path, log, std::move(diagnostics), options);
          }};
}

}  // namespace inquest
