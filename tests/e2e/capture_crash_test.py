#!/usr/bin/env python3
"""End-to-end test of libinquest_crash: C programs linked with the static and the shared
library crash (a null dereference, an integer division by zero); each leaves one crash file
with mode 0600, still dies by its signal with a core where the kernel writes one, and
`inquest symbolize` names the crashing function and line, offline and from a copy of the binary.

    capture_crash_test.py PATH/TO/inquest   (run from the source folder)
"""
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile

INQUEST = os.path.abspath(sys.argv[1])
BUILD = os.path.dirname(INQUEST)
SOURCE = os.getcwd()
INCLUDE = os.path.join(SOURCE, "src/capture/crash/include")
STATIC_LIB = os.path.join(BUILD, "src/capture/crash/libinquest_crash.a")
SHARED_DIR = os.path.join(BUILD, "src/capture/crash")
failures = []

PROGRAM = r"""
#include <inquest/crash.h>
#include <stdio.h>
#include <stdlib.h>

struct account { long id; long balance; };

__attribute__((noinline)) long read_balance(struct account* a) {
  return a->balance;                                   /* LINE_DEREF */
}

__attribute__((noinline)) int divide(int a, int b) {
  return a / b;                                        /* LINE_DIV */
}

int main(int argc, char** argv) {
  if (inquest_crash_install(argv[1]) != 0) { perror("inquest_crash_install"); return 90; }
  if (argv[2][0] == 'n') printf("%ld\n", read_balance(NULL));
  if (argv[2][0] == 'd') printf("%d\n", divide(argc, atoi(argv[3])));
  return 0;
}
"""


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def line_of(marker):
    for i, line in enumerate(PROGRAM.lstrip("\n").split("\n"), 1):
        if marker in line:
            return i
    raise AssertionError(marker)


def main():
    if not shutil.which("gcc"):
        print("SKIP: gcc is not installed")
        return 77
    if not os.path.exists(STATIC_LIB):
        print("FAIL: %s is not built (ninja inquest_crash inquest_crash_shared)" % STATIC_LIB)
        return 1
    tmp = tempfile.mkdtemp(prefix="capture_crash_test_")
    src = os.path.join(tmp, "crashy.c")
    with open(src, "w") as f:
        f.write(PROGRAM.lstrip("\n"))
    builds = {
        "static": ["gcc", "-g", "-O0", "-I", INCLUDE, src, STATIC_LIB, "-o",
                   os.path.join(tmp, "crashy-static")],
        "shared": ["gcc", "-g", "-O0", "-I", INCLUDE, src, "-L", SHARED_DIR, "-linquest_crash",
                   "-Wl,-rpath," + SHARED_DIR, "-o", os.path.join(tmp, "crashy-shared")],
    }
    for name, cmd in builds.items():
        subprocess.run(cmd, check=True)
    pattern = open("/proc/sys/kernel/core_pattern").read().strip()
    kernel_writes_here = not pattern.startswith("|") and "/" not in pattern

    cases = [("static", "n", [], signal.SIGSEGV, "read_balance", line_of("LINE_DEREF")),
             ("shared", "n", [], signal.SIGSEGV, "read_balance", line_of("LINE_DEREF")),
             ("static", "d", ["0"], signal.SIGFPE, "divide", line_of("LINE_DIV"))]
    for link, mode, extra, sig, function, line in cases:
        what = "%s library, %s" % (link, sig.name)
        run_dir = tempfile.mkdtemp(dir=tmp)
        dumps = os.path.join(run_dir, "dumps")
        os.mkdir(dumps)
        exe = os.path.join(tmp, "crashy-" + link)
        p = subprocess.run([exe, dumps, mode, *extra], cwd=run_dir, capture_output=True,
                           preexec_fn=lambda: __import__("resource").setrlimit(
                               __import__("resource").RLIMIT_CORE, (-1, -1)))
        check(p.returncode == -sig, "%s: the process died by %s (status %d)" %
              (what, sig.name, p.returncode))
        files = os.listdir(dumps)
        check(len(files) == 1 and files[0].startswith("crash-"), "%s: one crash file %s" %
              (what, files))
        if not files:
            continue
        crash = os.path.join(dumps, files[0])
        mode_bits = stat.S_IMODE(os.stat(crash).st_mode)
        check(mode_bits == 0o600, "%s: crash file mode %o" % (what, mode_bits))
        if kernel_writes_here:
            cores = [f for f in os.listdir(run_dir) if f.startswith("core")]
            check(len(cores) == 1, "%s: the kernel still wrote a core (%s)" % (what, cores))
        # Offline: the binary moved away from where it ran, given with --exe.
        moved = os.path.join(run_dir, "kept-binary")
        shutil.copy(exe, moved)
        p = subprocess.run([INQUEST, "symbolize", crash, "--exe", moved, "--format", "json"],
                           capture_output=True, text=True, timeout=120)
        check(p.returncode == 0, "%s: symbolize exit 0 (%s)" % (what, p.stderr.strip()))
        if p.returncode != 0:
            continue
        report = json.loads(p.stdout)
        frame0 = report["frames"][0]
        check(report["signal_name"] == sig.name, "%s: signal %s" % (what, report["signal_name"]))
        check(frame0["function"] == function and frame0["line"] == line and
              frame0["file"].endswith("crashy.c"),
              "%s: frame 0 is %s at crashy.c:%d (got %s at %s:%s)" %
              (what, function, line, frame0["function"], frame0["file"], frame0["line"]))
        check(any(f["function"] == "main" for f in report["frames"][1:]),
              "%s: main is among the callers" % what)
        if sig == signal.SIGSEGV:
            check(report["fault_addr"] == "0x8" and "null pointer" in report["fault_meaning"],
                  "%s: fault 0x8, a null pointer plus offset 8 (%s)" %
                  (what, report.get("fault_meaning")))
        text = subprocess.run([INQUEST, "symbolize", crash, "--exe", moved],
                              capture_output=True, text=True, timeout=120).stdout
        check("%s+0x" % function in text and "crashy.c:%d" % line in text,
              "%s: the text report names %s and crashy.c:%d" % (what, function, line))
    shutil.rmtree(tmp)
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
