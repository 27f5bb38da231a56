#!/usr/bin/env python3
"""`inquest heap` on broken profiles and snapshots: a truncated gzip, a string index past the
table, a line naming a function that is not defined, a sample naming an undefined location, an
id defined twice, bytes that are no profile at all, a legacy heap profile with a bad line, a
pickle naming another class, a pickle with an opcode outside a snapshot's vocabulary, a gzip
bomb. Each is a clear error (exit 3) naming the file (and the byte offset or line where there
is one), never a crash, and memory stays bounded. A location without any line (an unsymbolized
one) is valid, as in pprof, and shows as its binary."""
import gzip
import os
import resource
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
checks = Checks()
check = checks.check


def varint(n):
    out = b""
    n &= (1 << 64) - 1
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def field(num, value):
    """A varint field for an int, a length-delimited one for bytes."""
    if isinstance(value, int):
        return varint(num << 3) + varint(value)
    return varint((num << 3) | 2) + varint(len(value)) + value


def profile(strings=("", "alloc_space", "bytes", "main.f", "main.go", "app"), name_index=3,
            function_id=1, location_id=1, sample_location=1, second_location_id=None,
            mapping=False):
    body = field(1, field(1, 1) + field(2, 2))  # sample_type alloc_space/bytes
    body += field(2, field(1, sample_location) + field(2, 4096))  # one sample
    if mapping:
        body += field(3, field(1, 1) + field(2, 0x400000) + field(3, 0x500000) + field(5, 5))
    loc = field(1, location_id) + field(4, field(1, function_id) + field(2, 12))
    if mapping:
        loc = field(1, location_id) + field(2, 1) + field(3, 0x401234)  # no line: unsymbolized
    body += field(4, loc)
    if second_location_id is not None:
        body += field(4, field(1, second_location_id))
    body += field(5, field(1, 1) + field(2, name_index) + field(4, 4))
    for s in strings:
        body += field(6, s.encode())
    return body


def run(path, *flags):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    p = subprocess.run([INQUEST, "heap", path, *flags], capture_output=True, text=True,
                       timeout=300)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return p, max(rss, before)


def expect_error(work, name, data, words, flags=()):
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(data)
    p, rss = run(path, *flags)
    check(p.returncode == 3, f"{name}: exit 3 ({p.returncode}: {p.stderr.strip()[:200]})")
    check(path in p.stderr or name in p.stderr, f"{name}: the message names the file")
    for w in words:
        check(w in p.stderr, f"{name}: says {w!r}")
    check("Traceback" not in p.stderr and "terminate" not in p.stderr, f"{name}: no crash")
    return rss


def main():
    with tempfile.TemporaryDirectory() as work:
        good = gzip.compress(profile())
        path = os.path.join(work, "good.pb.gz")
        with open(path, "wb") as f:
            f.write(good)
        p, _ = run(path, "--node-fraction", "0")
        check(p.returncode == 0 and "main.f" in p.stdout, "the well-formed profile reads")

        expect_error(work, "cut.pb.gz", good[: len(good) // 2], ["byte"])
        expect_error(work, "string.pb.gz", gzip.compress(profile(name_index=40)),
                     ["string 40, past the string table's 6 entries"])
        expect_error(work, "function.pb.gz", gzip.compress(profile(function_id=9)),
                     ["names function id 9, which is not defined"])
        expect_error(work, "location.pb.gz", gzip.compress(profile(sample_location=5)),
                     ["names location id 5, which is not defined"])
        expect_error(work, "twice.pb.gz", gzip.compress(profile(second_location_id=1)),
                     ["has id 1, defined twice"])
        expect_error(work, "junk.pb", b"\x0a\x04\x08\x01\x10\x02" + b"\xff" * 200, ["not an HPROF heap dump, a pprof profile"])
        # A good start and a broken field later: read as a profile, refused with the offset.
        expect_error(work, "broken.pb", profile() + b"\x22\x05\x08", ["not a pprof profile", "byte"])
        expect_error(work, "legacy.heap",
                     b"heap profile: 1: 64 [ 1: 64] @ heap_v2/524288\n1: 64 [1: 64] @ 0x1\nbad\n",
                     ["legacy.heap:3"])

        # An unsymbolized location (no line) inside a named binary: valid, shown as the binary.
        unsym = os.path.join(work, "unsym.pb.gz")
        with open(unsym, "wb") as f:
            f.write(gzip.compress(profile(mapping=True)))
        p, _ = run(unsym)
        check(p.returncode == 0 and "[app]" in p.stdout,
              f"a location without a function shows as its binary ({p.stdout[-200:]!r})")

        # Pickles: a class other than tracemalloc's, and an opcode a snapshot never uses.
        def pickle4(ops):
            return b"\x80\x04\x95" + len(ops).to_bytes(8, "little") + ops

        head = b"\x8c\x0btracemalloc\x94\x8c\x08Snapshot\x94\x93\x94"
        expect_error(work, "evil.pickle", pickle4(head + b"\x8c\x02os\x8c\x06system\x93."),
                     ["byte", "os"])
        expect_error(work, "reduce.pickle", pickle4(head + b")R."), ["byte", "REDUCE"])

        # A gzip bomb: a profile's first fields, then a string declared 3 GiB long whose zeros
        # follow, in a file of a few MB. Refused at the expansion limit.
        bomb = os.path.join(work, "bomb.pb.gz")
        with gzip.open(bomb, "wb", compresslevel=1) as f:
            f.write(field(1, field(1, 1) + field(2, 2)) + varint((6 << 3) | 2) + varint(3 << 30))
            chunk = b"\0" * (16 << 20)
            for _ in range(192):
                f.write(chunk)
        rss = expect_error(work, "bomb.pb.gz", open(bomb, "rb").read(), ["--max-expansion"],
                           flags=("--max-expansion", "256MiB"))
        check(rss < 1024 * 1024, f"the bomb is refused in bounded memory ({rss // 1024} MiB)")
    checks.finish()


if __name__ == "__main__":
    sys.exit(main())
