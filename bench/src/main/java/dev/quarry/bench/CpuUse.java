package dev.quarry.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * CPU seconds used so far on this Linux machine ({@code /proc}), split by who used it: this JVM
 * (the server and the bench's clients), PostgreSQL's processes, other JVMs (the local worker
 * processes), and the rest of the machine. The difference of two snapshots is what ran between
 * them; a process that ends between them loses its share to nobody.
 */
record CpuUse(double thisJvm, double postgres, double otherJvms, double machine) {
  private static final double HZ = 100.0; // USER_HZ on Linux

  /** The counters now. */
  static CpuUse now() throws IOException {
    long self = ProcessHandle.current().pid();
    long mine = 0;
    long pg = 0;
    long jvms = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        String stat;
        try {
          stat = Files.readString(proc.resolve("stat"));
        } catch (NoSuchFileException e) {
          continue; // ended while listed
        }
        // pid (comm) state ppid ... utime is field 14, stime 15; comm may hold spaces
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        if (Long.parseLong(proc.getFileName().toString()) == self) {
          mine += ticks;
        } else if (comm.equals("postgres")) {
          pg += ticks;
        } else if (comm.equals("java")) {
          jvms += ticks;
        }
      }
    }
    String[] all = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long machine = 0;
    for (int i : new int[] {1, 2, 3, 6, 7}) { // user, nice, system, irq, softirq
      machine += Long.parseLong(all[i]);
    }
    return new CpuUse(mine / HZ, pg / HZ, jvms / HZ, machine / HZ);
  }

  /** What was used from {@code before} to this snapshot. */
  CpuUse since(CpuUse before) {
    return new CpuUse(
        thisJvm - before.thisJvm,
        postgres - before.postgres,
        otherJvms - before.otherJvms,
        machine - before.machine);
  }

  /** The rest of the machine: neither this JVM, nor PostgreSQL, nor another JVM. */
  double rest() {
    return machine - thisJvm - postgres - otherJvms;
  }
}
