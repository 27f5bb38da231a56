#!/usr/bin/env python3
"""inquest heap on dumps made by a real JVM: lab/java-cache-oom runs a service whose static
cache grows until OutOfMemoryError under the dump-capture agent (handlers/java), which has the
JVM write its own dump on OutOfMemoryError, after an earlier heap dump of live objects the agent
took on SIGUSR2; the names the agent gave them are in the scenario's "analyze" lines. The leak
suspect must be the cache map, with the path
from its static root; --diff must show the growing classes; and the biggest objects by retained
size must agree with VisualVM's heap library (Debian's visualvm package) on the lab's dumps and
on the shared fixtures.

Conventions, stated rather than papered over. On the lab's dumps (a modern JDK, written after
a full collection) every object's shallow and retained size must equal VisualVM's, except class
objects: VisualVM sizes a class object as an instance of java.lang.Class, inquest (like MAT) by
its static fields, so for a class object what it retains besides itself is compared, within
0.5% or 1 KiB (the class objects below it differ the same way); so for a class loader, which
retains the classes only it references (the dump agent's). On the fixtures the two tools
must name the same biggest objects, and where they size an object alike (not a class object,
the same shallow size) inquest's retained size must equal VisualVM's or exceed it, never fall
short: VisualVM lets references from unreachable objects count, so garbage can keep an object
from being dominated (mat-oracle_jdk8_05: a PrintStream's BufferedWriter char[8192] is also
referenced by two unreachable HeapCharBuffers; VisualVM gives the writer 40 bytes, inquest and
the collector 16,440). VisualVM sizes the compressed-oops JDK 6 dump with 8-byte references,
inquest as jmap does (heap_test checks that against jmap's histogram), so there no size is
compared.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks, inquest_json, require, run_lab_scenario  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
FIXTURES = os.path.abspath(os.environ.get("INQUEST_FIXTURES_DIR", "../shared/fixtures"))
VISUALVM_JAR = "/usr/share/visualvm/visualvm/modules/org-graalvm-visualvm-lib-jfluid-heap.jar"
TOP = 20
checks = Checks()
check = checks.check


def visualvm_top(classes, dump):
    """{id: (class, shallow, retained)} of VisualVM's TOP biggest objects by retained size."""
    r = subprocess.run(["java", "-Xmx2g", "-cp", f"{VISUALVM_JAR}:{classes}", "HeapRetained", dump,
                        str(TOP)], capture_output=True, text=True, timeout=600)
    check(r.returncode == 0, f"VisualVM reads {os.path.basename(dump)} ({r.stderr[-300:]})")
    top = {}
    for line in r.stdout.splitlines():
        oid, cls, shallow, retained = line.split()
        top[int(oid, 16)] = (cls, int(shallow), int(retained))
    return top


def compare_with_visualvm(classes, dump, work, exact):
    name = os.path.basename(dump)
    theirs = visualvm_top(classes, dump)
    code, ours_json = inquest_json(INQUEST, ["heap", dump, "--top", str(4 * TOP)], work)
    check(code == 0, f"{name}: inquest heap exit 0")
    ours = {int(o["id"], 16): o for o in ours_json["top_objects"]}
    check(len(theirs) == TOP, f"{name}: VisualVM lists {TOP} objects ({len(theirs)})")
    matched = equal = 0
    for oid, (cls, shallow, retained) in theirs.items():
        o = ours.get(oid)
        if o is None:
            check(False, f"{name}: VisualVM's 0x{oid:x} ({cls}, retains {retained}) is among "
                         f"inquest's {4 * TOP} biggest")
            continue
        matched += 1
        equal += (o["shallow"], o["retained"]) == (shallow, retained)
        if not exact:
            if not o["class"].startswith("class ") and o["shallow"] == shallow:
                check(o["retained"] >= retained,
                      f"{name}: {cls} 0x{oid:x} retains {o['retained']}, no less than VisualVM's "
                      f"{retained} (garbage can only take from VisualVM's)")
            continue
        if o["class"].startswith("class ") or o["class"].endswith("ClassLoader"):
            # Each side's own size of the class object left out: what it retains besides itself.
            ours_below, theirs_below = o["retained"] - o["shallow"], retained - shallow
            # A class loader retains the classes only it references (the dump agent's, loaded
            # from the class path): class objects again, sized by convention.
            check(abs(ours_below - theirs_below) <= max(0.005 * theirs_below, 1024),
                  f"{name}: {o['class']} retains {ours_below} besides itself, VisualVM "
                  f"{theirs_below} (within 0.5% or 1 KiB: the class objects below it are sized "
                  f"by convention)")
        else:
            check(o["class"] == cls, f"{name}: 0x{oid:x} is a {cls} ({o['class']})")
            check((o["shallow"], o["retained"]) == (shallow, retained),
                  f"{name}: {cls} 0x{oid:x} shallow/retained {o['shallow']}/{o['retained']}, "
                  f"VisualVM {shallow}/{retained}")
    return matched, equal


