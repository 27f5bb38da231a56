#!/usr/bin/env python3
"""End-to-end test of `inquest core` on real cores: the primer's billing null dereference is
compiled with gcc -g, run until it dies by SIGSEGV and leaves a core (ulimit -c unlimited; when
the kernel writes none, gdb's generate-core-file makes one and the test says so). inquest must
name the frames, the variables and the walk from victim to origin, and its frames must agree
with eu-stack's and gdb's on the same core. Then the bad inputs: a stripped binary, a
mismatched executable, a truncated core, a core of another architecture, garbage.

    native_core_billing_test.py PATH/TO/inquest   (run from the source folder)
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

BILLING = r"""
#include <stdio.h>
#include <stdlib.h>

struct account { long id; long balance; };
struct event { long account_id; long amount; };

static struct account accounts[] = {{1001, 500}, {1002, 12000}};

__attribute__((noinline)) struct account *lookup_account(long id) {
  for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++)
    if (accounts[i].id == id) return &accounts[i];
  return NULL;
}

__attribute__((noinline)) void apply_refund(struct account *acct, long amount) {
  acct->balance += amount;                             /* LINE_USE */
}

__attribute__((noinline)) void process_event(const struct event *e) {
  struct account *acct = lookup_account(e->account_id); /* LINE_BORN */
  apply_refund(acct, e->amount);                       /* LINE_CALL */
}

int main(void) {
  struct event events[] = {{1001, 250}, {99812, 4500}};
  for (int i = 0; i < 2; i++) process_event(&events[i]); /* LINE_MAIN */
  printf("%ld\n", accounts[0].balance);
  return 0;
}
"""










def inquest(*args):
    p = subprocess.run([INQUEST, "core", *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def eu_stack_frames(core, exe):
    """(function, line) of the crashing thread's frames from eu-stack -i -s."""
    out = subprocess.run(["eu-stack", "-i", "-s", "--core", core, "-e", exe],
                         capture_output=True, text=True).stdout
    frames = []
    block = out.split("TID ")[1] if "TID " in out else ""  # the dumping thread comes first
    for line in block.splitlines():
        m = re.match(r"#\d+\s+0x[0-9a-f]+\s+(\S+)", line)
        if m:
            frames.append([m.group(1), 0])
            continue
        m = re.match(r"\s+(\S+?):(\d+)(?::\d+)?$", line)
        if m and frames:
            frames[-1][1] = int(m.group(2))
    return [tuple(f) for f in frames]


def gdb_frames(core, exe):
    out = subprocess.run(["gdb", "-batch", "-nx", "-ex", "bt", exe, core],
                         capture_output=True, text=True).stdout
    out = out[out.rfind("\n#0 ") + 1:]  # gdb prints frame #0 on loading, then the backtrace
    frames = []
    for m in re.finditer(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+) \(.*?\)(?: at (\S+):(\d+))?", out, re.M):
        frames.append((m.group(1), int(m.group(3)) if m.group(3) else 0))
    return frames


