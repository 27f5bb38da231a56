package dev.inquest.dumps;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * The dump-capture agent: {@code java -javaagent:inquest-agent.jar=dir=/var/dumps ... -jar
 * app.jar}. It makes the JVM write its heap dump on OutOfMemoryError into the folder and lists
 * it in the folder's manifest, and on a signal (SIGUSR2 by default), on a trigger file or
 * through JMX (dev.inquest:type=Dumps) writes a thread dump, and with heap=true a heap dump.
 *
 * <p>Nothing here throws into the host: every failure is one line on stderr starting
 * "inquest-dumps:" and the next dump is attempted as usual. Dumps are taken by one daemon
 * thread, one at a time; requests that arrive while one is pending or being taken are answered
 * by the next dump (coalesced).
 */
public final class Agent {
  private static Agent instance;

  private final Options opts;
  private final DumpFolder folder;
  private final Object lock = new Object();
  private boolean pending;
  private String pendingTrigger;
  private boolean pendingHeap;
  private long requested;  // requests so far
  private long answered;  // requests the last finished dump answered
  private String lastResult = "";
  private long taken;
  private long coalesced;
  private long lastStart;  // System.nanoTime() when the last dump began; 0: none yet
  private String signalName;
  private FileTime undeletableTrigger;
  private volatile Thread worker;
  // Released when the JVM has run out of heap, so that listing its dump does not fail for want
  // of the few objects it takes (reserve=KiB; it shows in heap dumps as a byte[] of the Agent).
  private volatile byte[] reserve;

  private Agent(Options opts) {
    this.opts = opts;
    this.folder = new DumpFolder(opts.dir, opts.program, opts.max);
    this.reserve = opts.oom ? allocateReserve(opts.reserveKiB) : null;
  }

  /**
   * The reserve: with G1 one region's worth (a humongous array has regions of its own, so
   * freeing it gives eden a whole free region back; a smaller array freed inside an old region
   * gives G1 nothing to allocate from), else 128 KiB.
   */
  private static byte[] allocateReserve(int kib) {
    if (kib == 0) return null;
    long bytes = kib > 0 ? (long) kib << 10 : 128 << 10;
    if (kib < 0) {
      try {
        HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(
            HotSpotDiagnosticMXBean.class);
        if (hs.getVMOption("UseG1GC").getValue().equals("true")) {
          bytes = Long.parseLong(hs.getVMOption("G1HeapRegionSize").getValue()) - 1024;
        }
      } catch (RuntimeException | LinkageError ignored) {
        // not HotSpot: the default
      }
    }
    try {
      return new byte[(int) Math.min(bytes, 64L << 20)];
    } catch (OutOfMemoryError x) {
      return null;
    }
  }

  public static void premain(String args, Instrumentation inst) {
    start(args);
  }

