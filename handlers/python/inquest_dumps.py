"""inquest_dumps: a Python process writes its own dumps into a folder that outlives it.

    import inquest_dumps
    handler = inquest_dumps.install("/var/dumps/quotes", program="quotes",
                                    traced_limit=512 << 20, rss_limit=2 << 30)
    ...
    handler.dump_now()          # a thread dump and a tracemalloc snapshot, now
    handler.uninstall()         # optional: restores what install() replaced

What it writes (one new file per dump, `{program}-{pid}-{20261208T003015.123Z}-{kind}.{ext}`,
mode 0600, in a folder created 0700, listed in the folder's manifest.json):

- `fatal` (.txt): faulthandler's traceback of every thread on SIGSEGV, SIGFPE, SIGABRT,
  SIGBUS, SIGILL or a fatal Python error. Opened at install (a crashing process has no time to
  open a file), so it exists, empty, while the process lives; it is listed in the manifest
  once it is non-empty (checked at the next install or dump in the folder, by any process) and
  removed at a clean exit when empty. It is the one file written in place, not by rename.
- `threads` (.txt) on SIGUSR1: every thread's stack, exactly as
  faulthandler.dump_traceback(all_threads=True) writes it.
- `tracemalloc` (.pickle) on SIGUSR2, and when the watchdog sees traced memory or the resident
  set cross its limit (once per crossing: it re-arms below rearm_ratio times the limit): the
  bytes Snapshot.dump writes (pickle.dump(snapshot, f, pickle.HIGHEST_PROTOCOL)).

The signal handlers only put a request on a queue; one background thread ("inquest-dumps")
takes the dumps one at a time and runs the watchdog. Requests for a trigger that is already
pending are coalesced. Failures to write are reported on stderr as one line starting with
"inquest-dumps:" and never raised into the program. See README.md for the whole contract.
Standard library only; CPython 3.8 or later on Linux.
"""
import atexit
import calendar
import errno
import faulthandler
import fcntl
import hashlib
import json
import os
import pickle
import queue
import re
import resource
import signal
import sys
import threading
import time
import tracemalloc

if sys.version_info < (3, 8):
    raise ImportError("inquest_dumps needs CPython 3.8 or later (this is %d.%d)"
                      % sys.version_info[:2])

__all__ = ["install", "DumpHandler", "dump_name", "parse_name", "rfc3339", "file_stamp",
           "program_name", "merge_manifest", "render_manifest"]

WRITER = "inquest-dumps-python 1"
MANIFEST = "manifest.json"
LOCK = ".manifest.lock"
# kind -> file extension
KINDS = {"threads": "txt", "tracemalloc": "pickle", "fatal": "txt"}
TRIGGERS = ("SIGUSR1", "SIGUSR2", "watchdog-traced", "watchdog-rss", "api", "fatal")
# analyze reads a manifest of at most 1 MiB (src/analyze/capture_manifest.h).
MAX_MANIFEST_BYTES = 1 << 20
# Notes kept in the manifest (the newest).
MAX_NOTES = 50

_NAME_RE = re.compile(r"^(?P<program>.+)-(?P<pid>[0-9]+)-(?P<stamp>[0-9]{8}T[0-9]{6}\.[0-9]{3}Z)"
                      r"-(?P<kind>[a-z]+)(?:-(?P<seq>[0-9]+))?\.(?P<ext>[a-z]+)$")
_RFC3339_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$")
_STOP = object()


# ---------------------------------------------------------------------------------------------
# Names, times and the manifest: pure functions (test_inquest_dumps.py tests them).

def rfc3339(ns):
    """UTC time with 9 fraction digits: 2026-12-08T00:30:15.123456789Z."""
    sec, frac = divmod(int(ns), 1000000000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec)) + ".%09dZ" % frac


def parse_rfc3339(text):
    """Nanoseconds since the epoch of a UTC RFC 3339 time ending in Z, or None."""
    m = _RFC3339_RE.match(text) if isinstance(text, str) else None
    if not m:
        return None
    y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
    frac = (m.group(7) or "").ljust(9, "0")
    try:
        return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) * 1000000000 + int(frac)
    except (ValueError, OverflowError):
        return None


