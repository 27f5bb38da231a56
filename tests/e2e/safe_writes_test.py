#!/usr/bin/env python3
"""Files inquest writes never go through a link someone planted, and the bundle walk never
leaves the bundle:

- `analyze` with a symbolic link planted at report.html in the report folder refuses (exit 2,
  naming the link and its target) and the file it points to is untouched; a link planted as the
  report folder itself is refused the same way; no temporary file is left behind; a second run
  replaces the report's own files;
- a bundle holding links out of it (to a file with a secret, to a folder) lists them in the
  inputs table and on stderr, naming each link and its target, and reads nothing of them; a
  link to a file inside is read once;
- `pm new --out` onto a link (dangling or not) refuses and creates nothing.

    safe_writes_test.py PATH/TO/inquest   (run from the source folder)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
checks = Checks()
check = checks.check

# What a file outside the bundle holds: nothing of it may reach any output.
OUTSIDE_MARKER = "outside-the-bundle-7f3a9c"
VICTIM = "the user's own file, which no report may overwrite\n"

LOG = "".join(
    f'{{"ts":"2026-05-29T14:{m:02d}:{s:02d}Z","level":"{lvl}","service":"checkout",'
    f'"msg":"{msg}"}}\n'
    for m in range(0, 20) for s in (0, 20, 40)
    for lvl, msg in ([("error", "upstream timeout")] if m >= 12 else [("info", "ok")]))


def run(*args):
    p = subprocess.run([INQUEST, *args], capture_output=True, text=True,
                       env=dict(os.environ, NO_COLOR="1", TZ="UTC"), timeout=300)
    return p.returncode, p.stdout, p.stderr


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def read(path):
    with open(path) as f:
        return f.read()


def all_output(folder):
    text = ""
    for dirpath, _, names in os.walk(folder):
        for n in names:
            text += read(os.path.join(dirpath, n))
    return text


def planted_links(work):
    bundle = os.path.join(work, "planted")
    write(os.path.join(bundle, "app.log"), LOG)
    victim = os.path.join(work, "victim.html")
    write(victim, VICTIM)
    report = os.path.join(bundle, "inquest-report")
    os.makedirs(report)
    os.symlink(victim, os.path.join(report, "report.html"))
    code, out, err = run("analyze", bundle)
    check(code == 2, f"analyze refuses a link planted at report.html (exit {code})")
    check("report.html is a symbolic link to " + victim in err,
          f"the error names the link and its target ({err.strip()[-300:]})")
    check(read(victim) == VICTIM, "the file the link points to is untouched")
    check(not [n for n in os.listdir(report) if n.endswith(".tmp")],
          "no temporary file is left in the report folder")

    # Once the link is gone, analyze writes its files, and a second run replaces them.
    os.unlink(os.path.join(report, "report.html"))
    code, out, err = run("analyze", bundle, "-q")
    check(code == 0, f"without the link analyze writes its report ({code}: {err.strip()[-200:]})")
    first = read(os.path.join(report, "findings.json"))
    code, out, err = run("analyze", bundle, "-q")
    check(code == 0 and read(os.path.join(report, "findings.json")) == first,
          "a second run replaces its own files")
    check(sorted(os.listdir(report)) == ["findings.json", "postmortem.md", "report.html"],
          f"the report folder holds the three files only ({sorted(os.listdir(report))})")

    # The report folder itself a link to somewhere else.
    elsewhere = os.path.join(work, "elsewhere")
    os.makedirs(elsewhere)
    shutil.rmtree(report)
    os.symlink(elsewhere, report)
    code, out, err = run("analyze", bundle)
    check(code == 2 and "inquest-report is a symbolic link to " + elsewhere in err,
          f"a link planted as the report folder is refused ({code}: {err.strip()[-300:]})")
    check(os.listdir(elsewhere) == [], "nothing was written where the folder link points")
    # --out naming a real folder still works.
    code, out, err = run("analyze", bundle, "-q", "--out", os.path.join(work, "real-report"))
    check(code == 0 and os.path.isfile(os.path.join(work, "real-report", "findings.json")),
          f"--out to a real folder writes the report ({code})")


def links_out_of_the_bundle(work):
    bundle = os.path.join(work, "linked")
    write(os.path.join(bundle, "app.log"), LOG)
    secret = os.path.join(work, "secret.log")
    write(secret, '{"ts":"2026-05-29T14:13:00Z","level":"error","service":"vault",'
                  f'"msg":"{OUTSIDE_MARKER}"}}\n' * 50)
    os.makedirs(os.path.join(work, "outside-folder"))
    write(os.path.join(work, "outside-folder", "other.log"),
          f'{{"ts":"2026-05-29T14:13:00Z","level":"error","msg":"{OUTSIDE_MARKER}"}}\n')
    os.symlink(secret, os.path.join(bundle, "leak.log"))
    os.symlink("../outside-folder", os.path.join(bundle, "leak-dir"))
    os.symlink("app.log", os.path.join(bundle, "same-again.log"))
    code, out, err = run("analyze", bundle)
    check(code == 0, f"analyze of a bundle with links out of it succeeds ({code}: "
                     f"{err.strip()[-300:]})")
    table = out.split("onset:")[0]
    for link, target in (("leak.log", secret),
                         ("leak-dir", os.path.join(work, "outside-folder"))):
        line = next((l for l in table.splitlines() if l.strip().startswith(link)), "")
        check("outside the bundle: not read" in line and target in line,
              f"the inputs table names {link} and its target ({line.strip()})")
        check(any(link in l and target in l and "outside the bundle" in l
                  for l in err.splitlines()),
              f"stderr names {link} and its target")
    check("same-again.log" not in table,
          "a link to a file the bundle lists already is not read twice")
    report = os.path.join(bundle, "inquest-report")
    check(OUTSIDE_MARKER not in out + err + all_output(report),
          "nothing of the files outside the bundle reaches stdout, stderr or the report")
    findings = json.loads(read(os.path.join(report, "findings.json")))
    text = json.dumps(findings)
    check("leak.log" in text and "outside the bundle" in text,
          "findings.json lists the refused link among its inputs")
    # timeline over the folder does not follow the link either.
    code, out, err = run("timeline", bundle)
    check(OUTSIDE_MARKER not in out + err, f"timeline DIR reads nothing outside the folder ({code})")


def pm_new_onto_a_link(work):
    victim = os.path.join(work, "pm-victim.md")
    write(victim, VICTIM)
    link = os.path.join(work, "pm.md")
    os.symlink(victim, link)
    code, out, err = run("pm", "new", "--out", link)
    check(code == 2 and "exists" in err and "not overwriting" in err,
          f"pm new --out onto a link refuses ({code}: {err.strip()})")
    check(read(victim) == VICTIM, "the file the link points to is untouched")
    dangling = os.path.join(work, "dangling.md")
    os.symlink(os.path.join(work, "would-be-created.md"), dangling)
    code, out, err = run("pm", "new", "--out", dangling)
    check(code == 2 and not os.path.exists(os.path.join(work, "would-be-created.md")),
          f"pm new --out onto a dangling link creates nothing through it ({code})")
    fresh = os.path.join(work, "fresh.md")
    code, out, err = run("pm", "new", "--out", fresh)
    check(code == 0 and read(fresh).startswith("#"), f"pm new --out a new file writes it ({code})")


def main():
    work = tempfile.mkdtemp(prefix="inquest-safe-writes-")
    try:
        planted_links(work)
        links_out_of_the_bundle(work)
        pm_new_onto_a_link(work)
    finally:
        shutil.rmtree(work)
    checks.finish()


if __name__ == "__main__":
    main()
