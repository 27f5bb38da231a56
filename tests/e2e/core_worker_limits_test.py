#!/usr/bin/env python3
"""`inquest core` reads a core in a worker (inquest itself, started afresh) under limits of CPU
time, memory and output size. Each limit, set tiny, stops the worker with a message that names
it (exit 4); a crash of the worker is named by its signal; with the default limits the output
is the same as ever (the golden tests hold it byte for byte).

The worker is made to misbehave by the hidden --worker-drill flag (it spins, allocates, writes
without end or crashes instead of reading the core); the output limit is also met by a real
core's report.

    core_worker_limits_test.py PATH/TO/inquest   (run from the source folder)
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
CORE = "../shared/fixtures/cores/elfutils/testfiledwarfinlines.core"
EXE = "../shared/fixtures/cores/elfutils/testfiledwarfinlines"
checks = Checks()
check = checks.check


def core(*args):
    t0 = time.time()
    p = subprocess.run([INQUEST, "core", *args], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, NO_COLOR="1"))
    return p.returncode, p.stdout, p.stderr, time.time() - t0


def main():
    # Drills need no real core: the worker misbehaves before it reads one.
    code, out, err, took = core("no-such.core", "--worker-drill", "spin", "--cpu-limit", "1")
    check(code == 4 and "CPU-time limit (1 s)" in err,
          f"a spinning worker is stopped at its CPU limit ({code}: {err.strip()})")
    check(took < 30, f"... within seconds ({took:.1f} s)")

    code, out, err, _ = core("no-such.core", "--worker-drill", "allocate", "--memory-limit", "128")
    if "needs a memory limit" in err:
        print("note: this build applies no address-space limit (sanitizers); memory not checked")
    else:
        check(code == 4 and "memory limit (128 MiB" in err,
              f"an allocating worker is stopped at its memory limit ({code}: {err.strip()})")

    code, out, err, _ = core("no-such.core", "--worker-drill", "flood", "--output-limit",
                             "65536")
    check(code == 4 and "output limit (65536 bytes)" in err,
          f"a flooding worker is stopped at its output limit ({code}: {err.strip()})")
    check(out == "", "nothing of a stopped worker's output is shown")

    code, out, err, _ = core("no-such.core", "--worker-drill", "crash")
    check(code == 4 and "crashed the reader process (SIGSEGV" in err,
          f"a crashing worker is named by its signal ({code}: {err.strip()})")

    if not os.path.exists(CORE):
        print("note: ../shared/fixtures is not present; the checks on a real core are skipped")
        checks.finish()
        return
    code, out, err, _ = core(CORE, "--exe", EXE, "--output-limit", "1000")
    check(code == 4 and "output limit (1000 bytes)" in err,
          f"a real core's report past the output limit is stopped ({code}: {err.strip()})")
    code, out, err, _ = core(CORE, "--exe", EXE, "--memory-limit", "8")
    check((code == 4 and "memory limit (8 MiB" in err) or code == 0,
          f"a real core under 8 MiB of address space meets the limit ({code}: {err.strip()})")
    code, plain, err, _ = core(CORE, "--exe", EXE, "--format", "json")
    check(code == 0 and '"signal"' in plain, f"the default limits read the core ({code})")
    code, roomy, err, _ = core(CORE, "--exe", EXE, "--format", "json", "--cpu-limit", "30",
                               "--memory-limit", "4096", "--output-limit", "100000000")
    check(code == 0 and roomy == plain, "limits that are not met change nothing in the output")
    checks.finish()


if __name__ == "__main__":
    main()
