#!/usr/bin/env python3
"""`inquest heap` on bad input: a file that is not a dump, an empty one, a dump cut short, an
unknown sub-record tag, an array declaring 2^31 elements, an instance whose class dump is
missing, references to objects not in the dump, and a gzip bomb. Each ends in a clear error
(exit 3) or, where the objects before the damage mean something, in their analysis with a note
naming the damage and its byte offset; never a crash, and memory stays small."""
import gzip
import os
import resource
import struct
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
checks = Checks()
check = checks.check


def record(tag, body):
    return bytes([tag]) + struct.pack(">II", 0, len(body)) + body


class Dump:
    """A small HPROF 1.0.2 file with 8-byte ids."""

    def __init__(self):
        self.head = b"JAVA PROFILE 1.0.2\0" + struct.pack(">IQ", 8, 1700000000000)
        self.records = b""
        self.heap = b""
        self.next_string = 0x900

    def string(self, text):
        self.next_string += 1
        self.records += record(0x01, struct.pack(">Q", self.next_string) + text.encode())
        return self.next_string

    def klass(self, cid, name, super_id, ref_fields):
        self.records += record(0x02, struct.pack(">IQIQ", cid & 0xFFFF, cid, 0, self.string(name)))
        body = bytes([0x20]) + struct.pack(">QIQQQQQQI", cid, 0, super_id, 0, 0, 0, 0, 0,
                                           8 * len(ref_fields))
        body += struct.pack(">HH", 0, 0) + struct.pack(">H", len(ref_fields))
        for f in ref_fields:
            body += struct.pack(">Q", self.string(f)) + bytes([2])
        self.heap += body

    def instance(self, oid, cid, refs):
        self.heap += bytes([0x21]) + struct.pack(">QIQI", oid, 0, cid, 8 * len(refs))
        self.heap += b"".join(struct.pack(">Q", r) for r in refs)

    def root(self, oid):
        self.heap += bytes([0x05]) + struct.pack(">Q", oid)

    def bytes(self):
        return self.head + self.records + record(0x1C, self.heap) + record(0x2C, b"")


def base():
    d = Dump()
    d.klass(0x100, "java/lang/Object", 0, [])
    d.klass(0x200, "com/acme/Node", 0x100, ["next"])
    d.root(0x200)
    d.heap += bytes([0x01]) + struct.pack(">QQ", 0x1000, 0x1)  # a JNI global root: the chain's head
    for k in range(50):
        d.instance(0x1000 + 16 * k, 0x200, [0x1000 + 16 * (k + 1) if k < 49 else 0])
    return d


def heap(path, *args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    p = subprocess.run([INQUEST, "heap", path, *args], capture_output=True, text=True, timeout=120)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    check(p.returncode in (0, 3), f"{os.path.basename(path)}: exit 0 or 3, no crash ({p.returncode})")
    check(rss < 300 * 1024 or rss <= before, f"{os.path.basename(path)}: peak RSS under 300 MB")
    return p


def main():
    with tempfile.TemporaryDirectory() as tmp:
        def write(name, data):
            path = os.path.join(tmp, name)
            with open(path, "wb") as f:
                f.write(data)
            return path

        p = heap(write("notes.txt", b"2024-01-01 INFO not a heap dump\n" * 10))
        check(p.returncode == 3 and "not an HPROF heap dump" in p.stderr,
              f"a text file: not an HPROF heap dump ({p.stderr.strip()})")
        p = heap(write("empty.hprof", b""))
        check(p.returncode == 3 and "the file is empty" in p.stderr, f"an empty file ({p.stderr.strip()})")

        good = base().bytes()
        p = heap(write("good.hprof", good))
        check(p.returncode == 0 and "live: 52 objects" in p.stdout and "note:" not in p.stdout,
              f"the well-formed dump reads, every object live, nothing to note ({p.stdout[:300]})")

        p = heap(write("cut.hprof", good[: len(good) - 200]))
        check(p.returncode == 0 and "the dump is cut" in p.stdout and "byte " in p.stdout,
              f"a cut dump: analysed up to the cut, which is named ({p.stdout[:300]})")

        d = base()
        d.heap += b"\x42" + b"\0" * 20
        p = heap(write("tag.hprof", d.bytes()))
        check("unknown heap dump sub-record tag 0x42" in p.stdout and "byte " in p.stdout,
              f"an unknown sub-record tag, with its offset ({p.stdout[:300]}{p.stderr})")

        d = base()
        d.heap += bytes([0x22]) + struct.pack(">QIIQ", 0x5000, 0, 0x80000000, 0x200)
        p = heap(write("huge-array.hprof", d.bytes()))
        check("past the end of its heap dump segment" in p.stdout,
              f"an array of 2^31 elements in a small segment ({p.stdout[:300]}{p.stderr})")

        d = base()
        d.instance(0x7000, 0x9999, [0x1000])
        d.instance(0x7010, 0x200, [0xDEAD0])
        p = heap(write("missing.hprof", d.bytes()))
        check("have no class dump" in p.stdout, f"an instance of a class never dumped ({p.stdout[:400]})")
        check("point to objects not in the dump" in p.stdout, "a reference to nowhere is counted")

        co = zlib.compressobj(9, zlib.DEFLATED, 31)
        n = 200 << 20
        sub = bytes([0x23]) + struct.pack(">QIIB", 0x1000, 0, n, 8)
        bomb = co.compress(base().head + record(0x1C, b"")[:1] + struct.pack(">II", 0, len(sub) + n) + sub)
        zeros = b"\0" * (1 << 22)
        for _ in range(n // len(zeros)):
            bomb += co.compress(zeros)
        bomb += co.flush()
        p = heap(write("bomb.hprof.gz", bomb), "--max-ratio", "100")
        check(p.returncode == 3 and "decompression bomb" in p.stderr,
              f"a gzip bomb is an error ({p.stderr.strip()[:300]})")
        p = heap(os.path.join(tmp, "bomb.hprof.gz"), "--histogram", "--max-ratio", "100")
        check(p.returncode == 3 and "decompression bomb" in p.stderr, "and with --histogram too")
    checks.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
