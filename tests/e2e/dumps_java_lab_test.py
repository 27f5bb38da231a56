#!/usr/bin/env python3
"""End-to-end: the Java lab scenarios with the real JDK. Each scenario's `run` builds its
program with javac (and gcc for the JNI library), drives it into a monitor deadlock, a
ReentrantLock deadlock or a native crash, captures the evidence the way the primer teaches
(jstack -l on the live JVM, three dumps apart; the JVM's own hs_err log), and `inquest dump`
must reach the verdicts the scenario's scenario.json expects.

    dumps_java_lab_test.py PATH/TO/inquest
Exit 77 (skipped) when java, javac, jstack or gcc is missing.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

INQUEST = os.path.abspath(sys.argv[1])
HERE = os.getcwd()
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def dump(*args):
    p = subprocess.run([INQUEST, "dump", *args], capture_output=True, timeout=120,
                       env=dict(os.environ, NO_COLOR="1"))
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def check_expect(name, out, scenario):
    expect = scenario["expect"]
    for step in scenario["analyze"]:
        args = [os.path.join(out, a) if os.path.exists(os.path.join(out, a)) else a
                for a in step[1:]]
        code, stdout, stderr = dump(*args, "--format", "json")
        check(code == expect["exit_code"], f"{name}: exit code {code} == {expect['exit_code']}"
              f" ({stderr.strip()[:200]})")
        doc = json.loads(stdout)
        verdicts = [v for d in doc["dumps"] for v in d.get("verdicts", [])]
        kinds = [v["kind"] for v in verdicts]
        for want in expect["verdicts"]:
            got = [v for v in verdicts if v["kind"] == want["kind"]]
            check(bool(got), f"{name}: a {want['kind']} verdict (got {kinds})")
            for text in want.get("title_contains", []):
                check(any(text in v["title"] for v in got),
                      f"{name}: {want['kind']} title contains {text!r}")
            for v in got:
                check(all(re.match(r".+:\d+$", e["source"]) for e in v["evidence"]),
                      f"{name}: every {want['kind']} evidence is path:line")
        yield doc


def scenario(name):
    out = tempfile.mkdtemp(prefix=f"inquest-{name}-")
    p = subprocess.run([os.path.join(HERE, "lab", name, "run"), out], capture_output=True,
                       timeout=300)
    if p.returncode == 77:
        print(f"skip {name}: {p.stderr.decode().strip()}")
        sys.exit(77)
    check(p.returncode == 0, f"{name}: run exits 0 ({p.stderr.decode().strip()[-300:]})")
    with open(os.path.join(out, "scenario.json")) as f:
        return out, json.load(f)


def main():
    for tool in ("java", "javac", "jstack", "gcc"):
        if shutil.which(tool) is None:
            print(f"skip: {tool} not found")
            return 77

    # Monitor deadlock: two tellers, synchronized blocks in opposite orders, three dumps.
    out, sc = scenario("java-monitor-deadlock")
    for doc in check_expect("java-monitor-deadlock", out, sc):
        detail = doc["dumps"][0]["detail"]
        check(len(detail["dumps"]) == sc["expect"]["dumps"],
              f"monitor: {len(detail['dumps'])} dumps read from one file")
        check(all(len(d["deadlocks"]) == 1 for d in detail["dumps"]),
              "monitor: the cycle is in every dump")
        check(detail["series"]["deadlock_formed_at"] is None,
              "monitor: deadlocked from the first dump on, so it did not form within the series")
    shutil.rmtree(out)

    # ReentrantLock deadlock; then the same dumps with the JVM's own report cut out: our
    # wait-for graph still finds the cycle (it never reads that report).
    out, sc = scenario("java-reentrantlock-deadlock")
    list(check_expect("java-reentrantlock-deadlock", out, sc))
    with open(os.path.join(out, "threads.txt")) as f:
        text = f.read()
    stripped = re.sub(r"Found one Java-level deadlock:.*?Found \d+ deadlocks?\.\n", "", text,
                      flags=re.S)
    check("Found one Java-level deadlock" not in stripped and stripped != text,
          "reentrantlock: the JVM's report removed")
    path = os.path.join(out, "no-jvm-report.txt")
    with open(path, "w") as f:
        f.write(stripped)
    code, stdout, _ = dump(path, "--format", "json")
    verdicts = json.loads(stdout)["dumps"][0]["verdicts"]
    check(code == 1 and verdicts[0]["kind"] == "deadlock" and
          "java.util.concurrent" in verdicts[0]["title"],
          "reentrantlock: the cycle is found without the JVM's report")
    shutil.rmtree(out)

    # JNI crash: the JVM's fatal error log names the native library and the Java caller.
    out, sc = scenario("java-jni-crash")
    for doc in check_expect("java-jni-crash", out, sc):
        detail = doc["dumps"][0]["detail"]
        frame = detail["problematic_frame"] or {}
        want = sc["expect"]["problematic_frame"]
        check(frame.get("kind") == want["kind"] and frame.get("library") == want["library"],
              f"jni: problematic frame {frame.get('kind')} {frame.get('library')}")
        java = " ".join(f["symbol"] for f in detail["java_frames"])
        for m in sc["expect"]["java_frames_contain"]:
            check(m in java, f"jni: Java frames contain {m}")
        check(detail["signal"] == "SIGSEGV" and detail["jre_version"] != "",
              "jni: signal and JRE version read")
    code, stdout, _ = dump(*[os.path.join(out, e) for e in sc["evidence"]])
    check(stdout.lstrip().split("\n")[0].endswith("(the dump's own timestamp)") or
          "crash in native library libthumbs.so" in stdout, "jni: text output names the library")
    shutil.rmtree(out)

    # JNI jump to address 0: a null callback called from native code. The verdict names the
    # jump, not the library the JVM unwound to.
    out, sc = scenario("java-jni-null-call")
    for doc in check_expect("java-jni-null-call", out, sc):
        detail = doc["dumps"][0]["detail"]
        java = " ".join(f["symbol"] for f in detail["java_frames"])
        for m in sc["expect"]["java_frames_contain"]:
            check(m in java, f"jni null call: Java frames contain {m}")
    code, stdout, _ = dump(*[os.path.join(out, e) for e in sc["evidence"]])
    check("crash in native library" not in stdout and "jump to address 0" in stdout,
          "jni null call: not blamed on the library the JVM unwound to")
    shutil.rmtree(out)

    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