def file_stamp(ns):
    """The time in a file name: 20261208T003015.123Z (UTC, milliseconds)."""
    sec, frac = divmod(int(ns), 1000000000)
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(sec)) + ".%03dZ" % (frac // 1000000)


def sanitize_program(name):
    """A program name safe in a file name: letters, digits, '.', '_', '+' and '-'; others become
    '_'; no leading dot; at most 64 characters; 'python' when nothing is left."""
    name = re.sub(r"[^A-Za-z0-9._+-]", "_", str(name or "")).lstrip(".")[:64]
    return name or "python"


def program_name(argv0=None, executable=None):
    """The default program name: the script's name without .py ('service.py' -> 'service'), the
    package of a `python -m pkg` (its __main__.py), else the interpreter's name."""
    if argv0 is None:
        argv0 = sys.argv[0] if sys.argv else ""
    base = os.path.basename(argv0 or "")
    if base == "__main__.py":
        base = os.path.basename(os.path.dirname(os.path.abspath(argv0)))
    elif base in ("", "-c", "-m", "-"):
        base = os.path.basename(executable or sys.executable or "python")
    if base.endswith(".py"):
        base = base[:-3]
    return sanitize_program(base)


def dump_name(program, pid, ns, kind, seq=1):
    """{program}-{pid}-{time}-{kind}.{ext}; seq 2, 3... adds -2, -3 before the extension."""
    suffix = "" if seq <= 1 else "-%d" % seq
    return "%s-%d-%s-%s%s.%s" % (sanitize_program(program), pid, file_stamp(ns), kind, suffix,
                                 KINDS[kind])


def parse_name(name):
    """The parts of a dump file's name as a dict (program, pid, stamp, kind, seq, ext), or None
    for any other name (temporary files start with '.' and are never dump files)."""
    if name.startswith("."):
        return None
    m = _NAME_RE.match(name)
    if not m or m.group("kind") not in KINDS or KINDS[m.group("kind")] != m.group("ext"):
        return None
    d = m.groupdict()
    d["pid"] = int(d["pid"])
    d["seq"] = int(d["seq"] or 1)
    return d


def _is_dump_entry(e):
    return e.get("kind") in KINDS and parse_rfc3339(e.get("time")) is not None


def _safe_relative(path):
    return (isinstance(path, str) and path != "" and not path.startswith("/")
            and ".." not in path.split("/") and "\0" not in path)


def merge_manifest(old, folder_state, new_entries, max_dumps, now_ns, started_ns, pid, exe,
                   notes=(), protect=()):
    """The manifest to write and the dump files the cap removes.

    old: the parsed manifest.json or None. folder_state(path) -> (size, sha256) of the file now
    on disk, or None when it is gone (it is asked only about listed and new paths).
    new_entries: entries to add (this update's dumps and adopted fatal files). Returns
    (manifest dict, [paths to remove]). Entries of files that are gone are dropped; an entry
    whose file changed size (a fatal file a crashing process was writing) gets the size and
    sha256 on disk. Then, while more than max_dumps dump files are listed, the oldest (by
    "time", then path) are removed, never one named in `protect`.
    """
    old = old if isinstance(old, dict) else {}
    files, seen = [], set()
    for e in list(old.get("files") or []) + list(new_entries):
        if not isinstance(e, dict) or not _safe_relative(e.get("path")) or e["path"] in seen:
            continue
        state = folder_state(e["path"])
        if state is None:
            continue
        e = dict(e)
        if e.get("size") != state[0] or not isinstance(e.get("sha256"), str):
            e["size"], e["sha256"] = state
        seen.add(e["path"])
        files.append(e)
    removed = []
    dumps = sorted((e for e in files if _is_dump_entry(e) and e["path"] not in protect),
                   key=lambda e: (parse_rfc3339(e["time"]), e["path"]))
    excess = sum(1 for e in files if _is_dump_entry(e)) - max_dumps
    for e in dumps[:max(0, excess)]:
        removed.append(e["path"])
    files = [e for e in files if e["path"] not in removed]
    started = old.get("started") if parse_rfc3339(old.get("started")) is not None else None
    old_notes = [n for n in (old.get("notes") or []) if isinstance(n, str)]
    manifest = {
        "inquest_capture": 1,
        "writer": WRITER,
        "runtime": "python",
        "pid": pid,
        "exe": exe,
        "started": started or rfc3339(started_ns),
        "finished": rfc3339(now_ns),
        "steps": old.get("steps") if isinstance(old.get("steps"), list) else [],
        "files": files,
        "notes": (old_notes + [n for n in notes if n not in old_notes])[-MAX_NOTES:],
    }
    return manifest, removed


def render_manifest(manifest):
    """JSON text: one top-level field per line, one step or file per line."""
    lines = []
    for key, value in manifest.items():
        if isinstance(value, list) and value:
            items = ",\n".join("    " + json.dumps(v, ensure_ascii=False) for v in value)
            lines.append("  %s: [\n%s\n  ]" % (json.dumps(key), items))
        else:
            lines.append("  %s: %s" % (json.dumps(key), json.dumps(value, ensure_ascii=False)))
    return "{\n" + ",\n".join(lines) + "\n}\n"


# ---------------------------------------------------------------------------------------------
# Reporting and small helpers.

def _report(message):
    """One line on stderr; never raises."""
    line = "inquest-dumps: " + " ".join(str(message).split()) + "\n"
    try:
        stream = sys.stderr
        if stream is None:
            raise OSError
        stream.write(line)
        stream.flush()
    except Exception:
        try:
            os.write(2, line.encode("utf-8", "replace"))
        except Exception:
            pass


def _describe(exc):
    if isinstance(exc, OSError) and exc.errno is not None:
        what = os.strerror(exc.errno)
        if exc.errno == errno.EFBIG:
            what += " (the file size limit, RLIMIT_FSIZE)"
        name = errno.errorcode.get(exc.errno, str(exc.errno))
        return "%s: %s" % (name, what)
    return "%s: %s" % (type(exc).__name__, exc)


def _unlink_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def _sha256_of(path):
    """(size, sha256) of the file at path read back from disk, or None when it is gone."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    h, size = hashlib.sha256(), 0
    with os.fdopen(fd, "rb") as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def _fsize_limit():
    try:
        soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    except (OSError, ValueError):
        return None
    return None if soft == resource.RLIM_INFINITY else soft


def _rss_bytes():
    with open("/proc/self/statm", "rb") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _in_main_thread():
    return threading.current_thread() is threading.main_thread()


# ---------------------------------------------------------------------------------------------
# The handler.

_active = None
_active_lock = threading.Lock()


class DumpHandler:
    """What install() returns. dump_now() writes dumps now; uninstall() undoes install()."""

    def __init__(self, folder, program, max_dumps, traced_limit, rss_limit, tracemalloc_frames,
                 check_interval, threads_signal, snapshot_signal, fatal, chain, rearm_ratio,
                 lock_timeout, start_tracemalloc):
        self.folder = os.path.abspath(folder)
        self.program = sanitize_program(program if program is not None else program_name())
        self.max_dumps = max_dumps
        self.traced_limit = traced_limit
        self.rss_limit = rss_limit
        self.tracemalloc_frames = tracemalloc_frames
        self.check_interval = check_interval
        self.rearm_ratio = rearm_ratio
        self.lock_timeout = lock_timeout
        self.chain = chain
        self.fatal_path = None
        self.pid = os.getpid()
        self.exe = os.path.realpath(sys.executable) if sys.executable else ""
        self._want_fatal = fatal
        self._want_tracemalloc = start_tracemalloc
        self._signals = {}          # signum -> trigger (the signal's name)
        self._trigger_kind = {}     # trigger -> kind of dump
        for sig, kind in ((threads_signal, "threads"), (snapshot_signal, "tracemalloc")):
            if sig is not None:
                trig = signal.Signals(sig).name
                self._signals[int(sig)] = trig
                self._trigger_kind[trig] = kind
        self._previous = {}         # signum -> handler replaced
        self._installed_signals = []
        self._closed = False
        self._notes = []
        self._started_tracemalloc = False
        self._faulthandler_before = False
        self._fatal_file = None
        self._unlisted = []         # entries of dumps written while the manifest could not be
        self._armed = {"watchdog-traced": True, "watchdog-rss": True}
        # Counts since install: dumps written, dumps that failed, signals that found the same
        # request already pending (coalesced).
        self.stats = {"written": 0, "failed": 0, "coalesced": 0}
        self._fresh_state()

    def _fresh_state(self):
        """The state a worker thread needs (again in a forked child)."""
        self._queue = queue.SimpleQueue()
        self._pending = {}
        self._dump_lock = threading.Lock()
        self._worker = None

    # -- install / uninstall -------------------------------------------------------------------

    def _install(self):
        self._installed_ns = time.time_ns()
        self._prepare_folder(report=True)
        if hasattr(signal, "SIGXFSZ") and _in_main_thread():
            # CPython ignores SIGXFSZ at start-up, so a write past RLIMIT_FSIZE fails with
            # EFBIG instead of killing the process; an embedding application may not.
            if signal.getsignal(signal.SIGXFSZ) == signal.SIG_DFL:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                self._notes.append("pid %d: SIGXFSZ was not ignored; install() ignores it so "
                                   "that a write past RLIMIT_FSIZE fails instead of killing the "
                                   "process" % self.pid)
        if self._want_tracemalloc and not tracemalloc.is_tracing():
            tracemalloc.start(self.tracemalloc_frames)
            self._started_tracemalloc = True
        if self._want_fatal:
            self._open_fatal_file()
        if self._signals:
            if _in_main_thread():
                for sig, trig in self._signals.items():
                    if faulthandler.unregister(sig):
                        self._notes.append("pid %d: faulthandler.register(%s) replaced by the "
                                           "dump handler" % (self.pid, signal.Signals(sig).name))
                    self._previous[sig] = signal.signal(sig, self._on_signal)
                    self._installed_signals.append(sig)
            else:
                _report("signal handlers not installed: install() ran outside the main thread "
                        "(dump_now() and the watchdog still work)")
        atexit.register(self._at_exit)
        self._start_worker()

    def _prepare_folder(self, report):
        """Creates the folder 0700 (its parents as usual) when missing; an existing folder is
        used as it is. Returns True when it can be written."""
        try:
            if not os.path.isdir(self.folder):
                parent = os.path.dirname(self.folder)
                if parent and not os.path.isdir(parent):
                    os.makedirs(parent, exist_ok=True)
                try:
                    os.mkdir(self.folder, 0o700)
                    os.chmod(self.folder, 0o700)
                except FileExistsError:
                    if not os.path.isdir(self.folder):
                        raise
            if not os.access(self.folder, os.W_OK | os.X_OK):
                raise PermissionError(errno.EACCES, "not writable")
            return True
        except OSError as e:
            if report:
                _report("dump folder %s cannot be used: %s" % (self.folder, _describe(e)))
            return False

    def _open_fatal_file(self):
        ns = time.time_ns()
        try:
            fd, name = self._create_exclusive("fatal", ns, temporary=False)
        except OSError as e:
            _report("no fatal-signal file in %s: %s" % (self.folder, _describe(e)))
            return
        # A shared lock for the process's lifetime: an empty fatal file nobody holds belongs
        # to a process that is gone, and the next handler in the folder removes it.
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            pass
        self._fatal_file = os.fdopen(fd, "w")
        self.fatal_path = os.path.join(self.folder, name)
        self._faulthandler_before = faulthandler.is_enabled()
        faulthandler.enable(file=self._fatal_file, all_threads=True)

    def _close_fatal_file(self):
        if self._fatal_file is None:
            return
        # faulthandler must let go of the file before it is closed (its descriptor could be
        # reused by another file).
        if self._faulthandler_before and sys.stderr is not None:
            try:
                faulthandler.enable(file=sys.stderr, all_threads=True)
            except Exception:
                faulthandler.disable()
        else:
            faulthandler.disable()
        try:
            empty = os.fstat(self._fatal_file.fileno()).st_size == 0
            self._fatal_file.close()
        except OSError:
            empty = False
        self._fatal_file = None
        if empty and self.fatal_path:
            _unlink_quietly(self.fatal_path)

    def uninstall(self):
        """Restores the signal handlers replaced (when ours are still in place), stops the worker
        and the watchdog, gives faulthandler back (to stderr when it was enabled before), removes
        the fatal-signal file when empty and stops tracemalloc when install() started it."""
        global _active
        if self._closed:
            return
        self._closed = True
        if _in_main_thread():
            for sig in self._installed_signals:
                if signal.getsignal(sig) == self._on_signal:
                    prev = self._previous.get(sig)
                    signal.signal(sig, prev if prev is not None else signal.SIG_DFL)
        elif self._installed_signals:
            _report("uninstall() outside the main thread: signal handlers left in place (they "
                    "now only chain to the previous handlers)")
        self._stop_worker(timeout=10.0)
        self._close_fatal_file()
        if self._started_tracemalloc and tracemalloc.is_tracing():
            tracemalloc.stop()
        try:
            atexit.unregister(self._at_exit)
        except Exception:
            pass
        with _active_lock:
            if _active is self:
                _active = None

    def _at_exit(self):
        self._stop_worker(timeout=2.0)
        self._close_fatal_file()

    def _after_fork_in_child(self):
        # Locks, the queue and the worker thread did not survive the fork; the parent's fatal
        # file is not the child's (a crash there would be written in the parent's name).
        self.pid = os.getpid()
        self._fresh_state()
        if self._fatal_file is not None:
            try:
                faulthandler.disable()
                self._fatal_file.close()   # the parent's lock stays (no LOCK_UN here)
            except OSError:
                pass
            self._fatal_file = None
            self.fatal_path = None
            self._open_fatal_file()
        self._start_worker()

    # -- the signal handler: schedules, nothing more -----------------------------------------

    def _on_signal(self, signum, frame):
        if not self._closed:
            trig = self._signals.get(signum)
            if trig is not None:
                if self._pending.get(trig):
                    self.stats["coalesced"] += 1
                else:
                    self._pending[trig] = True
                    self._queue.put(trig)   # SimpleQueue.put is reentrant
        prev = self._previous.get(signum)
        if self.chain and callable(prev):
            prev(signum, frame)

    # -- the worker ----------------------------------------------------------------------------

    def _start_worker(self):
        self._worker = threading.Thread(target=self._run, name="inquest-dumps", daemon=True)
        self._worker.start()

    def _stop_worker(self, timeout):
        w = self._worker
        if w is None or not w.is_alive() or w is threading.current_thread():
            return
        self._queue.put(_STOP)
        w.join(timeout)

    def _watching(self):
        return self.traced_limit is not None or self.rss_limit is not None

    def _run(self):
        try:
            with self._dump_lock:               # started, fatal files of earlier processes
                self._update_manifest([], None)
        except Exception as e:                  # never let the worker die
            _report("manifest not updated: %s" % _describe(e))
        next_check = time.monotonic()
        while True:
            try:
                if self._watching():
                    wait = max(0.0, next_check - time.monotonic())
                    try:
                        item = self._queue.get(timeout=wait)
                    except queue.Empty:
                        item = None
                else:
                    item = self._queue.get()
                requests, stop = [], item is _STOP
                if item is not None and not stop:
                    requests.append(item)
                while not stop:
                    try:
                        more = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if more is _STOP:
                        stop = True
                    elif more not in requests:
                        requests.append(more)
                if stop:
                    return
                for trig in requests:
                    self._pending[trig] = False
                    self._dump(self._trigger_kind.get(trig, "threads"), trig)
                if self._watching() and time.monotonic() >= next_check:
                    self._check_watchdog()
                    next_check = time.monotonic() + self.check_interval
            except Exception as e:
                _report("dump worker: %s" % _describe(e))
                time.sleep(0.1)

    def _check_watchdog(self):
        checks = []
        if self.traced_limit is not None and tracemalloc.is_tracing():
            checks.append(("watchdog-traced", tracemalloc.get_traced_memory()[0],
                           self.traced_limit))
        if self.rss_limit is not None:
            try:
                checks.append(("watchdog-rss", _rss_bytes(), self.rss_limit))
            except (OSError, ValueError, IndexError):
                pass
        for trig, value, limit in checks:
            if value >= limit and self._armed[trig]:
                self._armed[trig] = False
                self._dump("tracemalloc", trig)
            elif value < limit * self.rearm_ratio:
                self._armed[trig] = True

    # -- dumps -----------------------------------------------------------------------------------

    def dump_now(self, trigger="api", kinds=("threads", "tracemalloc")):
        """Writes a dump of each kind now, in the calling thread (one dump at a time with the
        worker), and returns the paths written. A tracemalloc snapshot needs tracemalloc to be
        tracing. Failures are reported on stderr and leave their kind out of the result."""
        written = []
        for kind in kinds:
            if kind not in ("threads", "tracemalloc"):
                raise ValueError("kind %r: 'threads' or 'tracemalloc'" % (kind,))
            path = self._dump(kind, trigger)
            if path:
                written.append(path)
        return written

    def _dump(self, kind, trigger):
        """One dump; returns its path or None (the failure reported)."""
        with self._dump_lock:
            ns = time.time_ns()
            try:
                self._prepare_folder(report=False)
                if kind == "threads":
                    data = self._threads_text()

                    def write(f):
                        f.write(data)
                else:
                    if not tracemalloc.is_tracing():
                        raise RuntimeError("tracemalloc is not tracing")
                    snapshot = tracemalloc.take_snapshot()

                    def write(f):
                        pickle.dump(snapshot, f, pickle.HIGHEST_PROTOCOL)   # Snapshot.dump
                name = self._write_new(kind, ns, write)
                del write
            except Exception as e:
                self.stats["failed"] += 1
                _report("%s dump (%s) not written in %s: %s"
                        % (kind, trigger, self.folder, _describe(e)))
                return None
            self.stats["written"] += 1
            entry = {"path": name, "size": None, "sha256": None, "kind": kind,
                     "time": rfc3339(ns), "trigger": trigger, "pid": self.pid,
                     "program": self.program}
            try:
                self._update_manifest([entry], name)
            except Exception as e:
                # Listed by the next update that works.
                self._unlisted.append(entry)
                _report("%s written but manifest.json not updated: %s" % (name, _describe(e)))
            return os.path.join(self.folder, name)

    def _threads_text(self):
        """faulthandler's dump of every thread, through an anonymous file (faulthandler writes
        to a descriptor and ignores write errors, so the real file is written from here)."""
        if hasattr(os, "memfd_create"):
            fd = os.memfd_create("inquest-dumps", getattr(os, "MFD_CLOEXEC", 1))
        else:
            import tempfile
            fd = os.dup(tempfile.TemporaryFile().fileno())
        try:
            faulthandler.dump_traceback(fd, all_threads=True)
            size = os.fstat(fd).st_size
            limit = _fsize_limit()
            if limit is not None and size >= limit:
                raise OSError(errno.EFBIG, os.strerror(errno.EFBIG))
            os.lseek(fd, 0, os.SEEK_SET)
            chunks = []
            while True:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)

    def _create_exclusive(self, kind, ns, temporary):
        """Creates the first free name for a dump (O_EXCL, 0600): the temporary file
        .{name}.tmp, or the file itself. Returns (fd, name)."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        for seq in range(1, 1000):
            name = dump_name(self.program, self.pid, ns, kind, seq)
            final = os.path.join(self.folder, name)
            if os.path.lexists(final):
                continue
            try:
                fd = os.open(os.path.join(self.folder, "." + name + ".tmp") if temporary
                             else final, flags, 0o600)
            except FileExistsError:
                continue
            os.fchmod(fd, 0o600)
            return fd, name
        raise OSError(errno.EEXIST, "no free name for a %s dump" % kind)

    def _write_new(self, kind, ns, write):
        """Writes .{name}.tmp, then gives it its name without replacing any file (a hard link
        and unlink: rename(2) would replace a file of the same name). Returns the name."""
        for _ in range(100):
            fd, name = self._create_exclusive(kind, ns, temporary=True)
            tmp = os.path.join(self.folder, "." + name + ".tmp")
            final = os.path.join(self.folder, name)
            try:
                with os.fdopen(fd, "wb") as f:
                    write(f)
                try:
                    os.link(tmp, final)
                except FileExistsError:
                    _unlink_quietly(tmp)
                    continue
                except OSError:
                    # A file system without hard links: rename, after checking the name is free
                    # (only this process writes names with its pid, one dump at a time).
                    if os.path.lexists(final):
                        _unlink_quietly(tmp)
                        continue
                    os.rename(tmp, final)
                else:
                    os.unlink(tmp)
                return name
            except BaseException:
                _unlink_quietly(tmp)
                raise
        raise OSError(errno.EEXIST, "no free name for a %s dump" % kind)

    # -- the manifest ----------------------------------------------------------------------------

    def _lock_folder(self):
        fd = os.open(os.path.join(self.folder, LOCK),
                     os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise OSError(errno.ETIMEDOUT, "%s held by another process for %.0f s"
                                  % (LOCK, self.lock_timeout))
                time.sleep(0.02)
            except OSError:
                os.close(fd)
                raise

    def _read_manifest(self):
        path = os.path.join(self.folder, MANIFEST)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        with os.fdopen(fd, "rb") as f:
            text = f.read(MAX_MANIFEST_BYTES + 1)
        try:
            doc = json.loads(text.decode("utf-8"))
            if isinstance(doc, dict) and isinstance(doc.get("inquest_capture"), int):
                return doc
        except ValueError:
            pass
        self._notes.append("pid %d: manifest.json at %s was not a manifest; rewritten"
                           % (self.pid, rfc3339(time.time_ns())))
        return None

    def _fatal_files_to_adopt(self, listed):
        """Entries for non-empty fatal files not listed yet (written by a process that crashed),
        timed by their modification time: the crash. Empty fatal files no process holds (their
        process is gone) are removed."""
        entries = []
        try:
            names = os.listdir(self.folder)
        except OSError:
            return entries
        for name in names:
            parts = parse_name(name)
            if not parts or parts["kind"] != "fatal" or name in listed:
                continue
            path = os.path.join(self.folder, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if st.st_size > 0:
                entries.append({"path": name, "size": None, "sha256": None, "kind": "fatal",
                                "time": rfc3339(st.st_mtime_ns), "trigger": "fatal",
                                "pid": parts["pid"], "program": parts["program"]})
            elif path != self.fatal_path:
                self._remove_if_abandoned(path)
        return entries

    @staticmethod
    def _remove_if_abandoned(path):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(fd).st_size == 0:
                os.unlink(path)
        except OSError:
            pass                    # held: its process lives
        finally:
            os.close(fd)

    def _update_manifest(self, new_entries, protect):
        if not self._prepare_folder(report=False):
            raise OSError(errno.EACCES, "dump folder %s cannot be used" % self.folder)
        lock_fd = self._lock_folder()
        try:
            old = self._read_manifest()
            listed = {e.get("path") for e in (old or {}).get("files") or []
                      if isinstance(e, dict)}
            adopted = self._fatal_files_to_adopt(listed)

            def state(path):
                return _sha256_of(os.path.join(self.folder, path))

            notes = list(self._notes)
            new_entries = list(new_entries) + self._unlisted
            manifest, removed = merge_manifest(
                old, state, new_entries + adopted, self.max_dumps, time.time_ns(),
                self._installed_ns, self.pid, self.exe, notes,
                protect=(protect,) if protect else ())
            kept_back = []
            for path in removed:
                try:
                    os.unlink(os.path.join(self.folder, path))
                except FileNotFoundError:
                    pass
                except OSError as e:
                    _report("%s not removed by the cap: %s" % (path, _describe(e)))
                    kept_back.append(path)
            if kept_back:
                manifest, _ = merge_manifest(old, state, new_entries + adopted,
                                             len(manifest["files"]) + len(kept_back),
                                             time.time_ns(), self._installed_ns, self.pid,
                                             self.exe, notes)
            self._write_manifest(render_manifest(manifest).encode("utf-8"))
            self._unlisted = []
            del self._notes[:len(notes)]
        finally:
            try:
                fcntl.flock(lock_fd, fcntl.LOCK_UN)
            finally:
                os.close(lock_fd)

    def _write_manifest(self, data):
        tmp = os.path.join(self.folder, "." + MANIFEST + ".tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            fd = os.open(tmp, flags, 0o600)
        except FileExistsError:          # left by a process killed while writing (we hold the
            _unlink_quietly(tmp)         # lock, so no one is writing it now)
            fd = os.open(tmp, flags, 0o600)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.rename(tmp, os.path.join(self.folder, MANIFEST))
        except BaseException:
            _unlink_quietly(tmp)
            raise


def _after_fork_in_child():
    h = _active
    if h is not None and not h._closed:
        try:
            h._after_fork_in_child()
        except Exception as e:
            _report("dump handler not restarted in the forked child: %s" % _describe(e))


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def install(dir, program=None, max_dumps=20, traced_limit=None, rss_limit=None,
            tracemalloc_frames=25, check_interval=1.0, threads_signal=signal.SIGUSR1,
            snapshot_signal=signal.SIGUSR2, fatal=True, chain=True, rearm_ratio=0.9,
            lock_timeout=10.0, start_tracemalloc=True):
    """Installs the dump handler for this process and returns it (a DumpHandler).

    dir: the dump folder (created 0700 with its parents when missing; an existing one is used
    as it is). program: the name in file names (default: the script's name). max_dumps: how
    many dump files the folder's manifest keeps (the oldest are removed). traced_limit,
    rss_limit: bytes of traced memory (tracemalloc) and of resident set (/proc/self/statm) at
    which the watchdog takes a snapshot, once per crossing; it re-arms when the value falls
    below rearm_ratio times the limit; checked every check_interval seconds. tracemalloc is
    started with tracemalloc_frames frames when it is not tracing (start_tracemalloc=False
    leaves it alone). threads_signal, snapshot_signal: the signals for a thread dump and a
    snapshot (None: none). fatal: faulthandler.enable() into a fatal-signal file. chain: call
    the Python handler a signal had before (not SIG_DFL or SIG_IGN). lock_timeout: how long a
    dump waits for another process's manifest update before leaving the manifest alone.

    Call it from the main thread (signal handlers can be set only there). A second install()
    while a handler is installed raises RuntimeError; a folder that cannot be written is
    reported on stderr, and every dump tries again.
    """
    global _active
    if isinstance(max_dumps, bool) or not isinstance(max_dumps, int) or max_dumps < 1:
        raise ValueError("max_dumps must be a positive integer")
    for name, value in (("traced_limit", traced_limit), ("rss_limit", rss_limit)):
        if value is not None and (not isinstance(value, int) or value <= 0):
            raise ValueError("%s must be a positive number of bytes or None" % name)
    if not (isinstance(tracemalloc_frames, int) and 1 <= tracemalloc_frames):
        raise ValueError("tracemalloc_frames must be a positive integer")
    if not check_interval > 0 or not 0 < rearm_ratio <= 1 or not lock_timeout >= 0:
        raise ValueError("check_interval and lock_timeout must be positive, "
                         "0 < rearm_ratio <= 1")
    if threads_signal is not None and threads_signal == snapshot_signal:
        raise ValueError("threads_signal and snapshot_signal must differ")
    with _active_lock:
        if _active is not None:
            raise RuntimeError("inquest_dumps is already installed (in %s); uninstall() it first"
                               % _active.folder)
        h = DumpHandler(dir, program, max_dumps, traced_limit, rss_limit, tracemalloc_frames,
                        check_interval, threads_signal, snapshot_signal, fatal, chain,
                        rearm_ratio, lock_timeout, start_tracemalloc)
        _active = h
    try:
        h._install()
    except BaseException:
        with _active_lock:
            _active = None
        raise
    return h
