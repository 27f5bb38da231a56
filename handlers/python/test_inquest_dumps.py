"""Unit tests of inquest_dumps: names, times, the manifest merge and cap, and a handler in this
process (dump_now, name collisions, the cap on disk, fatal files of earlier processes, a
manifest lock held elsewhere).

    cd handlers/python && python3 -m unittest
"""
import contextlib
import fcntl
import hashlib
import io
import json
import os
import stat
import tempfile
import time
import unittest

import inquest_dumps as d

NS = 1796690415123456789      # 2026-12-08T00:40:15.123456789Z


def entry(path, t, kind="threads", size=3, sha="x" * 64, **extra):
    e = {"path": path, "size": size, "sha256": sha, "kind": kind, "time": t,
         "trigger": "SIGUSR1", "pid": 4242, "program": "quotes"}
    e.update(extra)
    return e


class Times(unittest.TestCase):
    def test_rfc3339_has_nine_digits_and_z(self):
        self.assertEqual(d.rfc3339(NS), "2026-12-08T00:40:15.123456789Z")
        self.assertEqual(d.rfc3339(NS - NS % 10**9), "2026-12-08T00:40:15.000000000Z")

    def test_rfc3339_round_trip(self):
        self.assertEqual(d.parse_rfc3339(d.rfc3339(NS)), NS)
        self.assertEqual(d.parse_rfc3339("2026-12-08T00:40:15.5Z"), NS - NS % 10**9 + 5 * 10**8)
        for bad in ("2026-12-08 00:40:15Z", "2026-12-08T00:40:15+01:00", None, 5, ""):
            self.assertIsNone(d.parse_rfc3339(bad))

    def test_file_stamp_is_utc_milliseconds(self):
        self.assertEqual(d.file_stamp(NS), "20261208T004015.123Z")


class Names(unittest.TestCase):
    def test_dump_name(self):
        self.assertEqual(d.dump_name("quotes", 4242, NS, "threads"),
                         "quotes-4242-20261208T004015.123Z-threads.txt")
        self.assertEqual(d.dump_name("quotes", 4242, NS, "tracemalloc"),
                         "quotes-4242-20261208T004015.123Z-tracemalloc.pickle")
        self.assertEqual(d.dump_name("quotes", 4242, NS, "fatal", 3),
                         "quotes-4242-20261208T004015.123Z-fatal-3.txt")

    def test_parse_name_round_trip_with_dashes_in_the_program(self):
        name = d.dump_name("quote-service", 7, NS, "threads", 2)
        self.assertEqual(d.parse_name(name), {"program": "quote-service", "pid": 7,
                                              "stamp": "20261208T004015.123Z",
                                              "kind": "threads", "seq": 2, "ext": "txt"})

    def test_parse_name_refuses_other_files(self):
        for name in (".quotes-1-20261208T004015.123Z-threads.txt.tmp", "manifest.json",
                     ".manifest.lock", "quotes-1-20261208T004015.123Z-threads.pickle",
                     "quotes-1-20261208T004015.123Z-heap.txt", "quotes-x-2026-threads.txt"):
            self.assertIsNone(d.parse_name(name), name)

    def test_program_names(self):
        self.assertEqual(d.program_name("/srv/app/service.py"), "service")
        self.assertEqual(d.program_name("/srv/app/quotes/__main__.py"), "quotes")
        self.assertEqual(d.program_name("-c", "/usr/bin/python3.11"), "python3.11")
        self.assertEqual(d.program_name("", "/usr/bin/python3"), "python3")
        self.assertEqual(d.sanitize_program("my app/é"), "my_app__")
        self.assertEqual(d.sanitize_program("..hidden"), "hidden")
        self.assertEqual(d.sanitize_program(""), "python")
        self.assertEqual(len(d.sanitize_program("x" * 300)), 64)


