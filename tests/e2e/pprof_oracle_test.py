#!/usr/bin/env python3
"""`inquest heap` on pprof profiles against `go tool pprof -top`, the oracle, on the same files:
every profile in ../shared/fixtures/heap/pprof (gzipped profile.proto from Parca's collection,
legacy Go, gperftools and Java heap profiles) and seeded profiles from the benchmark's
generator (inlined frames, labels, several sample types), by function, line and file, sorted by
flat and cum, with and without pprof's node fraction, every sample type, a --top cut and a
diff. The table must be pprof's, line for line: values, percentages, unit, order, names and
inline marks. Two header lines differ by design: "Time:" (inquest prints UTC, pprof the local
zone) and inquest's "Diff:" line naming the two profiles of a diff, which pprof does not print."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks, require  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
FIXTURES = os.path.abspath(os.environ.get("INQUEST_FIXTURES_DIR", "../shared/fixtures"))
SOURCE = os.getcwd()
checks = Checks()
check = checks.check

# (inquest flags, pprof flags)
VARIANTS = [
    ([], []),
    (["--by", "line"], ["-lines"]),
    (["--by", "file"], ["-files"]),
    (["--sort", "cum"], ["-cum"]),
    (["--top", "7"], ["-nodecount=7"]),
    (["--node-fraction", "0"], ["-nodefraction=0"]),
    (["--by", "line", "--node-fraction", "0", "--sort", "cum"], ["-lines", "-nodefraction=0", "-cum"]),
]


def body(text):
    return [line for line in text.splitlines() if not line.startswith(("Time:", "Diff:"))]


def pprof_top(path, flags, cwd):
    # Run from an empty folder: pprof trims file paths by the name of the folder it runs in.
    p = subprocess.run(["go", "tool", "pprof", "-top", *flags, path], cwd=cwd,
                       capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout


def inquest_top(path, flags):
    p = subprocess.run([INQUEST, "heap", path, *flags], capture_output=True, text=True,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr


def compare(path, ours, theirs, cwd, label):
    rc, want = pprof_top(path, theirs, cwd)
    if not check(rc == 0, f"{label}: go tool pprof reads it"):
        return
    rc, got, err = inquest_top(path, ours)
    if not check(rc == 0, f"{label}: inquest reads it ({err.strip()[:200]})"):
        return
    g, w = body(got), body(want)
    first = next((i for i, (a, b) in enumerate(zip(g, w)) if a != b), None)
    same = g == w
    detail = "" if same else (f"first difference at line {first}: {g[first]!r} vs {w[first]!r}"
                              if first is not None else f"{len(g)} lines against {len(w)}")
    check(same, f"{label}: {len(w)} lines equal to pprof's {detail}")


def sample_types(path):
    p = subprocess.run([INQUEST, "heap", path, "--format", "json", "--top", "1"],
                       capture_output=True, text=True, timeout=300)
    import json
    return [t["type"] for t in json.loads(p.stdout)["sample_types"]]


def generated(work):
    """Small seeded profiles from bench/profile/genprofile.go, when it is there."""
    gen = os.path.join(SOURCE, "bench", "profile", "genprofile.go")
    if not os.path.exists(gen):
        return []
    out = []
    exe = os.path.join(work, "genprofile")
    p = subprocess.run(["go", "build", "-o", exe, gen], capture_output=True, text=True)
    if not check(p.returncode == 0, f"the profile generator builds ({p.stderr.strip()[:200]})"):
        return []
    # Two snapshots of one program (same stacks, values grown) for the diff, and a CPU profile.
    for seed, kind, epoch in [(7, "heap", 1), (7, "heap", 2), (3, "cpu", 1)]:
        path = os.path.join(work, f"gen-{kind}-{seed}-{epoch}.pb.gz")
        p = subprocess.run([exe, "-seed", str(seed), "-kind", kind, "-epoch", str(epoch),
                            "-samples", "3000", "-functions", "400", "-out", path],
                           capture_output=True, text=True)
        if check(p.returncode == 0, f"generator seed {seed} epoch {epoch} ({p.stderr.strip()[:200]})"):
            out.append(path)
    return out


def main():
    require("go")
    profiles = sorted(glob.glob(os.path.join(FIXTURES, "heap", "pprof", "*.pb.gz")))
    profiles += [p for p in sorted(glob.glob(os.path.join(FIXTURES, "heap", "pprof", "*.heap")))]
    # Values at the edges of int64 (sums wrap in Go: pprof's totals and rows must still match).
    profiles.append(os.path.join(SOURCE, "fuzz", "corpus", "profile_pprof_fuzzer", "int64-edges.pb"))
    check(len(profiles) >= 6, f"{len(profiles)} fixture profiles")
    with tempfile.TemporaryDirectory() as work:
        empty = os.path.join(work, "cwd")
        os.mkdir(empty)
        profiles += generated(work)
        for path in profiles:
            name = os.path.basename(path)
            for ours, theirs in VARIANTS:
                compare(path, ours, theirs, empty, f"{name} {' '.join(theirs) or '(default)'}")
            for i, t in enumerate(sample_types(path)[:-1]):
                compare(path, ["--sample", t], [f"-sample_index={t}"], empty, f"{name} {t}")
        gens = [p for p in profiles if os.path.basename(p).startswith("gen-heap")]
        if len(gens) == 2:
            compare(gens[1], ["--diff", gens[0]], [f"-diff_base={gens[0]}"], empty,
                    "generated heap diff")
            compare(gens[1], ["--diff", gens[0], "--by", "line", "--node-fraction", "0"],
                    [f"-diff_base={gens[0]}", "-lines", "-nodefraction=0"], empty,
                    "generated heap diff by line")
    checks.finish()


if __name__ == "__main__":
    sys.exit(main())
