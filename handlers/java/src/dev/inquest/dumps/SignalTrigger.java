package dev.inquest.dumps;

import sun.misc.Signal;

/**
 * The signal that asks for a dump, through sun.misc.Signal (module jdk.unsupported). Kept in
 * its own class so that a runtime without that module loses only this trigger. The handler runs
 * in a thread the JVM starts for each signal and only wakes the worker.
 */
final class SignalTrigger {
  private SignalTrigger() {}

  /** Installs the handler for a signal named "SIGUSR2". */
  static void install(String name, Runnable wake) {
    // IllegalArgumentException: an unknown name, or a signal the VM or the OS keeps
    Signal sig = new Signal(name.substring(3));
    Signal.handle(sig, s -> wake.run());
  }
}
