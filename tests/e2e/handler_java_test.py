#!/usr/bin/env python3
"""The Java dump-capture agent (handlers/java) in real JVMs: built with handlers/java/build.sh,
loaded with -javaagent into a small service holding a monitor deadlock between two threads of
its "tellers" group.

- SIGUSR2, the trigger file and the JMX operation (through a tiny attach-API client) each write
  a thread dump (and with heap=true a heap dump) named {program}-{pid}-{time}-{kind}.{ext},
  0600, in a folder created 0700, listed in manifest.json with the right size, sha256, kind,
  time and trigger; `inquest dump` finds the deadlock, `inquest heap` reads the heap dump;
- out of memory: the JVM's own heap dump is listed while the service runs on (SerialGC), or,
  after -XX:+ExitOnOutOfMemoryError, by the next agent started in the folder; `inquest heap`
  names the growing map;
- 100 signals in a second: the JVM lives, the requests are coalesced, max= is kept (the oldest
  removed) and the manifest matches the folder;
- a restart in the same folder keeps the earlier dumps and lists both pids;
- a full disk (RLIMIT_FSIZE: writes fail with EFBIG) and an unwritable folder: one
  "inquest-dumps:" line on stderr, the JVM runs on, no temporary file left;
- `inquest analyze DIR` takes the dumps as its inputs.

    handler_java_test.py PATH/TO/inquest
Exit 77 (skipped) when java, javac or jar is missing.
"""
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Checks, require  # noqa: E402

INQUEST = os.path.abspath(sys.argv[1])
checks = Checks()
check = checks.check

NAME = re.compile(r"^(.+)-(\d+)-(\d{8}T\d{6}\.\d{3}Z)-(threads|heapdump|oom-heapdump)(-\d+)?"
                  r"\.(txt|hprof)$")
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$")
EXT = {"threads": "txt", "heapdump": "hprof", "oom-heapdump": "hprof"}

SERVICE = r"""
import java.util.HashMap;
import java.util.Map;

public class Quotes {
  static final Object LEDGER = new Object(), BOOK = new Object();
  static final Map<Long, byte[]> CACHE = new HashMap<>();  // grows until the heap runs out

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "serve";
    if (mode.startsWith("oom")) {
      System.out.println("ready");
      System.out.flush();
      try {
        for (long n = 0;; n++) CACHE.put(n, new byte[1024]);
      } catch (OutOfMemoryError e) {
        if (mode.equals("oom-exit")) throw e;
        while (true) Thread.sleep(1000);  // serves on with a full heap
      }
    }
    ThreadGroup tellers = new ThreadGroup("tellers");
    new Thread(tellers, () -> { synchronized (LEDGER) { pause(); synchronized (BOOK) { } } },
        "teller-1").start();
    new Thread(tellers, () -> { synchronized (BOOK) { pause(); synchronized (LEDGER) { } } },
        "teller-2").start();
    pause();
    pause();
    System.out.println("ready");
    System.out.flush();
    while (true) Thread.sleep(1000);
  }

  static void pause() {
    try { Thread.sleep(300); } catch (InterruptedException e) { }
  }
}
"""

# Calls dev.inquest:type=Dumps dump(ARG) in the JVM PID through its local JMX connector.
JMX_CLIENT = r"""
import com.sun.tools.attach.VirtualMachine;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

public class JmxDump {
  public static void main(String[] args) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    String url = vm.startLocalManagementAgent();
    vm.detach();
    try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
      MBeanServerConnection s = c.getMBeanServerConnection();
      ObjectName name = new ObjectName("dev.inquest:type=Dumps");
      if (args[1].equals("stats")) {
        System.out.println(s.getAttribute(name, "DumpsTaken") + " "
            + s.getAttribute(name, "RequestsCoalesced"));
        return;
      }
      Object r = s.invoke(new ObjectName("dev.inquest:type=Dumps"), "dump",
          new Object[] {args[1]}, new String[] {String.class.getName()});
      System.out.println(r);
    }
  }
}
"""


def wait_for(pred, timeout=30.0, step=0.1):
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


