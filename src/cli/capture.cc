// inquest capture: a live process's evidence preserved before it is restarted.
#include <fmt/format.h>
#include <signal.h>

#include <string>

#include "base/output.h"
#include "base/strings.h"
#include "base/time.h"
#include "capture/live_capture.h"
#include "capture/runtime_dumps.h"
#include "cli/command.h"
#include "cli/common.h"

namespace inquest::cli {

int RunCapture(int argc, char** argv) {
  CLI::App app(
      "preserve a live process's evidence (proc snapshot, core, runtime dumps) before restart",
      "capture");
  CaptureOptions o;
  bool no_core = false;
  std::string python_signal = "USR1";
  FormatFlags format;
  format.Add(app, /*with_log_format=*/false);
  app.add_option("--pid", o.pid, "the process to capture")->required();
  app.add_option("--out", o.out_dir,
                 "the evidence folder, new or empty (default: capture-PID-UTCTIME)");
  app.add_flag("--heap", o.heap, "a JVM: also write a heap dump (jcmd GC.heap_dump)");
  app.add_option("--pprof-url", o.pprof_url,
                 "a Go service: its pprof base URL, e.g. http://127.0.0.1:6060");
  app.add_option("--python-signal", python_signal,
                 "a Python process: the signal faulthandler.register() listens to (USR1)");
  app.add_flag("--no-core", no_core, "do not write a core (gcore stops the process meanwhile)");
  app.add_option("--timeout", o.timeout_seconds, "seconds each command may take (120)");
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  if (Status s = format.Resolve({}); !s.ok()) return Fail("capture", s);
  o.core = !no_core;
  std::string sig = python_signal.starts_with("SIG") ? python_signal.substr(3) : python_signal;
  for (int s = 1; s < NSIG && !o.python_signal; ++s) {
    if (const char* name = sigabbrev_np(s); name && sig == name) o.python_signal = s;
  }
  if (!o.python_signal) {
    return Fail("capture", Status::InvalidArgument(
                               fmt::format("--python-signal: unknown signal {}", python_signal)));
  }
  if (o.out_dir.empty()) {
    std::string t = FormatTime(UtcNowNs(), 0);
    std::erase_if(t, [](char c) { return c == '-' || c == ':'; });
    o.out_dir = fmt::format("capture-{}-{}", o.pid, t);
  }
  Result<CaptureResult> r = CaptureProcess(o);
  if (!r.ok()) return Fail("capture", r.status());
  bool all_ok = true;
  for (const CaptureStep& s : r->steps) all_ok = all_ok && s.ok;
  if (format.output == OutputFormat::kJson) {
    Emit(r->manifest);
  } else {
    bool md = format.output == OutputFormat::kMd;
    if (md) {
      fmt::print(
          "# Capture of process {} ({}, {}) into `{}`\n\n| step | ms | outcome |\n"
          "|---|---|---|\n",
          o.pid, r->exe, RuntimeName(r->runtime), r->out_dir);
    } else {
      fmt::print("captured process {} ({}, {}) into {}\n", o.pid, r->exe, RuntimeName(r->runtime),
                 r->out_dir);
    }
    for (const CaptureStep& s : r->steps) {
      double ms = static_cast<double>(s.duration_ns) / 1e6;
      std::string outcome = (s.ok ? "" : "FAILED: ") + s.outcome;
      if (md) {
        fmt::print("| {} | {:.1f} | {} |\n", s.what, ms, MarkdownCell(outcome));
      } else {
        fmt::print("  {:<26} {:>9.1f} ms  {}\n", s.what, ms, outcome);
      }
    }
    uint64_t bytes = 0;
    for (const EvidenceFile& f : r->files) bytes += f.size;
    fmt::print("{}target paused for at most {:.1f} ms\n", md ? "\n" : "",
               static_cast<double>(r->paused_ns) / 1e6);
    fmt::print("{} files, {} bytes, listed with sha256 in {}/manifest.json\n", r->files.size() + 1,
               bytes, r->out_dir);
  }
  for (const std::string& n : r->notes) fmt::print(stderr, "inquest capture: note: {}\n", n);
  if (!all_ok) {
    fmt::print(stderr, "inquest capture: some steps failed; what they left is in the folder\n");
  }
  return 0;
}

}  // namespace inquest::cli
