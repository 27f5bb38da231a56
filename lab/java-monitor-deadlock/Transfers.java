// Two tellers move money between the same two accounts in opposite directions. Each locks the
// source account, then the destination: teller-1 holds "checking" and waits for "savings",
// teller-2 holds "savings" and waits for "checking". Neither ever lets go.
public class Transfers {
  static final class Account {
    final String name;
    long balance = 1_000;

    Account(String name) {
      this.name = name;
    }
  }

  static void transfer(Account from, Account to, long amount) throws InterruptedException {
    synchronized (from) {
      Thread.sleep(200);  // the window in which the other teller takes the other lock
      synchronized (to) {
        from.balance -= amount;
        to.balance += amount;
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Account checking = new Account("checking");
    Account savings = new Account("savings");
    Thread t1 = new Thread(() -> run(checking, savings), "teller-1");
    Thread t2 = new Thread(() -> run(savings, checking), "teller-2");
    t1.start();
    t2.start();
    Thread.sleep(500);
    System.out.println("deadlocked");  // the run script takes its dumps after this line
    System.out.flush();
    t1.join();
  }

  static void run(Account from, Account to) {
    try {
      transfer(from, to, 10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