class Manifest(unittest.TestCase):
    def merge(self, old, new, max_dumps=20, present=None, protect=()):
        present = present if present is not None else {}

        def state(path):
            return present.get(path)
        return d.merge_manifest(old, state, new, max_dumps, NS + 10**9, NS, 99, "/usr/bin/py",
                                protect=protect)

    def test_new_manifest(self):
        e = entry("a.txt", d.rfc3339(NS))
        m, removed = self.merge(None, [e], present={"a.txt": (3, "x" * 64)})
        self.assertEqual(removed, [])
        self.assertEqual(list(m), ["inquest_capture", "writer", "runtime", "pid", "exe",
                                   "started", "finished", "steps", "files", "notes"])
        self.assertEqual((m["inquest_capture"], m["writer"], m["runtime"], m["pid"], m["exe"]),
                         (1, "inquest-dumps-python 1", "python", 99, "/usr/bin/py"))
        self.assertEqual(m["started"], d.rfc3339(NS))
        self.assertEqual(m["finished"], d.rfc3339(NS + 10**9))
        self.assertEqual(m["files"], [e])

    def test_keeps_started_drops_gone_files_and_refreshes_changed_sizes(self):
        old = {"inquest_capture": 1, "started": "2020-01-01T00:00:00.000000000Z", "pid": 1,
               "files": [entry("gone.txt", "2020-01-01T00:00:01.000000000Z"),
                         entry("grew.txt", "2020-01-01T00:00:02.000000000Z", kind="fatal"),
                         entry("same.txt", "2020-01-01T00:00:03.000000000Z"),
                         {"path": "proc/status", "size": 9, "sha256": "y" * 64}],
               "steps": [{"what": "proc snapshot"}], "notes": ["earlier"]}
        present = {"grew.txt": (50, "g" * 64), "same.txt": (3, "x" * 64),
                   "proc/status": (9, "y" * 64)}
        m, removed = self.merge(old, [], present=present)
        self.assertEqual([f["path"] for f in m["files"]],
                         ["grew.txt", "same.txt", "proc/status"])
        self.assertEqual((m["files"][0]["size"], m["files"][0]["sha256"]), (50, "g" * 64))
        self.assertEqual(m["started"], "2020-01-01T00:00:00.000000000Z")
        self.assertEqual(m["pid"], 99)
        self.assertEqual(m["steps"], [{"what": "proc snapshot"}])
        self.assertEqual(m["notes"], ["earlier"])
        self.assertEqual(removed, [])

    def test_cap_removes_the_oldest_by_time_never_the_protected_one(self):
        files = [entry("p%d.txt" % i, d.rfc3339(NS + i * 10**6)) for i in range(5)]
        # Listed out of order; one without a kind (not a dump) does not count.
        old = {"inquest_capture": 1, "started": d.rfc3339(NS),
               "files": [files[3], files[0], files[4], {"path": "other", "size": 1}]}
        present = {f["path"]: (3, "x" * 64) for f in files}
        present["other"] = (1, "z" * 64)
        new = [files[1], files[2]]
        m, removed = self.merge(old, new, max_dumps=3, present=present)
        self.assertEqual(removed, ["p0.txt", "p1.txt"])
        self.assertEqual(sorted(f["path"] for f in m["files"]),
                         ["other", "p2.txt", "p3.txt", "p4.txt"])
        # A protected dump (the one just written) stays even when its time is the oldest.
        m, removed = self.merge(old, new, max_dumps=3, present=present, protect=("p0.txt",))
        self.assertEqual(removed, ["p1.txt", "p2.txt"])

    def test_refuses_unsafe_paths_and_duplicates(self):
        old = {"inquest_capture": 1, "started": d.rfc3339(NS),
               "files": [entry("../x.txt", d.rfc3339(NS)), entry("/etc/passwd", d.rfc3339(NS)),
                         entry("a.txt", d.rfc3339(NS)), entry("a.txt", d.rfc3339(NS))]}
        present = {p: (3, "x" * 64) for p in ("../x.txt", "/etc/passwd", "a.txt")}
        m, _ = self.merge(old, [], present=present)
        self.assertEqual([f["path"] for f in m["files"]], ["a.txt"])

    def test_notes_are_bounded(self):
        old = {"inquest_capture": 1, "started": d.rfc3339(NS),
               "notes": ["n%d" % i for i in range(d.MAX_NOTES)]}
        m, _ = d.merge_manifest(old, lambda p: None, [], 20, NS, NS, 1, "", ["new"])
        self.assertEqual(len(m["notes"]), d.MAX_NOTES)
        self.assertEqual(m["notes"][-1], "new")

    def test_render_is_json_with_one_file_per_line(self):
        m, _ = self.merge(None, [entry("a.txt", d.rfc3339(NS)), entry("b.txt", d.rfc3339(NS))],
                          present={"a.txt": (3, "x" * 64), "b.txt": (3, "x" * 64)})
        text = d.render_manifest(m)
        self.assertEqual(json.loads(text), m)
        self.assertEqual(sum(1 for line in text.splitlines() if '"path"' in line), 2)


