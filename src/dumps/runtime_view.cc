#include "dumps/runtime_view.h"

#include <fmt/format.h>

#include "dumps/go/go_reader.h"
#include "dumps/python/python_reader.h"

namespace inquest {

std::string RuntimeViewAsPySpy(const RuntimeView& v, std::string_view process) {
  if (v.threads.empty()) return {};
  std::string out = fmt::format("Process {}\n", process);
  out += fmt::format("Python v{} ({})\n\n", v.version, v.module);
  for (const RuntimeThread& t : v.threads) {
    std::string state = t.holds_lock ? "active+gil" : t.activity;
    if (state.empty()) state = "unknown";
    out += fmt::format("Thread {} ({})\n", t.lwp ? t.lwp : static_cast<int64_t>(t.id), state);
    for (const RuntimeFrame& f : t.frames) {
      out += fmt::format("    {} ({}", f.qualname.empty() ? f.function : f.qualname, f.file);
      out += f.line > 0 ? fmt::format(":{})\n", f.line) : std::string(")\n");
    }
    out += "\n";
  }
  return out;
}

std::string RuntimeViewAsGoTraceback(const RuntimeView& v) {
  if (v.runtime != "Go" || v.threads.empty()) return {};
  std::string out;
  for (const RuntimeThread& t : v.threads) {
    out += fmt::format("goroutine {} [{}]:\n", t.id, t.state.empty() ? "unknown" : t.state);
    for (const RuntimeFrame& f : t.frames)
      out += fmt::format("{}(...)\n\t{}:{}\n", f.function, f.file, f.line);
    if (!t.created_by.function.empty())
      out += fmt::format("created by {}\n\t{}:{}\n", t.created_by.function, t.created_by.file,
                         t.created_by.line);
    out += "\n";
  }
  return out;
}

Result<DumpAnalysis> AnalyzeRuntimeView(const RuntimeView& view, std::string_view path,
                                        const DumpOptions& options, std::string_view process) {
  bool go = view.runtime == "Go";
  if (!go && view.runtime != "CPython") {
    return Status::Unsupported(
        fmt::format("no dump reader judges a {} view on its own", view.runtime));
  }
  std::string text = go ? RuntimeViewAsGoTraceback(view) : RuntimeViewAsPySpy(view, process);
  if (text.empty()) return Status::BadInput(fmt::format("{}: the view holds no thread", path));
  DumpReader reader = go ? GoGoroutineReader() : PythonDumpReader();
  return reader.analyze(path, text, options);
}

}  // namespace inquest
