package dev.inquest.dumps;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The text of a thread dump with locked monitors and ownable synchronizers. First choice: the
 * DiagnosticCommand MBean's threadPrint with -l, the very text `jcmd PID Thread.print -l`
 * prints (without jcmd's "PID:" line), deadlock report included. Fallback (no such MBean, or
 * threads=mxbean): ThreadMXBean.dumpAllThreads(true, true) laid out as jstack lays it out, with
 * identity hash codes in place of object addresses.
 */
final class ThreadDump {
  private ThreadDump() {}

  static String take(boolean preferDcmd) throws Exception {
    if (preferDcmd) {
      try {
        return dcmd();
      } catch (Exception | LinkageError x) {
        return mxbean("threadPrint failed (" + x + "); ThreadMXBean used instead");
      }
    }
    return mxbean(null);
  }

  static String dcmd() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
    Object out = server.invoke(name, "threadPrint", new Object[] {new String[] {"-l"}},
        new String[] {String[].class.getName()});
    return (String) out;
  }

  static String mxbean(String note) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    StringBuilder b = new StringBuilder();
    b.append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
    b.append('\n');
    b.append("Full thread dump ").append(System.getProperty("java.vm.name", "Java VM"))
        .append(" (").append(System.getProperty("java.vm.version", "?")).append(' ')
        .append(System.getProperty("java.vm.info", "")).append("):\n\n");
    ThreadInfo[] infos = mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(),
        mx.isSynchronizerUsageSupported());
    for (ThreadInfo ti : infos) {
      if (ti == null) continue;
      long cpu = -1;
      try {
        cpu = mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(ti.getThreadId()) : -1;
      } catch (UnsupportedOperationException ignored) {
        // left out
      }
      thread(b, ti, cpu);
    }
    long[] deadlocked = null;
    try {
      deadlocked = mx.isSynchronizerUsageSupported() ? mx.findDeadlockedThreads()
          : mx.findMonitorDeadlockedThreads();
    } catch (UnsupportedOperationException ignored) {
      // left out
    }
    if (deadlocked != null && deadlocked.length > 0) {
      b.append("\nFound one Java-level deadlock:\n=============================\n");
      for (ThreadInfo ti : mx.getThreadInfo(deadlocked)) {
        if (ti == null) continue;
        b.append('"').append(ti.getThreadName()).append("\":\n  waiting to lock ")
            .append(kind(ti)).append(' ').append(ref(ti.getLockInfo()))
            .append(",\n  which is held by \"").append(ti.getLockOwnerName()).append("\"\n");
      }
      b.append("\nFound 1 deadlock.\n");
    }
    if (note != null) b.append("\n").append(note).append('\n');
    return b.toString();
  }

  private static String kind(ThreadInfo ti) {
    return ti.getThreadState() == Thread.State.BLOCKED ? "monitor" : "ownable synchronizer";
  }

  private static String ref(LockInfo l) {
    if (l == null) return "<unknown>";
    return String.format("<0x%016x> (a %s)", l.getIdentityHashCode(), l.getClassName());
  }

  private static void thread(StringBuilder b, ThreadInfo ti, long cpuNanos) {
    Thread.State st = ti.getThreadState();
    b.append('"').append(ti.getThreadName()).append("\" #").append(ti.getThreadId());
    if (ti.isDaemon()) b.append(" daemon");
    b.append(" prio=").append(ti.getPriority());
    if (cpuNanos >= 0) b.append(String.format(" cpu=%.2fms", cpuNanos / 1e6));
    b.append(" tid=0x0 nid=0x0 ").append(stateWords(ti)).append('\n');
    b.append("   java.lang.Thread.State: ").append(st);
    if (st == Thread.State.BLOCKED) {
      b.append(" (on object monitor)");
    } else if (st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING) {
      b.append(ti.getLockInfo() != null && isMonitorWait(ti) ? " (on object monitor)"
          : " (parking)");
    }
    b.append('\n');
    StackTraceElement[] frames = ti.getStackTrace();
    MonitorInfo[] monitors = ti.getLockedMonitors();
    for (int depth = 0; depth < frames.length; depth++) {
      b.append("\tat ").append(frame(frames[depth])).append('\n');
      if (depth == 0 && ti.getLockInfo() != null) {
        String lock = ref(ti.getLockInfo());
        if (st == Thread.State.BLOCKED) {
          b.append("\t- waiting to lock ").append(lock).append('\n');
        } else if (isMonitorWait(ti)) {
          b.append("\t- waiting on ").append(lock).append('\n');
        } else {
          b.append("\t- parking to wait for  ").append(lock).append('\n');
        }
      }
      for (MonitorInfo mi : monitors) {
        if (mi.getLockedStackDepth() == depth) {
          b.append("\t- locked ").append(ref(mi)).append('\n');
        }
      }
    }
    b.append("\n   Locked ownable synchronizers:\n");
    LockInfo[] syncs = ti.getLockedSynchronizers();
    if (syncs.length == 0) b.append("\t- None\n");
    for (LockInfo l : syncs) b.append("\t- ").append(ref(l)).append('\n');
    b.append('\n');
  }

  private static boolean isMonitorWait(ThreadInfo ti) {
    StackTraceElement[] f = ti.getStackTrace();
    return f.length > 0 && f[0].getClassName().equals("java.lang.Object")
        && f[0].getMethodName().equals("wait");
  }

  private static String stateWords(ThreadInfo ti) {
    switch (ti.getThreadState()) {
      case RUNNABLE: return "runnable";
      case BLOCKED: return "waiting for monitor entry";
      case WAITING:
      case TIMED_WAITING: return isMonitorWait(ti) ? "in Object.wait()" : "waiting on condition";
      default: return ti.getThreadState().toString().toLowerCase();
    }
  }

  private static String frame(StackTraceElement e) {
    StringBuilder b = new StringBuilder();
    b.append(e.getClassName()).append('.').append(e.getMethodName()).append('(');
    if (e.getModuleName() != null) {
      b.append(e.getModuleName());
      if (e.getModuleVersion() != null) b.append('@').append(e.getModuleVersion());
      b.append('/');
    }
    if (e.isNativeMethod()) {
      b.append("Native Method");
    } else if (e.getFileName() == null) {
      b.append("Unknown Source");
    } else {
      b.append(e.getFileName());
      if (e.getLineNumber() >= 0) b.append(':').append(e.getLineNumber());
    }
    return b.append(')').toString();
  }
}
