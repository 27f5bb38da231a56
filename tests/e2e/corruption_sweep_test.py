#!/usr/bin/env python3
"""A corruption sweep: every kind of evidence inquest reads, cut short and bit-flipped with fixed
seeds, fed to the command that reads it under a time and a memory limit. Whatever the bytes, the
answer is clean: exit 0 or 1 with output, or exit 3 naming the file; never a signal, never a hang,
never an internal error (exit 4).

Kinds: the third-party fixtures in ../shared/fixtures (logs of every format, Jaeger / OTLP /
Zipkin traces, Go and Java thread dumps, hs_err and gdb logs, ELF cores, post-mortem documents)
and the example bundle's change, alert, page and ticket exports. A few files per folder, chosen
by their sorted order, each cut at two points and flipped at two sets of bytes.

    python3 tests/e2e/corruption_sweep_test.py build/inquest      (from the source folder)

Exit 0 passed, 1 failed, 77 skipped (no ../shared/fixtures here).
"""
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile

INQUEST = os.path.abspath(sys.argv[1])
SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(SOURCE, "..", "shared", "fixtures")
# Files taken per fixture folder: enough to meet each reader's variants, few enough for CI.
PER_FOLDER = 3
# Where a file is cut (fractions of its size) and how many bytes each flip pass changes.
CUTS = (0.37, 0.81)
FLIP_SEEDS = (11, 29)
FLIPS_PER_PASS = 24
# Limits of one run: a hang or a runaway allocation is a failure, not a slow test.
TIMEOUT_S = 60
MEMORY_BYTES = 4 << 30
# What a clean answer exits with (DESIGN.md): done, found what it checks for, bad input.
CLEAN_EXITS = {0, 1, 3}

# Folder of fixtures -> the command that reads that kind of evidence.
KINDS = [
    ("logs", ["timeline"]),
    ("traces", ["trace"]),
    ("dumps", ["dump"]),
    ("cores", ["core"]),
    ("postmortems", ["pm", "lint"]),
]


def sanitized(binary):
    """An AddressSanitizer build reserves terabytes of address space: it gets its own RSS limit
    instead of RLIMIT_AS."""
    with open(binary, "rb") as f:
        return b"AddressSanitizer" in f.read()


SANITIZED = sanitized(INQUEST)


def limit():
    if not SANITIZED:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


ENV = dict(os.environ, NO_COLOR="1")
if SANITIZED:
    ENV["ASAN_OPTIONS"] = ENV.get("ASAN_OPTIONS", "") + f":hard_rss_limit_mb={MEMORY_BYTES >> 20}"


def variants(data):
    for frac in CUTS:
        yield f"cut{int(frac * 100)}", data[: int(len(data) * frac)]
    for seed in FLIP_SEEDS:
        rng = random.Random(seed)
        b = bytearray(data)
        for _ in range(FLIPS_PER_PASS if b else 0):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        yield f"flip{seed}", bytes(b)


def pick(folder):
    files = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        chosen = [os.path.join(root, n) for n in sorted(names)
                  if not n.endswith((".md5", ".txt.license")) and n != "SOURCES.md"]
        files += chosen[:: max(1, len(chosen) // PER_FOLDER)][:PER_FOLDER]
    return files


def main():
    if not os.path.isdir(FIXTURES):
        print("SKIP: ../shared/fixtures is not present")
        return 77
    cases = []
    for folder, cmd in KINDS:
        for sub in sorted(os.listdir(os.path.join(FIXTURES, folder))):
            path = os.path.join(FIXTURES, folder, sub)
            if os.path.isdir(path):
                cases += [(cmd, f) for f in pick(path)]
    example = os.path.join(SOURCE, "examples", "checkout-stampede", "exports")
    for name in sorted(os.listdir(example)):
        cases.append((["changes"], os.path.join(example, name)))
        cases.append((["timeline"], os.path.join(example, name)))

    failures, runs = [], 0
    work = tempfile.mkdtemp(prefix="inquest-sweep-")
    try:
        for cmd, path in cases:
            data = open(path, "rb").read()
            for tag, bytes_ in variants(data):
                target = os.path.join(work, f"{tag}-{os.path.basename(path)}")
                with open(target, "wb") as f:
                    f.write(bytes_)
                runs += 1
                what = f"{' '.join(cmd)} {os.path.relpath(path, SOURCE)} ({tag})"
                try:
                    p = subprocess.run([INQUEST, *cmd, target], capture_output=True,
                                       timeout=TIMEOUT_S, preexec_fn=limit,
                                       env=ENV)
                except subprocess.TimeoutExpired:
                    failures.append(f"{what}: no answer within {TIMEOUT_S}s")
                    continue
                finally:
                    os.unlink(target)
                if p.returncode not in CLEAN_EXITS:
                    err = p.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
                    failures.append(f"{what}: exit {p.returncode}: {' | '.join(err)}")
                elif p.returncode == 3 and os.path.basename(target) not in \
                        p.stderr.decode("utf-8", "replace"):
                    failures.append(f"{what}: exit 3 without naming the file")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    print(f"{runs} corrupted inputs from {len(cases)} files: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
