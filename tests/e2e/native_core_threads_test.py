#!/usr/bin/env python3
"""End-to-end test of `inquest core` on a multi-threaded core: eight workers wait on one
condition variable at the same place, one sleeps elsewhere, and main aborts. The crashing
thread comes first with SIGABRT sent by the process itself; the eight identical workers are one
group with a count; the thread ids agree with gdb's `info threads` on the same core; the thread
and frame limits are applied and said.

    native_core_threads_test.py PATH/TO/inquest   (run from the source folder)
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

PROGRAM = r"""
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int waiting = 0;

static void *worker(void *arg) {
  pthread_mutex_lock(&mu);
  waiting++;
  pthread_cond_wait(&cv, &mu);                           /* LINE_WAIT */
  pthread_mutex_unlock(&mu);
  return arg;
}

static void *sleeper(void *arg) {
  for (;;) sleep(100);                                   /* LINE_SLEEP */
  return arg;
}

int main(void) {
  pthread_t t[9];
  for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, worker, NULL);
  pthread_create(&t[8], NULL, sleeper, NULL);
  for (;;) {
    pthread_mutex_lock(&mu);
    int n = waiting;
    pthread_mutex_unlock(&mu);
    if (n == 8) break;
    usleep(1000);
  }
  usleep(50000);
  abort();                                               /* LINE_ABORT */
}
"""






def main():
    require("gcc", "gdb")
    work = tempfile.mkdtemp(prefix="inquest-core-threads-")
    try:
        src = os.path.join(work, "pool.c")
        open(src, "w").write(PROGRAM.lstrip("\n"))
        exe = os.path.join(work, "pool")
        subprocess.run(["gcc", "-g", "-O0", "-pthread", "-o", exe, src], check=True)

        core = make_core(work, exe, stops=1)

        p = subprocess.run([INQUEST, "core", core, "--format", "json"], capture_output=True,
                           text=True)
        check(p.returncode == 0, f"exit 0 ({p.stderr.strip()})")
        r = json.loads(p.stdout)
        check(r["signal"]["name"] == "SIGABRT", "SIGABRT")
        check(r["signal"]["code_name"].startswith("SI_TKILL"), "sent by tgkill (abort)")
        check(r["signal"]["sender_pid"] == r["pid"], "sent by the process itself")
        check(r["threads_total"] == 10 and len(r["threads"]) == 10, "ten threads")
        t0 = r["threads"][0]
        check(t0["crashing"] and t0["tid"] == r["pid"], "main thread, crashing, first")
        names = [f["function"] for f in t0["frames"]]
        check("abort" in names and "main" in names, f"abort and main on the stack: {names}")
        main_frame = [f for f in t0["frames"] if f["function"] == "main"]
        check(main_frame and main_frame[0]["line"] == line_of(PROGRAM, "LINE_ABORT"), "abort's line")
        groups = {}
        for t in r["threads"]:
            groups.setdefault(t["group"], []).append(t)
        sizes = sorted(len(g) for g in groups.values())
        check(sizes == [1, 1, 8], f"groups of 1, 1 and 8 threads: {sizes}")
        big = [g for g in groups.values() if len(g) == 8][0]
        worker = [f for f in big[0]["frames"] if f["function"] == "worker"]
        check(worker and worker[0]["line"] == line_of(PROGRAM, "LINE_WAIT"), "workers wait at one line")

        text = subprocess.run([INQUEST, "core", core], capture_output=True, text=True).stdout
        check("8 threads with this stack" in text, "text: one group line with the count")

        # The same threads as gdb.
        g = subprocess.run(["gdb", "-batch", "-nx", "-ex", "info threads", exe, core],
                           capture_output=True, text=True).stdout
        gdb_tids = sorted({int(m) for m in re.findall(r"LWP (\d+)", g)})
        ours = sorted(t["tid"] for t in r["threads"])
        check(gdb_tids == ours, f"thread ids agree with gdb ({len(gdb_tids)} threads)")

        # Limits.
        p = subprocess.run([INQUEST, "core", core, "--format", "json", "--max-threads", "3",
                            "--max-frames", "2"], capture_output=True, text=True)
        r = json.loads(p.stdout)
        check(len(r["threads"]) == 3 and r["threads"][0]["crashing"],
              "--max-threads 3 keeps the crashing thread")
        check(any("3 threads of 10" in w for w in r["warnings"]), "the thread limit is said")
        check(all(len({f["physical"] for f in t["frames"]}) <= 2 for t in r["threads"]),
              "--max-frames 2")
        check(all("frame limit" in t["stopped"] for t in r["threads"]), "the frame limit is said")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    checks.finish()


main()
