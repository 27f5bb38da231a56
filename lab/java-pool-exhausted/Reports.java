// A report service: export jobs borrow a pooled connection and, on the failure path, never
// give it back; once the pool's four connections are gone, every request handler blocks in
// SimplePool.borrow. Beside them sit a thread pool whose workers idle waiting for tasks (that
// is normal) and callers of a slow upstream through java.net.http.
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

public class Reports {
  static final SimplePool pool = new SimplePool(4);

  static void export(int id) throws InterruptedException {
    SimplePool.Connection c = pool.borrow();
    if (id >= 0) return; // the failure path: c is never given back
    pool.giveBack(c);
  }

  static void handleRequest(int id) throws InterruptedException {
    SimplePool.Connection c = pool.borrow();
    pool.giveBack(c);
  }

  public static void main(String[] args) throws Exception {
    for (int i = 0; i < 4; i++) export(i);

    List<Thread> handlers = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      final int id = i;
      Thread t = new Thread(() -> {
        try {
          handleRequest(id);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "request-handler-" + i);
      t.start();
      handlers.add(t);
    }

    // Idle workers: a fixed pool that ran its tasks and now waits for the next.
    ExecutorService workers = Executors.newFixedThreadPool(6);
    CountDownLatch ran = new CountDownLatch(6);
    for (int i = 0; i < 6; i++) workers.submit(ran::countDown);
    ran.await();

    // A slow upstream: accepts connections and never answers.
    ServerSocket upstream = new ServerSocket();
    upstream.bind(new InetSocketAddress("127.0.0.1", 0));
    List<Socket> accepted = new ArrayList<>();
    Thread acceptor = new Thread(() -> {
      try {
        while (true) accepted.add(upstream.accept());
      } catch (IOException e) {
        // closed
      }
    }, "upstream-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + upstream.getLocalPort() + "/prices");
    for (int i = 0; i < 6; i++) {
      Thread t = new Thread(() -> {
        try {
          client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
          // never returns in this scenario
        }
      }, "price-fetcher-" + i);
      t.setDaemon(true);
      t.start();
    }
    Thread.sleep(1000);
    System.out.println("exhausted");
    System.out.flush();
    for (Thread t : handlers) t.join();
  }
}
