// A small connection pool of the usual shape: a Semaphore bounds how many connections are out,
// a BlockingQueue keeps the idle ones. borrow() blocks, without a timeout, while every permit
// is out: exactly how a pool with a forgotten release leaves its callers hanging.
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

final class SimplePool {
  static final class Connection {
    final int id;

    Connection(int id) {
      this.id = id;
    }
  }

  private final Semaphore permits;
  private final BlockingQueue<Connection> idle = new LinkedBlockingQueue<>();

  SimplePool(int size) {
    permits = new Semaphore(size);
    for (int i = 0; i < size; i++) idle.add(new Connection(i));
  }

  Connection borrow() throws InterruptedException {
    permits.acquire();
    return idle.take();
  }

  void giveBack(Connection c) {
    idle.add(c);
    permits.release();
  }
}
