package dev.quarry.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU seconds used so far on this Linux machine ({@code /proc}), split by who used it: this JVM
 * (the server and the bench's clients), and of it this JVM's JIT compiler threads, PostgreSQL's
 * processes, other JVMs (the local worker processes), and the rest of the machine. The difference
 * of two snapshots is what ran between them; a process that ends between them loses its share to
 * nobody.
 */
record CpuUse(double thisJvm, double jit, double postgres, double otherJvms, double machine) {
  private static final double HZ = 100.0; // USER_HZ on Linux

  /** The counters now. */
  static CpuUse now() throws IOException {
    long self = ProcessHandle.current().pid();
    long mine = 0;
    long jit = 0;
    long pg = 0;
    long jvms = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        Stat stat = Stat.of(proc).orElse(null);
        if (stat == null) {
          continue; // ended while listed
        }
        if (Long.parseLong(proc.getFileName().toString()) == self) {
          mine += stat.ticks();
          jit = compilerTicks(proc);
        } else if (stat.comm().equals("postgres")) {
          pg += stat.ticks();
        } else if (stat.comm().equals("java")) {
          jvms += stat.ticks();
        }
      }
    }
    String[] all = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long machine = 0;
    for (int i : new int[] {1, 2, 3, 6, 7}) { // user, nice, system, irq, softirq
      machine += Long.parseLong(all[i]);
    }
    return new CpuUse(mine / HZ, jit / HZ, pg / HZ, jvms / HZ, machine / HZ);
  }

  /** The CPU ticks of the JIT compiler threads ({@code C1/C2 CompilerThread}) of a process. */
  private static long compilerTicks(Path proc) throws IOException {
    long ticks = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
      for (Path task : tasks) {
        // the kernel keeps 15 characters of a thread's name
        ticks +=
            Stat.of(task)
                .filter(t -> t.comm().contains("CompilerThre"))
                .map(Stat::ticks)
                .orElse(0L);
      }
    }
    return ticks;
  }

  /** A process's or thread's name and CPU ticks (user and system) from its {@code stat} file. */
  private record Stat(String comm, long ticks) {
    /** The stat of {@code dir} ({@code /proc/PID} or one of its tasks), empty if it ended. */
    static Optional<Stat> of(Path dir) throws IOException {
      String stat;
      try {
        stat = Files.readString(dir.resolve("stat"));
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
      // pid (comm) state ppid ... utime is field 14, stime 15; comm may hold spaces
      String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(new Stat(comm, Long.parseLong(f[11]) + Long.parseLong(f[12])));
    }
  }

  /** What was used from {@code before} to this snapshot. */
  CpuUse since(CpuUse before) {
    return new CpuUse(
        thisJvm - before.thisJvm,
        jit - before.jit,
        postgres - before.postgres,
        otherJvms - before.otherJvms,
        machine - before.machine);
  }

  /** The machine's CPU but this JVM's JIT compiler's (code compiled once, in a warm server). */
  double machineBesidesJit() {
    return machine - jit;
  }

  /** The rest of the machine: neither this JVM, nor PostgreSQL, nor another JVM. */
  double rest() {
    return machine - thisJvm - postgres - otherJvms;
  }
}
