package dev.inquest.dumps;

/** dev.inquest:type=Dumps, the JMX way to ask for a dump. */
public interface DumpsMBean {
  /**
   * Takes a dump now, in the agent's worker, and waits for it (at most ten minutes). The
   * argument says what to take: "threads", "heap" (a thread dump and a heap dump) or ""/null
   * (what the agent's options say). The manifest records the trigger "jmx". Returns the names
   * of the files written, or the failure.
   */
  String dump(String trigger);

  String getDirectory();

  long getDumpsTaken();

  long getRequestsCoalesced();
}
