package dev.quarry.emulator.child;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident memory of a process, from {@code /proc/<pid>/status} (Linux). */
public final class MemoryProbe {

  private MemoryProbe() {}

  /** {@code VmHWM} in MB (rounded up), or -1 if unavailable. */
  public static long peakResidentMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          String kb = line.substring(6).replace("kB", "").strip();
          return (Long.parseLong(kb) + 1023) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }
}
