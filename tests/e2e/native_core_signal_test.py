#!/usr/bin/env python3
"""End-to-end test of signal-handler frames in `inquest core`: a program's SIGSEGV handler
calls abort(), so the core's stack runs abort <- handler <- the kernel's signal frame <- the
function that faulted. inquest must show the handler, mark the signal frame, find the frame
below it from the registers the kernel saved ("signal frame"), and agree with gdb on the order.

    native_core_signal_test.py PATH/TO/inquest   (run from the source folder)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks, line_of, make_core, require  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
checks = Checks()
check = checks.check

PROGRAM = r"""
#include <signal.h>
#include <stdlib.h>

static void on_segv(int sig) {
  (void)sig;
  abort();                                   /* LINE_HANDLER */
}

__attribute__((noinline)) int fault(volatile int *p) {
  return *p;                                 /* LINE_FAULT */
}

int main(void) {
  signal(SIGSEGV, on_segv);
  return fault((volatile int *)16);          /* LINE_MAIN */
}
"""






def main():
    require("gcc", "gdb")
    work = tempfile.mkdtemp(prefix="inquest-core-signal-")
    try:
        src = os.path.join(work, "handler.c")
        open(src, "w").write(PROGRAM.lstrip("\n"))
        exe = os.path.join(work, "handler")
        subprocess.run(["gcc", "-g", "-O0", "-o", exe, src], check=True)

        core = make_core(work, exe, stops=2)

        p = subprocess.run([INQUEST, "core", core, "--format", "json"], capture_output=True,
                           text=True)
        check(p.returncode == 0, f"exit 0 ({p.stderr.strip()})")
        r = json.loads(p.stdout)
        check(r["signal"]["name"] == "SIGABRT", "the core's signal is the handler's abort")
        frames = r["threads"][0]["frames"]
        names = [f["function"] for f in frames]
        check("on_segv" in names and "fault" in names and "main" in names,
              f"handler, faulting function and main: {names}")
        if "on_segv" in names and "fault" in names:
            h, f = names.index("on_segv"), names.index("fault")
            check(h < f, "the handler above the function it interrupted")
            between = frames[h + 1:f]
            check(any(x["signal_frame"] for x in between), "the kernel's signal frame is marked")
            check(frames[f]["found_by"] == "signal frame", "the interrupted frame is found from "
                  "the registers the kernel saved")
            check(frames[f]["line"] == line_of(PROGRAM, "LINE_FAULT"), "the faulting line")
            check(frames[h]["line"] == line_of(PROGRAM, "LINE_HANDLER"), "the handler's line")
        text = subprocess.run([INQUEST, "core", core], capture_output=True, text=True).stdout
        check("<signal handler called>" in text, "text marks <signal handler called>")

        g = subprocess.run(["gdb", "-batch", "-nx", "-ex", "bt", exe, core], capture_output=True,
                           text=True).stdout
        g = g[g.rfind("\n#0 ") + 1:]
        gdb_names = re.findall(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+)", g, re.M)
        ours = [n if n else "??" for n in names]
        order_gdb = [n for n in gdb_names if n in ("on_segv", "fault", "main")]
        order_ours = [n for n in ours if n in ("on_segv", "fault", "main")]
        check(order_gdb == order_ours, f"same order as gdb: {order_gdb} vs {order_ours}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    checks.finish()


main()