class Handler(unittest.TestCase):
    """A handler installed in this process (signals included: unittest runs in the main
    thread), on a folder of its own."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.folder = os.path.join(self.tmp.name, "dumps")
        self.handler = None

    def tearDown(self):
        if self.handler:
            self.handler.uninstall()
        self.tmp.cleanup()

    def install(self, **kw):
        kw.setdefault("program", "unit")
        self.handler = d.install(self.folder, **kw)
        return self.handler

    def manifest(self):
        with open(os.path.join(self.folder, d.MANIFEST)) as f:
            return json.load(f)

    def wait_for_manifest(self):
        deadline = time.monotonic() + 10
        while not os.path.exists(os.path.join(self.folder, d.MANIFEST)):
            self.assertLess(time.monotonic(), deadline, "no manifest.json")
            time.sleep(0.01)

    def check_consistent(self):
        m = self.manifest()
        for f in m["files"]:
            with open(os.path.join(self.folder, f["path"]), "rb") as fh:
                data = fh.read()
            self.assertEqual((len(data), hashlib.sha256(data).hexdigest()),
                             (f["size"], f["sha256"]), f["path"])
        return m

    def test_dump_now_writes_both_kinds_0600_in_a_0700_folder(self):
        h = self.install()
        paths = h.dump_now()
        self.assertEqual([d.parse_name(os.path.basename(p))["kind"] for p in paths],
                         ["threads", "tracemalloc"])
        self.assertEqual(stat.S_IMODE(os.stat(self.folder).st_mode), 0o700)
        for p in paths:
            self.assertEqual(stat.S_IMODE(os.stat(p).st_mode), 0o600)
        with open(paths[0]) as f:
            self.assertIn("most recent call first", f.read())
        m = self.check_consistent()
        listed = {f["path"]: f for f in m["files"]}
        self.assertEqual(set(listed), {os.path.basename(p) for p in paths})
        for f in listed.values():
            self.assertEqual((f["trigger"], f["pid"], f["program"]), ("api", os.getpid(), "unit"))
        self.assertEqual(h.stats["written"], 2)
        self.assertFalse([n for n in os.listdir(self.folder) if n.endswith(".tmp")])

    def test_a_name_taken_in_the_same_millisecond_gets_a_number(self):
        h = self.install()
        names = [h._write_new("threads", NS, lambda f: f.write(b"x")) for _ in range(3)]
        self.assertEqual([d.parse_name(n)["seq"] for n in names], [1, 2, 3])
        self.assertTrue(names[1].endswith("-threads-2.txt"))

    def test_the_cap_removes_the_oldest_files(self):
        h = self.install(max_dumps=2)
        paths = [h.dump_now(kinds=("threads",))[0] for _ in range(4)]
        self.assertEqual([os.path.exists(p) for p in paths], [False, False, True, True])
        m = self.check_consistent()
        self.assertEqual(sorted(f["path"] for f in m["files"]),
                         sorted(os.path.basename(p) for p in paths[2:]))

    def test_fatal_files_of_earlier_processes(self):
        os.makedirs(self.folder, 0o700)
        crashed = d.dump_name("unit", 1, NS, "fatal")
        abandoned = d.dump_name("unit", 2, NS, "fatal")
        held = d.dump_name("unit", 3, NS, "fatal")
        with open(os.path.join(self.folder, crashed), "w") as f:
            f.write("Fatal Python error: Segmentation fault\n")
        open(os.path.join(self.folder, abandoned), "w").close()
        holder = open(os.path.join(self.folder, held), "w")
        fcntl.flock(holder, fcntl.LOCK_SH)     # as a live process holds its own
        try:
            h = self.install()
            self.wait_for_manifest()
            m = self.check_consistent()
            self.assertEqual([(f["path"], f["kind"], f["trigger"], f["pid"]) for f in m["files"]],
                             [(crashed, "fatal", "fatal", 1)])
            names = os.listdir(self.folder)
            self.assertNotIn(abandoned, names)
            self.assertIn(held, names)
            # This process's own fatal file exists, empty and unlisted, until uninstall().
            own = os.path.basename(h.fatal_path)
            self.assertEqual(os.path.getsize(h.fatal_path), 0)
            h.uninstall()
            self.handler = None
            self.assertNotIn(own, os.listdir(self.folder))
        finally:
            holder.close()

    def test_a_lock_held_elsewhere_leaves_the_manifest_alone(self):
        h = self.install(lock_timeout=0.2)
        self.wait_for_manifest()
        with open(os.path.join(self.folder, d.LOCK)) as other:
            fcntl.flock(other, fcntl.LOCK_EX)    # another open file description: a conflict
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                paths = h.dump_now(kinds=("threads",))
        self.assertEqual(len(paths), 1)
        self.assertTrue(os.path.exists(paths[0]))
        self.assertIn("inquest-dumps: ", err.getvalue())
        self.assertIn("manifest.json not updated", err.getvalue())
        # The next update lists both.
        later = h.dump_now(kinds=("threads",))
        self.assertEqual(sorted(f["path"] for f in self.check_consistent()["files"]),
                         sorted(os.path.basename(p) for p in paths + later))

    def test_a_folder_that_cannot_be_made_is_reported_not_raised(self):
        blocker = os.path.join(self.tmp.name, "file")
        open(blocker, "w").close()
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            self.handler = d.install(os.path.join(blocker, "dumps"), program="unit")
            self.assertEqual(self.handler.dump_now(), [])
        self.assertTrue(all(line.startswith("inquest-dumps: ")
                            for line in err.getvalue().splitlines()))
        self.assertIn("ENOTDIR", err.getvalue())

    def test_signals_schedule_a_dump_chain_and_are_restored(self):
        import signal
        seen = []

        def host_handler(signum, frame):
            seen.append(signum)

        previous = signal.signal(signal.SIGUSR1, host_handler)
        try:
            h = self.install()
            self.wait_for_manifest()
            os.kill(os.getpid(), signal.SIGUSR1)
            deadline = time.monotonic() + 10
            while not [f for f in self.manifest()["files"] if f["trigger"] == "SIGUSR1"]:
                self.assertLess(time.monotonic(), deadline, "no SIGUSR1 dump")
                time.sleep(0.01)
            self.assertEqual(seen, [signal.SIGUSR1])        # chained to the host's handler
            h.uninstall()
            self.handler = None
            self.assertIs(signal.getsignal(signal.SIGUSR1), host_handler)
        finally:
            signal.signal(signal.SIGUSR1, previous)

    def test_a_forked_child_dumps_under_its_own_pid(self):
        h = self.install()
        self.wait_for_manifest()
        pid = os.fork()
        if pid == 0:                                        # the child
            code = 1
            try:
                paths = h.dump_now(kinds=("threads",))
                own = h.fatal_path and d.parse_name(os.path.basename(h.fatal_path))["pid"]
                code = 0 if len(paths) == 1 and own == os.getpid() else 2
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode")
                         else status >> 8, 0)
        pids = {f["pid"] for f in self.check_consistent()["files"]}
        self.assertEqual(pids, {pid})

    def test_second_install_is_refused(self):
        self.install()
        with self.assertRaises(RuntimeError):
            d.install(self.folder)

    def test_bad_arguments(self):
        for kw in ({"max_dumps": 0}, {"traced_limit": -1}, {"tracemalloc_frames": 0},
                   {"check_interval": 0}):
            with self.assertRaises(ValueError):
                d.install(self.folder, **kw)


if __name__ == "__main__":
    unittest.main()
