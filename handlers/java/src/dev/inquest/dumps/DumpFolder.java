package dev.inquest.dumps;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dump folder and its manifest.json, the contract the Go, Python and Java handlers share:
 * one new file per dump named {program}-{pid}-{UTC time}-{kind}.{ext}, 0600, written to
 * .{name}.tmp and renamed when complete; one manifest per folder, rewritten whole (temp and
 * rename) under an exclusive lock on .manifest.lock, listing the files still present, at most
 * `max` of them (the oldest removed).
 */
final class DumpFolder {
  static final String WRITER = "inquest-dumps-java 1";
  static final String MANIFEST = "manifest.json";
  static final String LOCK = ".manifest.lock";
  static final String OOM_SUFFIX = "-oom-heapdump.hprof.tmp";
  static final int MAX_NOTES = 50;

  static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

  static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
  /** A dump's name: program, pid, time, kind, collision number, extension. */
  static final Pattern NAME = Pattern.compile(
      "(.+)-(\\d+)-(\\d{8}T\\d{6}\\.\\d{3}Z)-(threads|heapdump|oom-heapdump)(?:-(\\d+))?\\.(txt|hprof)");
  /** The name HeapDumpPath is given: the JVM writes it on OutOfMemoryError. */
  static final Pattern OOM_TEMP = Pattern.compile("\\.(.+)-(\\d+)-oom-heapdump\\.hprof\\.tmp");

  /** A JVM-wide lock around the file lock (a FileLock is held per process, not per thread). */
  private static final Object PROCESS_LOCK = new Object();

  final Path dir;
  final String program;
  final long pid;
  final String exe;
  final int max;

  DumpFolder(Path dir, String program, int max) {
    this.dir = dir;
    this.program = program;
    this.max = max;
    this.pid = ProcessHandle.current().pid();
    this.exe = ProcessHandle.current().info().command()
        .orElse(Paths.javaHome().resolve("bin").resolve("java").toString());
  }

  static String rfc3339(Instant t) {
    return RFC3339.format(t);
  }

  /**
   * Runs once what listing a dump needs (the digest, the formats, the JSON reader) so that its
   * classes are loaded before the heap can run out.
   */
  static void warmUp() {
    try {
      Sha256 md = new Sha256();
      md.update(new byte[1], 0, 1);
      hex(md.digest());
      rfc3339(Instant.now());
      NAME_TIME.format(Instant.now());
      Json.parse("{\"a\": [1, 2.5, \"x\", true, null]}");
    } catch (RuntimeException ignored) {
      // found out again when it matters
    }
  }

  /** Creates the folder 0700 when it is missing; an existing folder is used as it is. */
  void ensure() throws IOException {
    if (Files.isDirectory(dir)) return;
    FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(DIR_MODE);
    Files.createDirectories(dir, mode);
  }

  Path oomTemp() {
    return dir.resolve("." + program + "-" + pid + OOM_SUFFIX);
  }

  /** Where a dump of this kind taken at `t` is written before it is complete. */
  Path tempFor(String kind, String ext, Instant t) {
    return dir.resolve("." + baseName(program, pid, t, kind) + "." + ext + ".tmp");
  }

  static String baseName(String program, long pid, Instant t, String kind) {
    return program + "-" + pid + "-" + NAME_TIME.format(t) + "-" + kind;
  }

  /** A new file, created exclusively, mode 0600. */
  static FileChannel createNew(Path p) throws IOException {
    return FileChannel.open(p, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(FILE_MODE));
  }

