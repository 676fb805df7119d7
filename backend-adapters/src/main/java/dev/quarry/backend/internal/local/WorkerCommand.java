package dev.quarry.backend.internal.local;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.local.LocalBackendOptions;
import dev.quarry.backend.local.WorkerSandbox;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line and environment of one worker process. With {@link WorkerSandbox#BWRAP} the JVM
 * runs inside bubblewrap: new mount, PID, network, IPC and UTS namespaces; read-only binds of
 * {@code /usr}, a few files of {@code /etc}, the JDK and each worker class path entry; a private
 * size-bounded {@code /tmp}; a fresh {@code /proc}; no environment but the explicit one; resource
 * limits set by {@code prlimit}; and, when the server is root, an unprivileged user id of its own
 * (set by {@code setpriv}) so that {@code RLIMIT_NPROC} applies and counts only this worker.
 */
final class WorkerCommand {
  static final String MAIN_CLASS = "dev.quarry.worker.local.LocalWorkerMain";
  private static final List<String> ETC_FILES =
      List.of("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/timezone");
  private static final boolean ROOT = isRoot();

  private WorkerCommand() {}

  /** The minimal environment of every worker; nothing is inherited from the server. */
  static Map<String, String> environment(LocalBackendOptions options) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", "/tmp");
    env.put("TMPDIR", "/tmp");
    env.put("LANG", "C.UTF-8");
    env.putAll(options.environment());
    return env;
  }

  static List<String> command(LocalBackendOptions options, int slot) {
    List<String> java = javaCommand(options, options.sandbox() == WorkerSandbox.BWRAP);
    if (options.sandbox() == WorkerSandbox.NONE) {
      return java;
    }
    List<String> c = new ArrayList<>();
    c.add(options.bwrapCommand());
    c.addAll(List.of("--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"));
    c.add("--unshare-cgroup-try");
    if (!ROOT) {
      c.add("--unshare-user");
    }
    c.addAll(List.of("--die-with-parent", "--new-session", "--clearenv"));
    environment(options).forEach((k, v) -> c.addAll(List.of("--setenv", k, v)));
    c.addAll(List.of("--ro-bind", "/usr", "/usr"));
    for (String dir : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
      Path p = Path.of(dir);
      if (Files.isSymbolicLink(p)) {
        c.addAll(List.of("--symlink", readLink(p), dir));
      } else if (Files.isDirectory(p)) {
        c.addAll(List.of("--ro-bind", dir, dir));
      }
    }
    for (String file : ETC_FILES) {
      c.addAll(List.of("--ro-bind-try", file, file));
    }
    // before the binds: a class path entry under /tmp must stay visible above the private /tmp
    c.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    c.addAll(List.of("--perms", "1777", "--size", Long.toString(options.maxTmpBytes())));
    c.addAll(List.of("--tmpfs", "/tmp", "--chdir", "/tmp"));
    Set<String> binds = new LinkedHashSet<>();
    binds.add(javaHome(options.javaCommand()));
    binds.addAll(classpathEntries(options.classpath()));
    binds.removeIf(b -> b.startsWith("/usr/"));
    // bubblewrap would create the parents of a bind point readable by root only
    Set<String> parents = new java.util.TreeSet<>();
    for (String bind : binds) {
      for (Path p = Path.of(bind).getParent();
          p != null && p.getNameCount() > 0;
          p = p.getParent()) {
        if (!p.toString().equals("/tmp")) {
          parents.add(p.toString());
        }
      }
    }
    for (String dir : parents) { // sorted: a parent comes before its children
      c.addAll(List.of("--perms", "0755", "--dir", dir));
    }
    for (String bind : binds) {
      c.addAll(List.of("--ro-bind", bind, bind));
    }
    if (ROOT) {
      // setpriv needs these to drop to the worker's own uid; the JVM then has no capabilities
      c.addAll(List.of("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"));
    }
    c.add("--");
    if (ROOT) {
      String uid = Integer.toString(options.sandboxUid() + slot);
      c.addAll(
          List.of(
              "/usr/bin/setpriv",
              "--reuid=" + uid,
              "--regid=" + uid,
              "--clear-groups",
              "--inh-caps=-all",
              "--no-new-privs",
              "--"));
    }
    c.add("/usr/bin/prlimit");
    c.add("--as=" + options.maxAddressSpaceBytes());
    c.add("--nproc=" + options.maxProcesses());
    c.add("--nofile=" + options.maxOpenFiles());
    c.add("--core=0");
    if (options.maxCpuSeconds() > 0) {
      c.add("--cpu=" + options.maxCpuSeconds());
    }
    c.add("--");
    c.addAll(java);
    return c;
  }

  /**
   * Fails fast when the sandbox cannot work on this host.
   *
   * @throws BackendException ({@link Kind#PERMANENT}) naming what is missing and the way out
   */
  static void checkHost(LocalBackendOptions options) {
    if (options.sandbox() == WorkerSandbox.NONE) {
      return;
    }
    List<String> missing = new ArrayList<>();
    if (!onPath(options.bwrapCommand())) {
      missing.add("bubblewrap ('" + options.bwrapCommand() + "')");
    }
    if (!Files.isExecutable(Path.of("/usr/bin/prlimit"))) {
      missing.add("prlimit (/usr/bin/prlimit, util-linux)");
    }
    if (ROOT && !Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
      missing.add("setpriv (/usr/bin/setpriv, util-linux)");
    }
    if (!missing.isEmpty()) {
      throw new BackendException(
          Kind.PERMANENT,
          "local workers must run sandboxed, but "
              + String.join(" and ", missing)
              + " cannot be found. Install it (Debian/Ubuntu: apt-get install bubblewrap"
              + " util-linux), or set quarry.backend.sandbox=none to run tenant code"
              + " unsandboxed -- only for a trusted, single-tenant installation: tenant code can"
              + " then read the server's files and secrets");
    }
  }

  private static List<String> javaCommand(LocalBackendOptions options, boolean sandboxed) {
    List<String> command = new ArrayList<>();
    command.add(sandboxed ? realPath(options.javaCommand()) : options.javaCommand());
    // JVM unified logging writes warnings to stdout by default, which would corrupt the protocol
    command.add("-Xlog:disable");
    command.add("-Xlog:all=warning:stderr");
    command.addAll(options.jvmArgs());
    if (sandboxed) {
      command.add("-Djava.io.tmpdir=/tmp");
    }
    command.add("-cp");
    command.add(
        sandboxed
            ? String.join(File.pathSeparator, classpathEntries(options.classpath()))
            : options.classpath());
    command.add(MAIN_CLASS);
    return command;
  }

  private static List<String> classpathEntries(String classpath) {
    List<String> entries = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!entry.isBlank() && Files.exists(Path.of(entry))) {
        entries.add(realPath(entry));
      }
    }
    return entries;
  }

  private static String javaHome(String javaCommand) {
    Path java = Path.of(realPath(javaCommand));
    Path home = java.getParent() == null ? null : java.getParent().getParent();
    return home == null ? java.toString() : home.toString();
  }

  private static String realPath(String path) {
    try {
      return Path.of(path).toRealPath().toString();
    } catch (IOException e) {
      return Path.of(path).toAbsolutePath().toString();
    }
  }

  private static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      throw new BackendException(Kind.PERMANENT, "cannot read the symbolic link " + link, e);
    }
  }

  private static boolean onPath(String command) {
    if (command.contains("/")) {
      return Files.isExecutable(Path.of(command));
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0"); // effective uid
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: bubblewrap is not there either, checkHost says so
    }
    return false;
  }
}