class Service:
    def __init__(self, work, agent, classes, opts, mode="serve", flags=(), fsize=None):
        self.stderr_path = os.path.join(work, f"stderr-{time.time_ns()}.txt")
        self.stdout_path = self.stderr_path.replace("stderr", "stdout")

        def limits():
            if fsize is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.p = subprocess.Popen(
                ["java", "-XX:-UsePerfData", *flags, f"-javaagent:{agent}={opts}", "-cp", classes,
                 "Quotes", mode], stdout=out, stderr=err, preexec_fn=limits)
        self.pid = self.p.pid
        self.ready = bool(wait_for(lambda: "ready" in self.stdout() or self.p.poll() is not None)
                          and self.p.poll() is None)

    def stdout(self):
        with open(self.stdout_path, errors="replace") as f:
            return f.read()

    def stderr(self):
        with open(self.stderr_path, errors="replace") as f:
            return f.read()

    def alive(self):
        return self.p.poll() is None

    def stop(self):
        if self.alive():
            self.p.terminate()
            try:
                self.p.wait(20)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def manifest(folder):
    try:
        with open(os.path.join(folder, "manifest.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def entries(folder, **want):
    m = manifest(folder) or {"files": []}
    return [e for e in m["files"] if all(e.get(k) == v for k, v in want.items())]


def temp_files(folder):
    return [n for n in os.listdir(folder) if n.endswith(".tmp")] if os.path.isdir(folder) else []


def name_time(t):
    """2026-12-08T00:30:15.123456789Z → 20261208T003015.123Z (a file name's time)."""
    return f"{t[0:4]}{t[5:7]}{t[8:10]}T{t[11:13]}{t[14:16]}{t[17:19]}.{t[20:23]}Z"


def check_manifest(folder, what):
    """Every listed file exists with its size, sha256 and mode; names, kinds, times, triggers
    as the contract says; every dump in the folder is listed."""
    m = manifest(folder)
    if not check(m is not None, f"{what}: manifest.json is JSON"):
        return None
    check(m.get("inquest_capture") == 1 and m.get("writer") == "inquest-dumps-java 1"
          and m.get("runtime") == "jvm" and m.get("steps") == [],
          f"{what}: manifest header (inquest_capture 1, writer, runtime jvm, steps [])")
    check(TIME.match(m.get("started", "")) and TIME.match(m.get("finished", ""))
          and m["started"] <= m["finished"],
          f"{what}: started/finished are RFC 3339 with 9 digits ({m.get('started')}, "
          f"{m.get('finished')})")
    check(isinstance(m.get("pid"), int) and os.path.isabs(m.get("exe", "")),
          f"{what}: pid and exe of the writer ({m.get('pid')}, {m.get('exe')})")
    bad = []
    for e in m["files"]:
        path = os.path.join(folder, e["path"])
        nm = NAME.match(e["path"])
        if not os.path.isfile(path):
            bad.append(f"{e['path']} missing")
            continue
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if (e["size"] != os.path.getsize(path) or e["sha256"] != digest or mode != 0o600
                or not nm or nm.group(4) != e["kind"] or EXT[e["kind"]] != nm.group(6)
                or int(nm.group(2)) != e["pid"] or nm.group(1) != e["program"]
                or not TIME.match(e["time"]) or name_time(e["time"]) != nm.group(3)
                or e["trigger"] not in ("SIGUSR2", "trigger-file", "jmx", "oom")):
            bad.append(f"{e['path']}: {e} (mode {mode:o})")
    check(not bad, f"{what}: every listed file exists with its size, sha256, mode 0600, a "
                   f"contract name, kind, time and trigger ({bad[:2]})")
    listed = {e["path"] for e in m["files"]}
    dumps = {n for n in os.listdir(folder) if NAME.match(n)}
    check(dumps == listed, f"{what}: the manifest lists exactly the dumps in the folder "
                           f"(unlisted {sorted(dumps - listed)}, gone {sorted(listed - dumps)})")
    return m


def inquest(*args, cwd=None):
    r = subprocess.run([INQUEST, *args, "--format", "json"], capture_output=True, text=True,
                       timeout=300, cwd=cwd, env=dict(os.environ, NO_COLOR="1"))
    try:
        return r.returncode, json.loads(r.stdout)
    except ValueError:
        return r.returncode, {"stderr": r.stderr[-300:]}


def main():
    require("java", "javac", "jar")
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    work = tempfile.mkdtemp(prefix="inquest-handler-java-")
    services = []
    try:
        r = subprocess.run([os.path.join(here, "handlers", "java", "build.sh"),
                            os.path.join(work, "agent")], capture_output=True, text=True)
        if r.returncode == 77:
            print("SKIP: " + r.stderr)
            sys.exit(77)
        agent = os.path.join(work, "agent", "inquest-agent.jar")
        check(r.returncode == 0 and os.path.isfile(agent), f"build.sh builds the agent "
                                                             f"({r.stderr[-300:]})")
        classes = os.path.join(work, "classes")
        os.makedirs(classes)
        for name, text in (("Quotes.java", SERVICE), ("JmxDump.java", JMX_CLIENT)):
            with open(os.path.join(work, name), "w") as f:
                f.write(text)
        subprocess.run(["javac", "-d", classes, os.path.join(work, "Quotes.java"),
                        os.path.join(work, "JmxDump.java")], check=True)

        def start(*args, **kw):
            s = Service(work, agent, classes, *args, **kw)
            services.append(s)
            return s

        # --- the signal, the trigger file, JMX ---------------------------------------------
        dumps = os.path.join(work, "var", "dumps")  # missing: the agent creates it
        svc = start(f"dir={dumps},program=quotes,heap=true")
        check(svc.ready, f"the service starts with the agent ({svc.stderr()[-300:]})")
        check(stat.S_IMODE(os.stat(dumps).st_mode) == 0o700, "the folder is created 0700")
        os.kill(svc.pid, signal.SIGUSR2)
        got = wait_for(lambda: len(entries(dumps, trigger="SIGUSR2")) >= 2, 60)
        check(got, f"SIGUSR2: a thread dump and a heap dump listed "
                   f"({entries(dumps)}; {svc.stderr()[-300:]})")
        m = check_manifest(dumps, "after SIGUSR2")
        threads = entries(dumps, trigger="SIGUSR2", kind="threads")
        heaps = entries(dumps, trigger="SIGUSR2", kind="heapdump")
        check(len(threads) == 1 and len(heaps) == 1 and threads[0]["pid"] == svc.pid
              and threads[0]["program"] == "quotes" and m and m["pid"] == svc.pid,
              "SIGUSR2: one threads and one heapdump file of this pid, program quotes")
        if threads:
            code, doc = inquest("dump", os.path.join(dumps, threads[0]["path"]))
            verdicts = [v for d in doc.get("dumps", []) for v in d.get("verdicts", [])]
            dead = [v for v in verdicts if v["kind"] == "deadlock"]
            check(dead and "teller-1" in dead[0]["title"] and "teller-2" in dead[0]["title"],
                  f"inquest dump: the deadlock of teller-1 and teller-2 "
                  f"({[v['title'] for v in verdicts]})")
            with open(os.path.join(dumps, threads[0]["path"])) as f:
                text = f.read()
            check("Full thread dump" in text and "Locked ownable synchronizers" in text,
                  "the thread dump is Thread.print -l's text (locked synchronizers listed)")
        if heaps:
            code, doc = inquest("heap", os.path.join(dumps, heaps[0]["path"]))
            names = [c["class"] for c in doc.get("histogram", [])]
            check(code == 0 and "java.lang.String" in names,
                  f"inquest heap reads the heap dump ({code}, {len(names)} classes)")

        open(os.path.join(dumps, ".dump-request"), "w").close()
        check(wait_for(lambda: entries(dumps, trigger="trigger-file"), 20),
              "the trigger file: a thread dump with trigger trigger-file")
        check(not os.path.exists(os.path.join(dumps, ".dump-request")),
              "the trigger file is removed once answered")
        r = subprocess.run(["java", "-cp", classes, "JmxDump", str(svc.pid), "threads"],
                           capture_output=True, text=True, timeout=120)
        jmx = entries(dumps, trigger="jmx")
        check(r.returncode == 0 and len(jmx) == 1 and jmx[0]["path"] in r.stdout,
              f"JMX dev.inquest:type=Dumps dump(\"threads\") writes and names the thread dump "
              f"({r.stdout.strip()[:200]} {r.stderr.strip()[-200:]})")
        check_manifest(dumps, "after the trigger file and JMX")
        check(svc.alive() and not temp_files(dumps), "alive, no temporary file left")

        # --- restart in the same folder ------------------------------------------------------
        first = manifest(dumps)
        svc.stop()
        svc2 = start(f"dir={dumps},program=quotes")
        check(svc2.ready, "the service restarts in the same folder")
        os.kill(svc2.pid, signal.SIGUSR2)
        check(wait_for(lambda: entries(dumps, pid=svc2.pid), 30), "the restarted JVM's dump")
        m = check_manifest(dumps, "after the restart")
        if m and first:
            pids = {e["pid"] for e in m["files"]}
            check(pids == {svc.pid, svc2.pid} and m["pid"] == svc2.pid,
                  f"the manifest lists both pids ({pids}), the latest writer's on top")
            check({e["path"] for e in first["files"]} <= {e["path"] for e in m["files"]},
                  "the earlier dumps are kept")
            check(m["started"] == first["started"], "started is the first agent's")
        svc2.stop()

        # --- analyze ---------------------------------------------------------------------
        report = os.path.join(work, "report")
        r = subprocess.run([INQUEST, "analyze", dumps, "--out", report], capture_output=True,
                           text=True, timeout=600)
        inputs = []
        if os.path.exists(os.path.join(report, "findings.json")):
            with open(os.path.join(report, "findings.json")) as f:
                inputs = json.load(f).get("inputs", [])
        read = {i["file"]: i["taken_for"] for i in inputs}
        listed = [e["path"] for e in (manifest(dumps) or {"files": []})["files"]]
        check(r.returncode in (0, 1) and listed and all(p in read for p in listed),
              f"inquest analyze reads every listed dump ({read}; {r.stderr[-200:]})")
        check(all(read.get(e["path"]) == ("heap dump" if e["kind"].endswith("heapdump")
                                          else "dump")
                  for e in (manifest(dumps) or {"files": []})["files"]),
              "analyze takes the .txt files for thread dumps and the .hprof files for heap dumps")

        # --- a signal storm, max=3 -------------------------------------------------------
        storm = os.path.join(work, "storm")
        svc = start(f"dir={storm},program=quotes,max=3")
        check(svc.ready, "the storm service starts")
        t0 = time.time()
        for _ in range(100):
            os.kill(svc.pid, signal.SIGUSR2)
            time.sleep(0.009)
        spent = time.time() - t0
        time.sleep(3)
        n = len(entries(storm))
        check(svc.alive(), f"100 SIGUSR2 in {spent:.2f}s: the JVM is alive")
        r = subprocess.run(["java", "-cp", classes, "JmxDump", str(svc.pid), "stats"],
                           capture_output=True, text=True, timeout=120)
        stats = r.stdout.split()
        check(len(stats) == 2 and 1 <= int(stats[0]) <= 10,
              f"the storm's requests were coalesced: {stats[0] if stats else '?'} dumps taken, "
              f"{stats[1] if len(stats) > 1 else '?'} requests answered by a dump already "
              f"pending (the kernel merges pending signals too) ({r.stderr[-200:]})")
        check(1 <= n <= 3, f"the storm is coalesced and max=3 kept ({n} dumps listed)")
        first_files = sorted(e["path"] for e in entries(storm))
        for _ in range(4):  # four more dumps, apart: the oldest go
            os.kill(svc.pid, signal.SIGUSR2)
            time.sleep(1.2)
        wait_for(lambda: not temp_files(storm), 10)
        m = check_manifest(storm, "after the storm")
        now = sorted(e["path"] for e in entries(storm))
        check(len(now) == 3 and first_files and first_files[0] not in now
              and not os.path.exists(os.path.join(storm, first_files[0])),
              f"max=3: three dumps, the oldest removed from the folder and the manifest ({now})")
        open(os.path.join(storm, ".dump-request"), "w").close()
        check(wait_for(lambda: entries(storm, trigger="trigger-file"), 20) and svc.alive(),
              "after the storm the agent still answers (no deadlock)")
        svc.stop()

        # --- a full disk: every write past 4 KiB fails with EFBIG ---------------------------
        full = os.path.join(work, "full")
        svc = start(f"dir={full},program=quotes,heap=true", fsize=4096)
        check(svc.ready, "the service starts with RLIMIT_FSIZE 4 KiB")
        os.kill(svc.pid, signal.SIGUSR2)
        wait_for(lambda: "could not write the heap dump" in svc.stderr(), 30)
        err = svc.stderr()
        check(re.search(r"^inquest-dumps: could not write the thread dump .*File too large",
                        err, re.M) is not None,
              f"full disk: reported on stderr, one inquest-dumps: line ({err[-400:]})")
        check(svc.alive() and not temp_files(full) and not entries(full),
              f"full disk: the JVM runs on, nothing listed, no temporary file left "
              f"({os.listdir(full)})")
        os.kill(svc.pid, signal.SIGUSR2)  # the next dump is attempted as usual
        check(wait_for(lambda: svc.stderr().count("could not write the thread dump") >= 2, 20),
              "full disk: the next dump is attempted and reported again")
        svc.stop()

        # --- an unwritable folder --------------------------------------------------------
        ro = os.path.join(work, "readonly")
        svc = start(f"dir={ro},program=quotes")
        check(svc.ready, "the service starts")
        if os.geteuid() == 0:  # root writes into a 0500 folder: put a file in its place
            os.rename(ro, ro + ".moved")
            open(ro, "w").close()
            how = "the folder replaced by a file"
        else:
            os.chmod(ro, 0o500)
            how = "chmod 0500"
        os.kill(svc.pid, signal.SIGUSR2)
        check(wait_for(lambda: "inquest-dumps:" in svc.stderr(), 20),
              f"unwritable folder ({how}): reported on stderr ({svc.stderr()[-300:]})")
        check(svc.alive(), "unwritable folder: the JVM runs on")
        if os.path.isdir(ro):
            check(not temp_files(ro), "no temporary file left")
            os.chmod(ro, 0o700)
        else:
            check(not temp_files(ro + ".moved"), "no temporary file left")
        svc.stop()

        # --- out of memory, the service runs on ----------------------------------------------
        oom = os.path.join(work, "oom")
        svc = start(f"dir={oom},program=quotes", mode="oom",
                    flags=("-Xmx32m", "-XX:+UseSerialGC"))
        got = wait_for(lambda: entries(oom, kind="oom-heapdump"), 60)
        check(got and got[0]["trigger"] == "oom" and got[0]["pid"] == svc.pid,
              f"OutOfMemoryError: the JVM's heap dump is listed while the service runs on "
              f"({entries(oom)}; {svc.stderr()[-300:]})")
        check_manifest(oom, "after OutOfMemoryError")
        if got:
            code, doc = inquest("heap", os.path.join(oom, got[0]["path"]))
            s = (doc.get("suspects") or [{}])[0]
            path = " → ".join(f"{p['via']}: {p['object']['class']}" for p in s.get("path", []))
            check("static CACHE" in path and "class Quotes" in path and s.get("share", 0) > 0.8,
                  f"inquest heap: the growing map Quotes.CACHE is the leak suspect ({path}, "
                  f"{s.get('share')})")
        svc.stop()

        # --- out of memory with ExitOnOutOfMemoryError: listed by the next start ------------
        oom2 = os.path.join(work, "oom-exit")
        svc = start(f"dir={oom2},program=quotes", mode="oom-exit",
                    flags=("-Xmx32m", "-XX:+ExitOnOutOfMemoryError"))
        try:
            svc.p.wait(60)
        except subprocess.TimeoutExpired:
            pass
        check(svc.p.returncode == 3, f"-XX:+ExitOnOutOfMemoryError ends the JVM (exit "
                                     f"{svc.p.returncode})")
        waiting = [n for n in os.listdir(oom2) if n.endswith("-oom-heapdump.hprof.tmp")]
        check(len(waiting) == 1 and not entries(oom2),
              f"the JVM wrote its dump under HeapDumpPath, not yet listed ({os.listdir(oom2)})")
        later = start(f"dir={oom2},program=quotes")
        got = entries(oom2, kind="oom-heapdump")
        check(later.ready and got and got[0]["pid"] == svc.pid and got[0]["trigger"] == "oom",
              f"the next agent started in the folder lists the dump of pid {svc.pid} ({got})")
        m = check_manifest(oom2, "after the restart that listed the OOM dump")
        check(m and any(str(svc.pid) in n for n in m.get("notes", [])),
              "a note says which start listed it")
        check(not temp_files(oom2), "no temporary file left")
        later.stop()
    finally:
        for s in services:
            s.stop()
        shutil.rmtree(work, ignore_errors=True)
    checks.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
