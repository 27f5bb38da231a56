// A pricing service that caches every quote it computes in a static map and never evicts:
// each distinct (sku, region) pair adds an entry, and the heap runs out. It interns nothing:
// every quote builds its own copy of one of seven region names. When `warm` entries are
// cached it says so on stdout and waits for the file named by its second argument, so the
// drill can take an earlier heap dump with jmap before the out-of-memory one.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

public class QuoteService {
  static final class Quote {
    final String sku;
    final String region;  // one of seven names, a new copy in every quote
    final long cents;
    final byte[] terms;  // the rendered price terms, kept with the quote

    Quote(String sku, String region, long cents) {
      this.sku = sku;
      this.region = region;
      this.cents = cents;
      this.terms = new byte[384];
    }
  }

  // Never evicted: the leak.
  static final Map<String, Quote> QUOTE_CACHE = new HashMap<>();

  static Quote quote(long n) {
    String region = "region-" + (n % 7);
    String sku = "sku-" + n + "/" + region;
    return QUOTE_CACHE.computeIfAbsent(sku, k -> new Quote(k, region, 1999 + n % 500));
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
