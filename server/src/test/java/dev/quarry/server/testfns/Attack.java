package dev.quarry.server.testfns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A hostile tenant's function, used by {@code WorkerSandboxAttackTest}. Input {@code {"attack":
 * name, "arg": argument}}; the answer is {@code "LEAK: <what it got>"} when the attempt worked and
 * {@code "BLOCKED: <exception>"} when it did not. The resource attacks ({@code forkBomb}, {@code
 * heapBomb}, {@code nativeBomb}) are bounded so that running them unsandboxed cannot take the host
 * down.
 */
public class Attack implements Function<Object, Object> {
  @Override
  public Object apply(Object input) {
    @SuppressWarnings("unchecked")
    Map<String, Object> in = (Map<String, Object>) input;
    String attack = (String) in.get("attack");
    String arg = String.valueOf(in.get("arg"));
    try {
      return "LEAK: " + run(attack, arg);
    } catch (Exception e) {
      return "BLOCKED: " + e;
    }
  }

  private static String run(String attack, String arg) throws Exception {
    return switch (attack) {
      case "read" -> new String(Files.readAllBytes(Path.of(arg)), StandardCharsets.UTF_8);
      case "list" -> {
        try (Stream<Path> walk = Files.walk(Path.of(arg), 6)) {
          List<String> found = walk.map(Path::toString).limit(500).toList();
          if (found.size() <= 1) {
            throw new IOException("nothing under " + arg);
          }
          yield String.join("\n", found);
        }
      }
      case "env" -> new TreeMap<>(System.getenv()).toString();
      case "props" -> new TreeMap<>(System.getProperties()).toString();
      case "processes" -> processes();
      case "connect" -> {
        String[] hostPort = arg.split(":");
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
          yield "connected to " + arg;
        }
      }
      case "write" -> {
        Path target = Path.of(arg);
        Files.createDirectories(target.getParent());
        Files.writeString(target, "written by a tenant");
        yield "wrote " + arg;
      }
      case "forkBomb" -> forkBomb(Integer.parseInt(arg));
      case "heapBomb" -> {
        List<byte[]> hoard = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(arg); i++) {
          hoard.add(new byte[64 << 20]);
        }
        yield "allocated " + hoard.size() * 64 + " MB of heap";
      }
      case "nativeBomb" -> nativeBomb(Integer.parseInt(arg));
      default -> throw new IllegalArgumentException("unknown attack " + attack);
    };
  }

  /** Allocates and touches up to {@code chunks} x 64 MB outside the heap, as Unsafe allows. */
  private static String nativeBomb(int chunks) throws Exception {
    Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
    java.lang.reflect.Field f = unsafeClass.getDeclaredField("theUnsafe");
    f.setAccessible(true);
    Object unsafe = f.get(null);
    java.lang.reflect.Method allocate = unsafeClass.getMethod("allocateMemory", long.class);
    java.lang.reflect.Method putByte = unsafeClass.getMethod("putByte", long.class, byte.class);
    java.lang.reflect.Method free = unsafeClass.getMethod("freeMemory", long.class);
    long chunk = 64L << 20;
    List<Long> hoard = new ArrayList<>();
    try {
      for (int i = 0; i < chunks; i++) {
        long address;
        try {
          address = (long) allocate.invoke(unsafe, chunk);
        } catch (java.lang.reflect.InvocationTargetException e) {
          throw new IOException(
              "stopped after " + hoard.size() * 64 + " MB off-heap: " + e.getCause(), e.getCause());
        }
        hoard.add(address);
        for (long p = 0; p < chunk; p += 4096) {
          putByte.invoke(unsafe, address + p, (byte) 1); // touch every page
        }
      }
      return "allocated " + hoard.size() * 64 + " MB off-heap";
    } finally {
      for (long address : hoard) {
        free.invoke(unsafe, address);
      }
    }
  }

  /** Other processes this one can see, with their command lines. */
  private static String processes() {
    long self = ProcessHandle.current().pid();
    List<String> seen = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self)
        .forEach(
            p -> {
              String cmd;
              try {
                cmd =
                    new String(
                            Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")),
                            StandardCharsets.UTF_8)
                        .replace('\0', ' ');
              } catch (IOException e) {
                cmd = p.info().commandLine().orElse("?");
              }
              seen.add(p.pid() + " " + cmd);
            });
    return String.join("\n", seen);
  }

  /** Starts up to {@code max} processes that linger; a limited sandbox stops it early. */
  private static String forkBomb(int max) throws IOException {
    List<Process> started = new ArrayList<>();
    try {
      for (int i = 0; i < max; i++) {
        started.add(new ProcessBuilder("sleep", "20").start());
      }
      return "started " + started.size() + " processes";
    } catch (IOException | OutOfMemoryError e) {
      // The limit counts threads too: a start fails, or the JVM cannot make the thread that waits
      // for a new child, whichever comes first.
      throw new IOException("stopped after " + started.size() + " processes: " + e, e);
    } finally {
      started.forEach(Process::destroyForcibly);
    }
  }
}
