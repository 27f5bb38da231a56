#!/usr/bin/env python3
"""The store through the command line, on SQLite and on a PostgreSQL server this test starts
itself from Debian's packages: pm import (idempotent), actions list|add|update|done|review,
metrics, two processes updating the same items at once, and bad documents.

    python3 tests/e2e/store_cli_test.py build/inquest      (from the source folder)

Exit 0 passed, 1 failed, 77 skipped (only when PostgreSQL is not installed; the SQLite half
still runs first and must pass).
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

INQUEST = os.path.abspath(sys.argv[1])
GOLDEN = os.path.abspath("tests/golden")
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def run(*args, db, code=0, now=None):
    cmd = [INQUEST] + list(args) + ["--db", db]
    if now:
        cmd += ["--now", now]
    p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    if p.returncode != code:
        FAILURES.append(f"{' '.join(cmd)}: exit {p.returncode}, expected {code}\n{p.stderr}")
        print("FAIL:", FAILURES[-1])
    return p


def start_postgres(tmp):
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        return None, "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb)"
    bindir = os.path.dirname(bins[-1])
    pgdir = os.path.join(tmp, "pg")
    os.mkdir(pgdir)
    prefix = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        os.chown(pgdir, 65534, 65534)
        prefix = ["runuser", "-u", "nobody", "--"]
    os.chmod(tmp, 0o755)
    subprocess.run(prefix + [f"{bindir}/initdb", "-D", f"{pgdir}/data", "-U", "inquest",
                             "--auth=trust", "-E", "UTF8", "--no-sync"],
                   check=True, capture_output=True, cwd=pgdir)
    # No TCP listener: the socket in our folder is the only way in.
    subprocess.run(prefix + [f"{bindir}/pg_ctl", "-D", f"{pgdir}/data", "-l", f"{pgdir}/log",
                             "-w", "-o", f"-p 5432 -k {pgdir} -c listen_addresses='' -c fsync=off",
                             "start"], check=True, capture_output=True, cwd=pgdir)
    stop = prefix + [f"{bindir}/pg_ctl", "-D", f"{pgdir}/data", "-m", "immediate", "stop"]
    return (f"postgresql:///postgres?host={pgdir}&port=5432&user=inquest", stop), None


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def suite(db, tmp, label):
    print(f"--- {label}")
    docs = [f"{GOLDEN}/actions_login.md", f"{GOLDEN}/actions_checkout.md"]
    p = run("pm", "import", *docs, db=db, now="2026-05-30")
    check("imported incident 1" in p.stdout and "imported incident 2" in p.stdout, p.stdout)
    # Importing again updates instead of duplicating.
    p = run("pm", "import", *docs, "--format", "json", db=db, now="2026-05-31")
    imports = json.loads(p.stdout)["imports"]
    check([i["created"] for i in imports] == [False, False], p.stdout)
    check(sum(i["actions_unchanged"] for i in imports) == 6, p.stdout)
    items = json.loads(run("actions", "list", "--format", "json", db=db).stdout)["items"]
    check(len(items) == 6, f"{len(items)} items after two imports")

    # A changed document: text, status, a removed and a new item.
    changed = open(f"{GOLDEN}/actions_checkout.md").read()
    changed = changed.replace("| AI-2 | Add jitter", "| AI-2 | Add 10% jitter")
    changed = changed.replace("| 2026-06-12 | in progress |", "| 2026-06-12 | done |")
    changed = changed.replace("| AI-3 |", "| AI-5 |")
    moved = write(os.path.join(tmp, f"checkout-{label}.md"), changed)  # same title and date
    p = run("pm", "import", moved, "--format", "json", db=db, now="2026-06-01")
    r = json.loads(p.stdout)["imports"][0]
    check(r["created"] is False and r["actions_added"] == 1 and r["actions_updated"] == 2,
          p.stdout)
    check(len(r["actions_missing_from_document"]) == 1, p.stdout)

    # An item is held to pm lint's action-item rules: refused, or recorded with --force.
    p = run("actions", "add", "Improve monitoring", "--owner", "the team", db=db, code=2,
            now="2026-06-01")
    check(p.returncode == 2 and "[action-owner]" in p.stderr and "[action-vague]" in p.stderr
          and "[action-due]" in p.stderr and "--force" in p.stderr,
          "a vague item owned by 'the team' without a date is refused, naming each rule")
    p = run("actions", "list", "--format", "json", db=db, now="2026-06-01")
    check("Improve monitoring" not in p.stdout, "the refused item is not in the store")

    # add, update, done, list filters.
    p = run("actions", "add", "Write the cache runbook", "--incident", "2", "--owner",
            "pricing team lead", "--due", "2026-06-10", "--class", "mitigate", "--format", "json",
            db=db, now="2026-06-01")
    added = json.loads(p.stdout)
    check(added["status"] == "open" and added["due"] == "2026-06-10", p.stdout)
    new_id = str(added["id"])
    run("actions", "update", new_id, "--status", "in-progress", "--note", "started", db=db,
        now="2026-06-02")
    p = run("actions", "done", new_id, "--note", "PR 77 merged", "--format", "json", db=db,
            now="2026-06-03")
    done = json.loads(p.stdout)
    notes = [h["note"] for h in done["history"]]
    check(done["status"] == "done" and notes == ["added", "started", "PR 77 merged"], p.stdout)
    run("actions", "update", new_id, db=db, code=2)  # nothing to change
    run("actions", "update", "999", "--status", "done", db=db, code=3)  # no such item
    run("actions", "done", "nope", db=db, code=2)
    owned = json.loads(run("actions", "list", "--owner", "pricing team lead", "--format", "json",
                           db=db).stdout)["items"]
    check(len(owned) == 2, f"pricing lead owns {len(owned)}")
    late = json.loads(run("actions", "list", "--overdue", "--format", "json", db=db,
                          now="2026-06-20").stdout)["items"]
    check(sorted(i["owner"] for i in late) == ["checkout on-call"], late)
    mine = json.loads(run("actions", "list", "--incident", "1", "--status", "wont-do",
                          "--format", "json", db=db).stdout)["items"]
    check(len(mine) == 1, mine)

    # The review exits 1 when there is something to act on; metrics in JSON.
    p = run("actions", "review", db=db, now="2026-06-20", code=1)
    check("## Overdue (1)" in p.stdout and "## Silent decay" in p.stdout, p.stdout)
    m = json.loads(run("metrics", "--format", "json", db=db).stdout)
    check(m["incidents"] == 2, m)
    sev1 = [s for s in m["per_sev"] if s["sev"] == "SEV-1"][0]
    check(sev1["time_to_detect"]["median_s"] == 2700, sev1)
    check(m["completion"]["items"] == 8, m["completion"])

    # Two processes updating the same items at once lose no update.
    ids = [str(i["id"]) for i in json.loads(run("actions", "list", "--incident", "2",
                                                "--format", "json", db=db).stdout)["items"]]
    errors = []

    def writer(who, flag):
        for n in range(12):
            for i in (ids if who == "a" else list(reversed(ids))):
                status = "open" if (n + (who == "a")) % 2 else "in-progress"
                p = subprocess.run([INQUEST, "actions", "update", i, "--db", db, "--status", status,
                                    flag, f"{who}{n}", "--note", f"{who}{n}"],
                                   capture_output=True, text=True)
                if p.returncode:
                    errors.append(p.stderr)

    threads = [threading.Thread(target=writer, args=("a", "--owner")),
               threading.Thread(target=writer, args=("b", "--ticket"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(not errors, errors[:3])
    items = json.loads(run("actions", "list", "--incident", "2", "--history", "--format", "json",
                           db=db).stdout)["items"]
    for it in items:
        check(it["owner"] == "a11" and it["ticket"] == "b11", (it["id"], it["owner"], it["ticket"]))
        h = it["history"]
        for k in range(1, len(h)):
            check(h[k]["from"] == h[k - 1]["to"], f"item {it['id']}: history broken at {k}")
        check(h[-1]["to"] == it["status"], f"item {it['id']}: status {it['status']} vs history")

    # Bad documents: clear errors naming the file, exit 3, nothing stored.
    before = len(json.loads(run("actions", "list", "--format", "json", db=db).stdout)["items"])
    binary = os.path.join(tmp, "a.out")
    shutil.copy("/bin/true", binary)
    huge = write(os.path.join(tmp, "huge.md"), "# Huge\n" + "word " * (3 << 20))
    notes = write(os.path.join(tmp, "notes.json"), '{"not": "markdown"}\n')
    for bad in (binary, huge, notes, os.path.join(tmp, "missing.md")):
        p = run("pm", "import", bad, db=db, code=3)
        check(bad in p.stderr, f"error does not name {bad}: {p.stderr}")
    dup = write(os.path.join(tmp, "dup.md"),
                "# Dup 2026-06-01\n\n## Action items\n| ID | Action |\n|---|---|\n| AI-1 | a |\n"
                "| AI-1 | b |\n")
    p = run("pm", "import", dup, db=db, code=3)
    check(f"{dup}:7" in p.stderr, p.stderr)
    # A table whose separator row has too few cells is no table: refused, with the line.
    broken = write(os.path.join(tmp, "broken.md"),
                   "# Broken table 2026-06-02\n\n## Action items\n| ID | Action | Owner | Due |\n"
                   "|---|---|\n| AI-1 | an action |\n")
    p = run("pm", "import", broken, db=db, code=3)
    check(f"{broken}:4: the 'Action items' section has table rows" in p.stderr, p.stderr)
    # Rows with too few or too many cells in a real table are read; a bad date is a warning.
    ragged = write(os.path.join(tmp, "ragged.md"),
                   "# Ragged table 2026-06-02\n\n## Action items\n| ID | Action | Owner | Due |\n"
                   "|---|---|---|---|\n| AI-1 | an action |\n| AI-2 | b | c | not a date | x |\n")
    p = run("pm", "import", ragged, db=db)
    check(f"{ragged}:7: due 'not a date' is not a date" in p.stderr, p.stderr)
    check("2 added" in p.stdout, p.stdout)
    after = len(json.loads(run("actions", "list", "--format", "json", db=db).stdout)["items"])
    check(after >= before, "items lost after bad imports")


def main():
    tmp = tempfile.mkdtemp(prefix="inquest-store-e2e-")
    try:
        suite(os.path.join(tmp, "sqlite", "store.db"), tmp, "sqlite")
        # A file that is not a database.
        p = run("actions", "list", db=f"{GOLDEN}/actions_login.md", code=3)
        check("not a database" in p.stderr, p.stderr)
        pg, why = start_postgres(tmp)
        if not pg:
            print("SKIP postgresql:", why)
            return 1 if FAILURES else 77
        url, stop = pg
        try:
            suite(url, tmp, "postgresql")
            p = run("actions", "list", db="postgresql://u:hunter2@/x?host=/nonexistent", code=3)
            check("cannot connect" in p.stderr, p.stderr)
            check("hunter2" not in p.stderr, f"the URL's password is not shown: {p.stderr}")
        finally:
            subprocess.run(stop, capture_output=True, cwd=tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("FAILED" if FAILURES else "passed", len(FAILURES))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
