package dev.quarry.emulator.child;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every live child JVM of this process, destroyed by a shutdown hook if still running at exit. */
public final class ChildProcesses {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(Process::destroyForcibly), "emulator-child-reaper"));
  }

  private ChildProcesses() {}

  public static void register(Process process) {
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
  }
}