def main():
    require("java", "javac", "jar")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "oom")
        scenario = run_lab_scenario("java-cache-oom", out, INQUEST, checks)
        expect = scenario["expect"]
        # [["heap", OOM], ["heap", OOM, "--diff", EARLY]]: the agent's file names.
        oom_dump, early_dump = scenario["analyze"][0][1], scenario["analyze"][1][3]
        code, report = inquest_json(INQUEST, ["heap", oom_dump], out)
        check(code == 0, f"{oom_dump}: exit 0")
        suspects = report.get("suspects", [])
        check(len(suspects) >= 1, f"{oom_dump}: a leak suspect")
        if suspects:
            s = suspects[0]
            # The heap may run out while the map resizes: then its new table is also in the
            # main thread's frame, no object dominates it, and the map is its owner.
            holder = s["owner"] if "owner" in s else s["subject"]
            table = s["subject"] if "owner" in s else s["accumulation"]
            check(holder["class"] == expect["holder_class"],
                  f"the suspect is the cache map ({holder['class']})")
            check(table["class"] == expect["table_class"],
                  f"the memory is in its table ({table['class']})")
            check(s["share"] > 0.9, f"the map holds most of the heap ({s['share']:.2f})")
            path = " → ".join(f"{p['via']}: {p['object']['class']}" for p in s["path"])
            for part in expect["path_contains"]:
                check(part in path, f"the path from the GC root names {part!r} ({path})")
            check(s["path"][0]["via"].startswith("GC root: "), "the path starts at a GC root")
            check("QUOTE_CACHE" in s["explanation"], "the explanation names the static field")
        # The cache map's element count, read from its `size` field, is the number of quotes
        # (listed first, as a suspect's holder, even when it does not dominate its table).
        quotes = sum(c["instances"] for c in report.get("histogram", [])
                     if c["class"] == "QuoteService$Quote")
        if suspects:
            holder_id = (suspects[0].get("owner") or suspects[0]["subject"])["id"]
            cache = [c for c in report.get("biggest_collections", [])
                     if c["object"]["id"] == holder_id]
            # The last quote may be under construction, not yet in the map, when the heap runs out.
            check(cache and quotes - 1 <= cache[0]["elements"] <= quotes,
                  f"biggest collections: the cache map holds the {quotes} quotes, or all but the "
                  f"one being built ({cache[:1]})")
        dups = report.get("duplicate_strings", {}).get("top", [])
        region = [d for d in dups if d["text"].startswith(expect["duplicate_prefix"])]
        check(len(region) == 7 and all(d["count"] >= expect["duplicate_copies_at_least"]
                                       for d in region),
              f"duplicate strings: the seven region names, each copied thousands of times "
              f"({[(d['text'], d['count']) for d in dups[:8]]})")
        code, diff = inquest_json(INQUEST, ["heap", oom_dump, "--diff", early_dump], out)
        check(code == 0, "--diff: exit 0")
        classes = diff.get("classes", [])
        growing = [c["class"] for c in classes[:3]]
        # A quote and its map node grow alike (32 bytes each, one per quote), so third place is
        # a tie that the few HashMap$Nodes the dump agent itself allocates can decide: a class
        # that grew by as much as the third, within 0.1%, counts as among the three.
        third = classes[2]["shallow"] if len(classes) >= 3 else 0
        for cls in expect["growing_classes"]:
            grew = next((c["shallow"] for c in classes if c["class"] == cls), 0)
            check(cls in growing or grew >= 0.999 * third,
                  f"--diff: {cls} among the three fastest-growing ({growing}; {cls} +{grew} "
                  f"bytes, third +{third})")
        quote = [c for c in diff.get("classes", []) if c["class"] == "QuoteService$Quote"]
        check(quote and quote[0]["instances_before"] == 20001 and quote[0]["instances"] > 20000,
              f"--diff: 20,001 quotes at the early dump, more since ({quote[:1]})")

        # analyze picks the dumps out of the folder by content and makes the suspect a finding.
        report_dir = os.path.join(tmp, "report")
        r = subprocess.run([INQUEST, "analyze", out, "--out", report_dir], capture_output=True,
                           text=True, timeout=600)
        check(r.returncode in (0, 1), f"analyze the lab's folder ({r.stderr[-300:]})")
        findings = []
        if os.path.exists(os.path.join(report_dir, "findings.json")):
            with open(os.path.join(report_dir, "findings.json")) as f:
                findings = json.load(f)["findings"]
        heap = [f for f in findings if f["kind"] == "heap-suspect"]
        check(any("QuoteService.QUOTE_CACHE" in f["title"] for f in heap),
              f"analyze: a heap-suspect finding names QuoteService.QUOTE_CACHE "
              f"({[f['title'] for f in heap]})")

        if not os.path.exists(VISUALVM_JAR):
            check(False, f"VisualVM's heap library at {VISUALVM_JAR} (Debian: apt-get install "
                         "visualvm; scripts/dev setup test installs it)")
            checks.finish()
            return 0
        classes = os.path.join(tmp, "oracle")
        subprocess.run(["javac", "-cp", VISUALVM_JAR, "-d", classes,
                        os.path.join("tests", "oracles", "HeapRetained.java")], check=True)
        dumps = [(os.path.join(out, oom_dump), True), (os.path.join(out, early_dump), True)]
        dumps += sorted((f, False) for f in glob.glob(os.path.join(FIXTURES, "heap", "hprof", "*"))
                        if f.endswith((".hprof", ".bin")))
        check(len(dumps) >= 6, f"the lab's dumps and the fixtures ({len(dumps)})")
        for dump, exact in dumps:
            matched, equal = compare_with_visualvm(classes, dump, tmp, exact)
            print(f"{os.path.basename(dump)}: {matched} of VisualVM's {TOP} biggest objects are "
                  f"inquest's too; {equal} with the same shallow and retained size")
    checks.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