  static void writeNew(Path p, byte[] data) throws IOException {
    try (FileChannel ch = createNew(p)) {
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) ch.write(b);
      ch.force(true);
    }
  }

  /** A complete file waiting for its final name and its manifest entry. */
  static final class Done {
    final Path temp;
    final String kind, ext, trigger, program;
    final Instant time;
    final long pid;
    long size;
    String sha256;
    String name;  // set once renamed

    Done(Path temp, String kind, String ext, Instant time, String trigger, long pid,
        String program) {
      this.temp = temp;
      this.kind = kind;
      this.ext = ext;
      this.time = time;
      this.trigger = trigger;
      this.pid = pid;
      this.program = program;
    }
  }

  /**
   * Renames the complete files to their final names (never over an existing file: -2, -3 on a
   * collision) and rewrites the manifest: the files still present, these added, the cap
   * applied. Everything under the folder's lock. Returns the new files' names.
   */
  List<String> commit(List<Done> done, List<String> notes) throws IOException {
    for (Done d : done) {  // outside the lock: a heap dump may take seconds to hash
      Files.setPosixFilePermissions(d.temp, FILE_MODE);
      d.size = Files.size(d.temp);
      d.sha256 = sha256(d.temp);
    }
    List<String> names = new ArrayList<>();
    synchronized (PROCESS_LOCK) {
      try (FileChannel lockFile = FileChannel.open(dir.resolve(LOCK),
              EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(FILE_MODE));
          FileLock ignored = lockFile.lock()) {
        Manifest m = readManifest();
        List<String> allNotes = new ArrayList<>(m.notes);
        allNotes.addAll(notes);
        for (Done d : done) {
          if (!Files.exists(d.temp, LinkOption.NOFOLLOW_LINKS)) continue;  // taken by another
          String base = baseName(d.program, d.pid, d.time, d.kind);
          for (int n = 1; ; n++) {
            String name = base + (n == 1 ? "" : "-" + n) + "." + d.ext;
            Path target = dir.resolve(name);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) continue;
            Files.move(d.temp, target, StandardCopyOption.ATOMIC_MOVE);
            d.name = name;
            break;
          }
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("path", d.name);
          e.put("size", d.size);
          e.put("sha256", d.sha256);
          e.put("kind", d.kind);
          e.put("time", rfc3339(d.time));
          e.put("trigger", d.trigger);
          e.put("pid", d.pid);
          e.put("program", d.program);
          m.files.add(e);
          names.add(d.name);
        }
        addUnlisted(m, allNotes);
        applyCap(m, allNotes);
        while (allNotes.size() > MAX_NOTES) allNotes.remove(0);
        m.notes.clear();
        m.notes.addAll(allNotes);
        writeManifest(m);
      }
    }
    return names;
  }

  /** The parts of an existing manifest that are kept. */
  static final class Manifest {
    String started;
    final List<Map<String, Object>> files = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
  }

  @SuppressWarnings("unchecked")
  private Manifest readManifest() {
    Manifest m = new Manifest();
    Path p = dir.resolve(MANIFEST);
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return m;
    try {
      if (Files.size(p) > (8 << 20)) throw new IOException("larger than 8 MiB");
      Object doc = Json.parse(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
      if (!(doc instanceof Map)) throw new IllegalArgumentException("not an object");
      Map<String, Object> root = (Map<String, Object>) doc;
      if (root.get("started") instanceof String) m.started = (String) root.get("started");
      if (root.get("notes") instanceof List) {
        for (Object n : (List<Object>) root.get("notes")) {
          if (n instanceof String) m.notes.add((String) n);
        }
      }
      if (root.get("files") instanceof List) {
        for (Object f : (List<Object>) root.get("files")) {
          if (!(f instanceof Map)) continue;
          Map<String, Object> e = (Map<String, Object>) f;
          if (!(e.get("path") instanceof String)) continue;
          Path file = inside((String) e.get("path"));
          if (file == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) continue;
          Object size = e.get("size");
          if (!(size instanceof Long) || (Long) size != Files.size(file)
              || !(e.get("sha256") instanceof String)) {
            e.put("size", Files.size(file));  // changed since it was listed: describe it as it is
            e.put("sha256", sha256(file));
          }
          m.files.add(e);
        }
      }
    } catch (IOException | RuntimeException x) {
      m.files.clear();
      m.notes.add("the previous manifest.json could not be read (" + x.getMessage()
          + "); rebuilt from the files in the folder");
    }
    return m;
  }

  /** A path the manifest names, if it is a plain name inside the folder. */
  private Path inside(String name) {
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      return null;
    }
    return dir.resolve(name);
  }

  /**
   * Dumps in the folder that no manifest lists (a process that stopped between the rename and
   * the manifest, or a manifest that could not be read) are listed, described by their names.
   */
  private void addUnlisted(Manifest m, List<String> notes) throws IOException {
    Set<String> listed = new HashSet<>();
    for (Map<String, Object> e : m.files) listed.add((String) e.get("path"));
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        Matcher mm = NAME.matcher(name);
        if (listed.contains(name) || !mm.matches()) continue;
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) continue;
        Instant t;
        try {
          t = Instant.from(NAME_TIME.parse(mm.group(3)));
        } catch (RuntimeException x) {
          continue;
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("path", name);
        e.put("size", Files.size(p));
        e.put("sha256", sha256(p));
        e.put("kind", mm.group(4));
        e.put("time", rfc3339(t));
        e.put("trigger", "unknown");
        e.put("pid", Long.parseLong(mm.group(2)));
        e.put("program", mm.group(1));
        m.files.add(e);
        notes.add(name + " was in the folder but not in the manifest; listed from its name");
      }
    }
  }

  private static Instant timeOf(Map<String, Object> e) {
    Object t = e.get("time");
    if (t instanceof String) {
      try {
        return Instant.parse((String) t);
      } catch (RuntimeException ignored) {
        // unreadable times count as the oldest
      }
    }
    return Instant.EPOCH;
  }

  private void applyCap(Manifest m, List<String> notes) {
    m.files.sort(Comparator.comparing(DumpFolder::timeOf));
    while (m.files.size() > max) {
      Map<String, Object> oldest = m.files.remove(0);
      Path p = inside((String) oldest.get("path"));
      try {
        if (p != null) Files.deleteIfExists(p);
      } catch (IOException x) {
        Agent.report("could not remove " + p + " (over max=" + max + "): " + x);
      }
    }
  }

  private void writeManifest(Manifest m) throws IOException {
    Instant now = Instant.now();
    StringBuilder b = new StringBuilder();
    b.append("{\n  \"inquest_capture\": 1,\n  \"writer\": ");
    Json.quote(b, WRITER);
    b.append(",\n  \"runtime\": \"jvm\",\n  \"pid\": ").append(pid).append(",\n  \"exe\": ");
    Json.quote(b, exe);
    b.append(",\n  \"started\": ");
    Json.quote(b, m.started != null ? m.started : rfc3339(now));
    b.append(",\n  \"finished\": ");
    Json.quote(b, rfc3339(now));
    b.append(",\n  \"steps\": [],\n  \"files\": [");
    for (int k = 0; k < m.files.size(); k++) {
      b.append(k == 0 ? "\n    " : ",\n    ");
      Json.write(b, m.files.get(k));
    }
    b.append(m.files.isEmpty() ? "],\n  \"notes\": [" : "\n  ],\n  \"notes\": [");
    for (int k = 0; k < m.notes.size(); k++) {
      b.append(k == 0 ? "\n    " : ",\n    ");
      Json.quote(b, m.notes.get(k));
    }
    b.append(m.notes.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
    Path temp = dir.resolve("." + MANIFEST + ".tmp");
    Files.deleteIfExists(temp);  // only a writer holding the lock uses it
    try {
      writeNew(temp, b.toString().getBytes(StandardCharsets.UTF_8));
      Files.move(temp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  static String sha256(Path p) throws IOException {
    Sha256 md = new Sha256();
    byte[] buf = new byte[16 << 10];
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
    }
    return hex(md.digest());
  }

  static String hex(byte[] bytes) {
    char[] digits = "0123456789abcdef".toCharArray();
    char[] out = new char[bytes.length * 2];
    for (int k = 0; k < bytes.length; k++) {
      out[2 * k] = digits[(bytes[k] >> 4) & 0xf];
      out[2 * k + 1] = digits[bytes[k] & 0xf];
    }
    return new String(out);
  }

  // ---- the JVM's own dump on OutOfMemoryError ----

  /** Whether a file of this process's open descriptors is `p`; null when /proc is not there. */
  static Boolean openHere(Path p) {
    Path fds = java.nio.file.Paths.get("/proc/self/fd");
    if (!Files.isDirectory(fds)) return null;
    String want = p.toAbsolutePath().toString();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(fds)) {
      for (Path fd : ds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.equals(want) || target.equals(want + " (deleted)")) return true;
        } catch (IOException | UnsupportedOperationException ignored) {
          // closed meanwhile
        }
      }
    } catch (IOException x) {
      return null;
    }
    return false;
  }

  /** Whether an HPROF file ends with its HEAP DUMP END record (tag 0x2C, length 0). */
  static boolean hprofComplete(Path p) {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 40) return false;
      ByteBuffer b = ByteBuffer.allocate(9);
      ch.read(b, size - 9);
      return b.get(0) == 0x2C && b.getInt(5) == 0;
    } catch (IOException x) {
      return false;
    }
  }

  /**
   * The JVM's dumps on OutOfMemoryError waiting in the folder under their HeapDumpPath name:
   * this process's once the JVM has closed it, or with `startup`, those of processes that are
   * gone (pid reuse in a container makes an earlier process's file carry this pid). The time is
   * the file's modification time: when the JVM finished writing it.
   */
  List<Done> oomDumps(boolean startup, List<String> notes) {
    List<Done> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*" + OOM_SUFFIX)) {
      for (Path p : ds) {
        Matcher mm = OOM_TEMP.matcher(p.getFileName().toString());
        if (!mm.matches() || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) continue;
        long owner = Long.parseLong(mm.group(2));
        boolean mine = owner == pid;
        if (startup) {
          if (!mine && alive(owner)) continue;  // that JVM's agent lists it
        } else {
          if (!mine) continue;
          Boolean open = openHere(p);
          if (open == null) {
            if (!hprofComplete(p)) continue;
          } else if (open) {
            continue;
          }
        }
        long size = Files.size(p);
        if (size == 0) continue;
        Instant t = Files.getLastModifiedTime(p).toInstant();
        if (!hprofComplete(p)) {
          notes.add("the heap dump the JVM " + owner + " began on OutOfMemoryError was cut "
              + "short (no HEAP DUMP END record, " + size + " bytes); listed as it is");
        }
        if (startup) {
          notes.add("the heap dump the JVM " + owner + " wrote on OutOfMemoryError was listed "
              + "when the agent of the JVM " + pid + " started");
        }
        found.add(new Done(p, "oom-heapdump", "hprof", t, "oom", owner, mm.group(1)));
      }
    } catch (IOException | RuntimeException x) {
      Agent.report("could not look for heap dumps written on OutOfMemoryError in " + dir + ": "
          + x);
    }
    return found;
  }

  /** Removes temporary files left by processes that stopped while writing a dump. */
  void removeStaleTemps() {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*.tmp")) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.endsWith(OOM_SUFFIX)) continue;
        Matcher mm = NAME.matcher(name.substring(1, name.length() - 4));
        if (!mm.matches()) continue;
        long owner = Long.parseLong(mm.group(2));
        if (owner == pid || !alive(owner)) Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException x) {
      Agent.report("could not clean temporary files in " + dir + ": " + x);
    }
  }

  static boolean alive(long pid) {
    try {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (RuntimeException x) {
      return true;
    }
  }

  /** Deletes a partial file, saying so when it cannot. */
  static void discard(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (NoSuchFileException ignored) {
      // gone
    } catch (IOException | RuntimeException x) {
      Agent.report("could not remove the partial file " + p + ": " + x);
    }
  }

  /** Whether the folder accepts a new file (the check a dump makes before it starts). */
  String probe() {
    Path p = dir.resolve(".probe-" + pid + ".tmp");
    try {
      writeNew(p, new byte[0]);
      return null;
    } catch (FileAlreadyExistsException x) {
      discard(p);
      return null;
    } catch (IOException | RuntimeException x) {
      return x.toString();
    } finally {
      discard(p);
    }
  }

  private static final class Paths {
    static Path javaHome() {
      return java.nio.file.Paths.get(System.getProperty("java.home", "/usr"));
    }
  }
}