  public static void premain(String args) {
    start(args);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args);
  }

  public static void agentmain(String args) {
    start(args);
  }

  static void start(String args) {
    try {
      synchronized (Agent.class) {
        if (instance != null) {
          report("already installed (dir=" + instance.opts.dir + "); " + args + " ignored");
          return;
        }
        Agent a = new Agent(Options.parse(args));
        a.install();
        instance = a;
      }
    } catch (Throwable t) {
      report("not installed: " + t.getMessage());
    }
  }

  /** One line on stderr; never throws. */
  static void report(String message) {
    try {
      System.err.println("inquest-dumps: " + message.replace('\n', ' '));
    } catch (Throwable ignored) {
      // nowhere to say it
    }
  }

  private void install() {
    DumpFolder.warmUp();
    try {
      folder.ensure();
    } catch (IOException | RuntimeException x) {
      report("cannot create the dump folder " + opts.dir + ": " + x);
    }
    String unwritable = folder.probe();
    if (unwritable != null) {
      report("the dump folder " + opts.dir + " is not writable (" + unwritable
          + "); dumps will fail until it is");
    } else {
      folder.removeStaleTemps();
      List<String> notes = new ArrayList<>();
      List<DumpFolder.Done> earlier = folder.oomDumps(true, notes);
      try {
        folder.commit(earlier, notes);
      } catch (IOException | RuntimeException x) {
        report("could not update " + opts.dir.resolve(DumpFolder.MANIFEST) + ": " + x);
      }
    }
    if (opts.oom) {
      try {
        HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(
            HotSpotDiagnosticMXBean.class);
        hs.setVMOption("HeapDumpPath", folder.oomTemp().toString());
        hs.setVMOption("HeapDumpOnOutOfMemoryError", "true");
      } catch (RuntimeException | LinkageError x) {
        report("could not set HeapDumpOnOutOfMemoryError and HeapDumpPath: " + x);
      }
    }
    if (!opts.signal.equalsIgnoreCase("none")) {
      String bare = opts.signal.toUpperCase(Locale.ROOT);
      String name = bare.startsWith("SIG") ? bare : "SIG" + bare;
      try {
        SignalTrigger.install(name, () -> request(name, opts.heap));
        signalName = name;
      } catch (IllegalArgumentException | LinkageError x) {
        report("no dumps on signal " + opts.signal + " (" + x.getMessage() + "); use "
            + (opts.pollEnabled ? "the trigger file " + opts.poll + " or " : "")
            + "JMX dev.inquest:type=Dumps");
      }
    }
    Thread t = new Thread(this::work, "inquest-dumps");
    t.setDaemon(true);
    worker = t;
    t.start();
    Thread hook = new Thread(this::atExit, "inquest-dumps-exit");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Asks for a dump; returns the request's number. Cheap: the signal handler calls it. */
  long request(String trigger, boolean heap) {
    synchronized (lock) {
      if (pending) {
        coalesced++;
      } else {
        pending = true;
        pendingTrigger = trigger;
      }
      pendingHeap |= heap;
      requested++;
      lock.notifyAll();
      return requested;
    }
  }

  /** For JMX: asks for a dump and waits until one that answers it has been taken. */
  String requestAndWait(String what) {
    boolean heap = what == null || what.isEmpty() ? opts.heap : what.equalsIgnoreCase("heap");
    if (what != null && !what.isEmpty() && !what.equalsIgnoreCase("heap")
        && !what.equalsIgnoreCase("threads")) {
      return "unknown dump \"" + what + "\": threads, heap or empty";
    }
    long n = request("jmx", heap);
    long deadline = System.nanoTime() + 600_000_000_000L;
    synchronized (lock) {
      while (answered < n) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) return "timed out waiting for the dump";
        try {
          lock.wait(left);
        } catch (InterruptedException x) {
          Thread.currentThread().interrupt();
          return "interrupted";
        }
      }
      return lastResult;
    }
  }

  private void work() {
    boolean registered = !opts.jmx;
    while (true) {
      try {
        if (opts.oom && Files.exists(folder.oomTemp(), LinkOption.NOFOLLOW_LINKS)) {
          listOomDump(false);  // first: the heap may be full, the reserve is for this
        }
        if (!registered) registered = registerMBean();
        String trigger = null;
        boolean heap = false;
        long upTo = 0;
        synchronized (lock) {
          if (!pending) lock.wait(opts.intervalMs);
          // Requests within `gap` of the last dump's start wait for it to pass, and merge.
          long wait = lastStart + opts.gapMs * 1_000_000L - System.nanoTime();
          if (pending && lastStart != 0 && wait > 0) {
            lock.wait(Math.max(1, wait / 1_000_000));
            continue;
          }
          if (pending) {  // from here on, new requests wait for the next dump
            trigger = pendingTrigger;
            heap = pendingHeap;
            upTo = requested;
            pending = false;
            pendingHeap = false;
          }
        }
        if (trigger != null) {
          lastStart = System.nanoTime();
          String result = round(trigger, heap);
          synchronized (lock) {
            answered = upTo;
            lastResult = result;
            taken++;
            lock.notifyAll();
          }
        } else {
          pollTriggerFile();
        }
      } catch (InterruptedException x) {
        return;
      } catch (Throwable t) {  // an OutOfMemoryError here too: the next round tries again
        if (t instanceof OutOfMemoryError) reserve = null;  // allocates nothing
        try {
          report("dump worker: " + t);
        } catch (Throwable ignored) {
          // out of memory even for that
        }
        try {
          Thread.sleep(opts.intervalMs);
        } catch (InterruptedException x) {
          return;
        } catch (Throwable ignored) {
          // go on
        }
      }
    }
  }

  /**
   * The trigger file, removed when seen: a dump is requested when it was there (with a heap
   * dump when it holds the word "heap"). Returns whether it was.
   */
  private boolean pollTriggerFile() {
    if (!opts.pollEnabled) return false;
    Path p = opts.poll;
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      undeletableTrigger = null;
      return false;
    }
    boolean triggerWantsHeap = false;
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      byte[] head = in.readNBytes(256);
      triggerWantsHeap = new String(head, StandardCharsets.UTF_8).contains("heap");
    } catch (IOException ignored) {
      // an empty request
    }
    try {
      Files.delete(p);
      undeletableTrigger = null;
    } catch (NoSuchFileException x) {
      return false;  // another JVM sharing the folder took it
    } catch (IOException x) {
      FileTime m;
      try {
        m = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException y) {
        return false;
      }
      if (m.equals(undeletableTrigger)) return false;  // already answered
      undeletableTrigger = m;
      report("could not remove the trigger file " + p + " (" + x
          + "); one dump per change of it");
    }
    request("trigger-file", opts.heap || triggerWantsHeap);
    return true;
  }

  /** One dump: the threads, the heap when asked, then the manifest. Returns what happened. */
  private String round(String trigger, boolean heap) {
    Instant t = Instant.now();
    List<DumpFolder.Done> done = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    StringBuilder failures = new StringBuilder();
    try {
      folder.ensure();
    } catch (IOException | RuntimeException x) {
      String msg = "cannot create the dump folder " + opts.dir + ": " + x;
      report(msg);
      return msg;
    }
    Path threads = folder.tempFor("threads", "txt", t);
    try {
      String text = ThreadDump.take(opts.threads.equals("dcmd"));
      DumpFolder.writeNew(threads, text.getBytes(StandardCharsets.UTF_8));
      done.add(new DumpFolder.Done(threads, "threads", "txt", t, trigger, folder.pid,
          folder.program));
    } catch (Throwable x) {
      DumpFolder.discard(threads);
      String msg = "could not write the thread dump " + threads + ": " + x;
      report(msg);
      failures.append(msg).append('\n');
    }
    if (heap) {
      Path hprof = folder.tempFor("heapdump", "hprof", t);
      try {
        heapDump(hprof);
        done.add(new DumpFolder.Done(hprof, "heapdump", "hprof", t, trigger, folder.pid,
            folder.program));
      } catch (Throwable x) {
        DumpFolder.discard(hprof);
        String msg = "could not write the heap dump " + hprof + ": " + x;
        report(msg);
        failures.append(msg).append('\n');
      }
    }
    if (opts.oom && Files.exists(folder.oomTemp(), LinkOption.NOFOLLOW_LINKS)) {
      reserve = null;
      done.addAll(folder.oomDumps(false, notes));
    }
    if (done.isEmpty()) return failures.toString().trim();
    try {
      List<String> names = folder.commit(done, notes);
      return (String.join("\n", names) + "\n" + failures).trim();
    } catch (Throwable x) {
      for (DumpFolder.Done d : done) {
        if (d.name == null && !d.kind.equals("oom-heapdump")) DumpFolder.discard(d.temp);
      }
      String msg = "could not update " + opts.dir.resolve(DumpFolder.MANIFEST) + ": " + x;
      report(msg);
      return (failures + msg).trim();
    }
  }

  private void heapDump(Path temp) throws IOException {
    HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(
        HotSpotDiagnosticMXBean.class);
    // dumpHeap wants a name ending in .hprof unless this property says otherwise; the
    // temporary name ends in .tmp so that nothing takes a half-written dump for a dump.
    String prop = "jdk.management.heapdump.allowAnyFileSuffix";
    boolean set = System.getProperty(prop) == null;
    if (set) System.setProperty(prop, "true");
    try {
      hs.dumpHeap(temp.toString(), opts.live);
    } finally {
      if (set) System.clearProperty(prop);
    }
  }

  /** Lists the JVM's dump on OutOfMemoryError once the JVM has finished writing it. */
  private void listOomDump(boolean waitForIt) {
    reserve = null;
    List<String> notes = new ArrayList<>();
    List<DumpFolder.Done> done = folder.oomDumps(false, notes);
    for (int i = 0; done.isEmpty() && waitForIt && i < 300
        && Files.exists(folder.oomTemp(), LinkOption.NOFOLLOW_LINKS); i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException x) {
        break;
      }
      done = folder.oomDumps(false, notes);
    }
    if (done.isEmpty()) return;
    try {
      folder.commit(done, notes);
    } catch (OutOfMemoryError x) {
      throw x;
    } catch (Throwable x) {
      report("could not list the heap dump written on OutOfMemoryError (" + folder.oomTemp()
          + "): " + x + "; the next agent started in " + opts.dir + " lists it");
    }
  }

  /**
   * At exit (the last non-daemon thread ended, System.exit, SIGTERM; not after
   * ExitOnOutOfMemoryError, a crash or SIGKILL): lists the dump the JVM wrote on
   * OutOfMemoryError if the worker has not yet. The heap may still be full: the reserve goes
   * first, and an OutOfMemoryError is retried after a collection.
   */
  private void atExit() {
    reserve = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        if (opts.oom && Files.exists(folder.oomTemp(), LinkOption.NOFOLLOW_LINKS)) {
          listOomDump(true);
        }
        return;
      } catch (OutOfMemoryError x) {
        System.gc();
      } catch (Throwable t) {
        report("at exit: " + t);
        return;
      }
    }
    report("out of memory at exit: " + folder.oomTemp() + " is listed by the next agent started"
        + " in " + opts.dir);
  }

  /** Registers dev.inquest:type=Dumps; false when it should be tried again (out of memory). */
  private boolean registerMBean() {
    try {
      ManagementFactory.getPlatformMBeanServer().registerMBean(
          new StandardMBean(new Dumps(this), DumpsMBean.class),
          new ObjectName("dev.inquest:type=Dumps"));
    } catch (OutOfMemoryError x) {
      return false;
    } catch (Exception | LinkageError x) {
      report("no JMX operation dev.inquest:type=Dumps: " + x);
    }
    return true;
  }

  /** The MBean. */
  static final class Dumps implements DumpsMBean {
    private final Agent agent;

    Dumps(Agent agent) {
      this.agent = agent;
    }

    @Override
    public String dump(String trigger) {
      try {
        return agent.requestAndWait(trigger);
      } catch (Throwable t) {
        return "failed: " + t;
      }
    }

    @Override
    public String getDirectory() {
      return agent.opts.dir.toString();
    }

    @Override
    public long getDumpsTaken() {
      synchronized (agent.lock) {
        return agent.taken;
      }
    }

    @Override
    public long getRequestsCoalesced() {
      synchronized (agent.lock) {
        return agent.coalesced;
      }
    }
  }
}
