// A pricing service that caches every quote it computes in a static map and never evicts:
// each distinct (sku, region) pair adds an entry, and the heap runs out. When `warm` entries are
// cached it says so on stdout and waits for the file named by its second argument, so the
// drill can take an earlier heap dump with jmap before the out-of-memory one.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

public class QuoteService {
  static final class Quote {
    final String sku;
    final long cents;
    final byte[] terms;  // the rendered price terms, kept with the quote

    Quote(String sku, long cents) {
      this.sku = sku;
      this.cents = cents;
      this.terms = new byte[384];
    }
  }

  // Never evicted: the leak.
  static final Map<String, Quote> QUOTE_CACHE = new HashMap<>();

  static Quote quote(long n) {
    String sku = "sku-" + n + "/region-" + (n % 7);
    return QUOTE_CACHE.computeIfAbsent(sku, k -> new Quote(k, 1999 + n % 500));
  }

  public static void main(String[] args) throws Exception {
    long warm = Long.parseLong(args[0]);
    Path gate = Path.of(args[1]);
    for (long n = 0;; n++) {
      quote(n);
      if (n == warm) {
        System.out.println("warm " + QUOTE_CACHE.size());
        System.out.flush();
        while (!Files.exists(gate)) Thread.sleep(20);
      }
    }
  }
}
