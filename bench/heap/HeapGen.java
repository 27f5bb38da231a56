// Fills a heap with a service's kind of object graph, then waits to be dumped: SESSIONS
// sessions in a static map, each with an id, a token and a list of events (strings, boxed
// numbers, small arrays), and a cache of rendered pages that grows without bound (the leak the
// analysis should find). Prints "ready OBJECTS" when done.
//   java -Xmx3g HeapGen 1000000
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

public class HeapGen {
  static final class Event {
    final String name;
    final long at;
    final Integer code;
    Event(String name, long at, int code) {
      this.name = name;
      this.at = at;
      this.code = code;
    }
  }

  static final class Session {
    final String id;
    final byte[] token = new byte[32];
    final List<Event> events = new ArrayList<>();
    Session(String id) { this.id = id; }
  }

  static final Map<String, Session> SESSIONS = new HashMap<>();
  static final Map<Long, byte[]> PAGE_CACHE = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    int sessions = Integer.parseInt(args[0]);
    long objects = 0;
    for (int i = 0; i < sessions; i++) {
      Session s = new Session("session-" + i);
      for (int e = 0; e < 5; e++) s.events.add(new Event("ev-" + (i % 1000) + "-" + e, i * 5L + e, 200 + e + i % 300));
      SESSIONS.put(s.id, s);
      if (i % 4 == 0) PAGE_CACHE.put((long) i, new byte[64 + i % 512]);
      objects += 4 + 5 * 4 + 3;
    }
    System.out.println("ready " + objects);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
