// inquest's own parsing of ELF cores (native/core_file.h: headers, program headers, notes,
// memory reads) and of the record the unwinding child sends back (native/core_record.h).
// The first byte picks the parser; libdwfl is left out (it is elfutils' code, and runs in a
// child process for exactly this reason).
#include <string_view>

#include "native/core_file.h"
#include "native/core_output.h"
#include "native/core_record.h"
#include "native/signal_info.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    inquest::Result<inquest::CoreFile> core = inquest::ParseCoreFile(bytes, "fuzz");
    if (!core.ok()) return 0;
    inquest::CoreReport report;
    for (const inquest::CoreThreadState& t : core->threads) {
      inquest::CoreThread& th = report.threads.emplace_back();
      th.tid = t.tid;
      th.regs = t.regs;
      char buf[64];
      // What unwinding would read: the stack at rsp, the code at rip.
      (void)core->ReadMemory(bytes, t.regs[inquest::kRegRsp], buf, sizeof(buf));
      (void)core->ReadMemory(bytes, t.regs[inquest::kRegRip], buf, 16);
    }
    if (core->siginfo) {
      report.signal_name = inquest::DescribeSignal(core->siginfo->signo);
      report.code_name = inquest::DescribeSignalCode(core->siginfo->signo, core->siginfo->code);
      report.fault_meaning = inquest::FaultMeaning(core->siginfo->signo, core->siginfo->code,
                                                   core->siginfo->addr, 0, false, false);
    }
    report.warnings = core->problems;
    inquest::Result<inquest::CoreReport> back =
        inquest::DecodeCoreReport(inquest::EncodeCoreReport(report));
    if (!back.ok()) __builtin_trap();  // what we encode we must decode
    (void)inquest::RenderCore(*back, inquest::CoreFormat::kText, {});
  } else {
    inquest::Result<inquest::CoreReport> r = inquest::DecodeCoreReport(bytes);
    if (r.ok()) {
      (void)inquest::RenderCore(*r, inquest::CoreFormat::kJson, {});
      (void)inquest::RenderCore(*r, inquest::CoreFormat::kMd, {});
    }
  }
  return 0;
}
