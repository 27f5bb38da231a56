// Two workers reserve stock in two warehouses through java.util.concurrent ReentrantLocks,
// taken in opposite orders. Unlike synchronized blocks, ReentrantLock waiters park
// ("WAITING (parking)"): the dump shows them in "parking to wait for" lines and the holders in
// "Locked ownable synchronizers" (jstack -l).
import java.util.concurrent.locks.ReentrantLock;

public class Inventory {
  static final ReentrantLock north = new ReentrantLock();
  static final ReentrantLock south = new ReentrantLock();

  static void reserve(ReentrantLock first, ReentrantLock second) throws InterruptedException {
    first.lock();
    try {
      Thread.sleep(200);
      second.lock();
      try {
        System.out.println("reserved");
      } finally {
        second.unlock();
      }
    } finally {
      first.unlock();
    }
  }

  public static void main(String[] args) throws Exception {
    Thread a = new Thread(() -> run(north, south), "reserve-north-first");
    Thread b = new Thread(() -> run(south, north), "reserve-south-first");
    a.start();
    b.start();
    Thread.sleep(500);
    System.out.println("deadlocked");
    System.out.flush();
    a.join();
  }

  static void run(ReentrantLock first, ReentrantLock second) {
    try {
      reserve(first, second);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
