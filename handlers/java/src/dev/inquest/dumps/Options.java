package dev.inquest.dumps;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * The agent's options: {@code dir=/var/dumps[,program=NAME][,max=20][,signal=USR2][,heap=false]
 * [,live=true][,poll=FILE][,interval=1000][,gap=1000][,oom=true][,reserve=KiB][,jmx=true][,threads=dcmd]}. Commas separate options,
 * so no value can hold one.
 */
final class Options {
  Path dir;
  String program;
  int max = 20;
  String signal = "USR2";  // "none" disables it
  boolean heap = false;  // a heap dump besides the thread dump on the signal and the trigger file
  boolean live = true;  // heap dumps of live objects only (a full collection first)
  Path poll;  // the trigger file; null with poll=none
  boolean pollEnabled = true;
  long intervalMs = 1000;
  long gapMs = 1000;  // at least this long between the starts of two dumps: storms coalesce
  // Heap kept to list the dump on OutOfMemoryError; -1: one G1 region, or 128 KiB; 0: none.
  int reserveKiB = -1;
  boolean jmx = true;  // register dev.inquest:type=Dumps
  boolean oom = true;  // set HeapDumpOnOutOfMemoryError and HeapDumpPath
  String threads = "dcmd";  // "dcmd" (jcmd Thread.print -l text) or "mxbean" (ThreadMXBean)

  static Options parse(String args) {
    Options o = new Options();
    if (args == null) args = "";
    for (String part : args.split(",")) {
      part = part.trim();
      if (part.isEmpty()) continue;
      int eq = part.indexOf('=');
      String key = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? "true" : part.substring(eq + 1).trim();
      switch (key) {
        case "dir": o.dir = Paths.get(value); break;
        case "program": o.program = value; break;
        case "max": o.max = positive(key, value); break;
        case "signal": o.signal = value; break;
        case "heap": o.heap = bool(key, value); break;
        case "live": o.live = bool(key, value); break;
        case "poll":
          if (value.equalsIgnoreCase("none") || value.equalsIgnoreCase("false")) {
            o.pollEnabled = false;
          } else {
            o.poll = Paths.get(value);
          }
          break;
        case "interval": o.intervalMs = positive(key, value); break;
        case "gap": o.gapMs = value.equals("0") ? 0 : positive(key, value); break;
        case "oom": o.oom = bool(key, value); break;
        case "jmx": o.jmx = bool(key, value); break;
        case "reserve":
          o.reserveKiB = value.equals("0") ? 0 : positive(key, value);
          break;
        case "threads":
          if (!value.equals("dcmd") && !value.equals("mxbean")) {
            throw new IllegalArgumentException("threads must be dcmd or mxbean, not " + value);
          }
          o.threads = value;
          break;
        default: throw new IllegalArgumentException("unknown option " + key);
      }
    }
    if (o.dir == null) throw new IllegalArgumentException("dir=FOLDER is required");
    o.dir = o.dir.toAbsolutePath().normalize();
    if (o.pollEnabled) {
      o.poll = o.poll == null ? o.dir.resolve(".dump-request") : o.dir.resolve(o.poll).normalize();
    }
    if (o.program == null || o.program.isEmpty()) o.program = defaultProgram();
    o.program = sanitize(o.program);
    return o;
  }

  private static int positive(String key, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(key + " must be a positive number, not " + value);
  }

  private static boolean bool(String key, String value) {
    if (value.equalsIgnoreCase("true")) return true;
    if (value.equalsIgnoreCase("false")) return false;
    throw new IllegalArgumentException(key + " must be true or false, not " + value);
  }

  /** The jar's name without .jar, or the main class's simple name, as the JVM was started. */
  static String defaultProgram() {
    String command = System.getProperty("sun.java.command", "").trim();
    String first = command.isEmpty() ? "java" : command.split("\\s+")[0];
    if (first.endsWith(".jar")) {
      String base = Paths.get(first).getFileName().toString();
      return base.substring(0, base.length() - 4);
    }
    int dot = first.lastIndexOf('.');
    int slash = first.lastIndexOf('/');
    return first.substring(Math.max(dot, slash) + 1);
  }

  /** Letters, digits, '.', '_' and '-' only: the name is part of file names. */
  static String sanitize(String name) {
    StringBuilder b = new StringBuilder();
    for (char c : name.toCharArray()) {
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      b.append(ok ? c : '_');
    }
    String s = b.toString();
    while (s.startsWith(".")) s = s.substring(1);
    if (s.length() > 64) s = s.substring(0, 64);
    return s.isEmpty() ? "java" : s;
  }
}