def main():
    require("gcc", "gdb", "eu-stack", "strip")
    work = tempfile.mkdtemp(prefix="inquest-core-")
    try:
        src = os.path.join(work, "billing.c")
        with open(src, "w") as f:
            f.write(BILLING.lstrip("\n"))
        exe = os.path.join(work, "billing")
        subprocess.run(["gcc", "-g", "-O0", "-o", exe, src], check=True)
        core = make_core(work, exe)
        check(os.path.exists(core), "a core was written")

        code, out, err = inquest(core, "--exe", exe, "--format", "json")
        check(code == 0, f"inquest core exits 0 (got {code}: {err.strip()})")
        report = json.loads(out)
        check(report["signal"]["name"] == "SIGSEGV", "signal SIGSEGV")
        check(report["signal"]["fault_address"] == "0x8", "fault address 0x8 (balance's offset)")
        check("null pointer plus offset 8" in report["signal"]["meaning"], "fault meaning")
        t = report["threads"][0]
        check(t["crashing"], "crashing thread first")
        names = [f["function"] for f in t["frames"]]
        check(names[:3] == ["apply_refund", "process_event", "main"], f"frames {names[:3]}")
        lines = [f["line"] for f in t["frames"][:3]]
        want = [line_of(BILLING, "LINE_USE"), line_of(BILLING, "LINE_CALL"), line_of(BILLING, "LINE_MAIN")]
        check(lines == want, f"lines {lines} == {want}")
        acct = {v["name"]: v for v in t["frames"][0]["variables"]}
        check(acct.get("acct", {}).get("value") == "0x0", "acct=0x0 in apply_refund")
        check(acct.get("amount", {}).get("value") == "4500", "amount=4500 in apply_refund")
        walk = report["walk"]
        expected = (f"acct=0x0 in apply_refund (billing.c:{line_of(BILLING, 'LINE_USE')}) came from "
                    f"lookup_account(99812) in process_event (billing.c:{line_of(BILLING, 'LINE_BORN')}), "
                    "which returned NULL unchecked")
        check(walk["concluded"] and walk["summary"] == expected, f"walk: {walk['summary']}")
        check("registers" in t and t["registers"]["rip"] == t["frames"][0]["pc"],
              "frame-0 registers")
        mods = {os.path.basename(m["name"]): m for m in report["modules"]}
        check(mods.get("billing", {}).get("symbols") == "full",
              f"executable has full symbols: {mods.get('billing')}")

        # The same frames as eu-stack and gdb on the same core.
        ours = [(f["function"], f["line"]) for f in t["frames"] if f["file"]]
        eu = [fr for fr in eu_stack_frames(core, exe) if fr[1]]
        check(eu[:3] == ours[:3], f"eu-stack agrees: {eu[:3]} vs {ours[:3]}")
        gd = [fr for fr in gdb_frames(core, exe) if fr[1]]
        check(gd[:3] == ours[:3], f"gdb agrees: {gd[:3]} vs {ours[:3]}")

        # The executable found from the core when not given; text output names the walk.
        code, out, _ = inquest(core)
        check(code == 0 and "came from lookup_account(99812)" in out,
              "executable found from the core, text output")

        # Stripped: module + offset, clearly.
        stripped = os.path.join(work, "billing.stripped")
        shutil.copy(exe, stripped)
        subprocess.run(["strip", stripped], check=True)
        code, out, _ = inquest(core, "--exe", stripped, "--format", "json")
        r = json.loads(out)
        f0 = r["threads"][0]["frames"][0]
        check(code == 0 and f0["function"] == "" and f0["module_offset"] != "0x0",
              f"stripped: module + offset ({f0['module']}+{f0['module_offset']})")
        code, out, _ = inquest(core, "--exe", stripped)
        check("?? " in out and "billing.stripped+0x" in out and "  stripped" in out,
              "stripped: text shows ?? with module+offset and the module as stripped")

        # Separate debug information: a stripped executable whose DWARF sits in a debug folder,
        # found through .gnu_debuglink and through a build-id tree.
        require("objcopy")
        dbg = os.path.join(work, "debug")
        os.makedirs(dbg)
        split = os.path.join(work, "split", "billing")
        os.makedirs(os.path.dirname(split))
        shutil.copy(exe, split)
        subprocess.run(["objcopy", "--only-keep-debug", split, os.path.join(dbg, "billing.debug")],
                       check=True)
        subprocess.run(["objcopy", "--strip-debug", "--strip-unneeded",
                        f"--add-gnu-debuglink={os.path.join(dbg, 'billing.debug')}", split],
                       check=True)
        code, out, _ = inquest(core, "--exe", split, "--format", "json")
        r = json.loads(out)
        check(r["threads"][0]["frames"][0]["line"] == 0, "split debug, no --debug-dir: no lines")
        code, out, _ = inquest(core, "--exe", split, "--debug-dir", dbg, "--format", "json")
        r = json.loads(out)
        f0 = r["threads"][0]["frames"][0]
        check(code == 0 and f0["function"] == "apply_refund" and f0["line"] == line_of(BILLING, "LINE_USE"),
              "--debug-dir: .gnu_debuglink found, lines back")
        bid = [m["build_id"] for m in r["modules"] if m["name"].endswith("billing")][0]
        tree = os.path.join(work, "tree", ".build-id", bid[:2])
        os.makedirs(tree)
        shutil.move(os.path.join(dbg, "billing.debug"), os.path.join(tree, bid[2:] + ".debug"))
        code, out, _ = inquest(core, "--exe", split, "--debug-dir", os.path.join(work, "tree"),
                               "--format", "json")
        r = json.loads(out)
        f0 = r["threads"][0]["frames"][0]
        check(code == 0 and f0["line"] == line_of(BILLING, "LINE_USE"), "--debug-dir: build-id tree")
        code, _, err = inquest(core, "--debug-dir", os.path.join(work, "nope"))
        check(code == 2 and "--debug-dir" in err, "a --debug-dir that does not exist: usage error")

        # Mismatched executable: the build-ids differ, said plainly with both, exit 3 (its
        # symbols would name the wrong functions), whether or not the right file is still where
        # the process had it; --force-exe reads anyway and warns.
        moved = exe + ".deployed-earlier"
        other = os.path.join(work, "other")
        with open(os.path.join(work, "other.c"), "w") as f:
            f.write("int main(void) { return 3; }\n")
        subprocess.run(["gcc", "-g", "-o", other, os.path.join(work, "other.c")], check=True)
        code, out, err = inquest(core, "--exe", other)
        check(code == 3 and "differs" in err and "the build-id of the executable the process "
              "ran" in err and out == "",
              f"mismatched executable: exit 3, both build-ids named ({code}: {err.strip()})")
        os.rename(exe, moved)
        code, out, err = inquest(core, "--exe", other)
        check(code == 3 and "differs" in err and "apply_refund" not in out + err,
              "mismatched executable, right one gone: exit 3, no wrong symbols")
        code, out, _ = inquest(core, "--exe", other, "--force-exe")
        check(code == 0 and "--force-exe" in out and "may be wrong" in out,
              "mismatched executable with --force-exe: read, with a warning")
        os.rename(moved, exe)

        # Truncated core: what it holds, and the truncation said.
        data = open(core, "rb").read()
        half = os.path.join(work, "core.half")
        open(half, "wb").write(data[: len(data) // 2])
        code, out, _ = inquest(half, "--exe", exe, "--format", "json")
        check(code == 0, "truncated core: still a report")
        if code == 0:
            r = json.loads(out)
            check(r["truncated"] and any("cut short" in w for w in r["warnings"]),
                  "truncated core: said so")
            check(r["signal"]["name"] == "SIGSEGV", "truncated core: signal still read")
        head = os.path.join(work, "core.head")
        open(head, "wb").write(data[:40])
        code, _, err = inquest(head)
        check(code == 3 and "core.head" in err, f"40-byte core: exit 3 naming the file ({err.strip()})")

        # Another architecture: a clear error.
        arm = bytearray(data[:65536])
        arm[18:20] = (183).to_bytes(2, "little")  # EM_AARCH64
        armcore = os.path.join(work, "core.arm")
        open(armcore, "wb").write(arm)
        code, _, err = inquest(armcore)
        check(code == 3 and "another architecture" in err, f"aarch64 core: {err.strip()}")

        # Garbage and an executable given as the core.
        garbage = os.path.join(work, "garbage")
        open(garbage, "wb").write(os.urandom(4096))
        code, _, err = inquest(garbage)
        check(code == 3 and "not an ELF file" in err, f"garbage: {err.strip()}")
        code, _, err = inquest(exe)
        check(code == 3 and "not a core" in err, f"executable as core: {err.strip()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    checks.finish()


main()
