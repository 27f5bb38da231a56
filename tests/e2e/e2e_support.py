"""What the end-to-end tests share: recording checks, skipping when a tool is missing, the
line of a marker in an embedded program, and getting a real core from a crashing program.

    from e2e_support import Checks, line_of, make_core, require
    checks = Checks()
    require("gcc", "gdb")
    core = make_core(work, exe)
    checks.check(cond, "what was expected")
    checks.finish()            # exit 1 when any check failed
"""
import json
import os
import resource
import shutil
import subprocess
import sys

# Exit code that ctest reports as a skip (tests/CMakeLists.txt: SKIP_RETURN_CODE).
SKIP = 77


class Checks:
    """Prints each check as ok/FAIL and remembers the failures."""

    def __init__(self):
        self.failures = []

    def check(self, cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            self.failures.append(what)
        return cond

    def finish(self):
        if self.failures:
            print(f"{len(self.failures)} failed")
            sys.exit(1)
        print("all passed")


def require(*tools):
    """Exits with the skip code when a tool is not installed (never the case in CI)."""
    for tool in tools:
        if shutil.which(tool) is None:
            print(f"SKIP: {tool} is not installed")
            sys.exit(SKIP)


def line_of(program, marker):
    """The 1-based line of `program` (as written to disk: leading newline stripped) holding
    `marker`."""
    for i, line in enumerate(program.lstrip("\n").split("\n"), 1):
        if marker in line:
            return i
    raise AssertionError(marker)


def make_core(work, exe, args=(), stops=1):
    """Runs exe in `work` with an unlimited core size until it dies; returns the core's path.
    When the kernel writes no core there (core_pattern may be a pipe), gdb runs the program and
    writes one at its `stops`-th signal stop, and the test says so."""
    for name in os.listdir(work):
        if name.startswith("core"):
            os.unlink(os.path.join(work, name))

    def unlimited():
        resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))

    subprocess.run([exe, *args], cwd=work, preexec_fn=unlimited, capture_output=True)
    cores = [n for n in os.listdir(work) if n.startswith("core")]
    if cores:
        return os.path.join(work, cores[0])
    print("note: the kernel wrote no core here (core_pattern is "
          + open("/proc/sys/kernel/core_pattern").read().strip()
          + "); making one with gdb's generate-core-file")
    core = os.path.join(work, "core.gdb")
    continues = [arg for _ in range(stops - 1) for arg in ("-ex", "continue")]
    subprocess.run(["gdb", "-batch", "-ex", "run", *continues, "-ex",
                    f"generate-core-file {core}", "--args", exe, *args],
                   cwd=work, capture_output=True)
    return core


def run_lab_scenario(name, out, inquest, checks):
    """Runs lab/<name>/run OUTDIR (the lab convention in DESIGN.md) and returns its
    scenario.json; skips the test when the scenario says its toolchain is missing (exit 77)."""
    p = subprocess.run([os.path.join("lab", name, "run"), out], capture_output=True, timeout=300,
                       env=dict(os.environ, INQUEST=inquest))
    if p.returncode == SKIP:
        print("skip: " + p.stderr.decode())
        sys.exit(SKIP)
    checks.check(p.returncode == 0,
                 f"{name}: run exits 0 ({p.returncode}: {p.stderr.decode()[-300:]})")
    with open(os.path.join(out, "scenario.json")) as f:
        return json.load(f)


def inquest_json(inquest, cmd, cwd):
    """Runs `inquest CMD --format json` in cwd; returns (exit code, parsed stdout)."""
    r = subprocess.run([inquest, *cmd, "--format", "json"], cwd=cwd, capture_output=True,
                       timeout=120, env=dict(os.environ, NO_COLOR="1"))
    return r.returncode, json.loads(r.stdout)
