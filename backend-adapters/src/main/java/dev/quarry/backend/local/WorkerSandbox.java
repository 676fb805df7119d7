package dev.quarry.backend.local;

/** How the local backend isolates worker JVMs from the host. */
public enum WorkerSandbox {
  /**
   * Each worker runs under bubblewrap ({@code bwrap}): its own mount, PID, network, IPC and UTS
   * namespaces, read-only views of the system libraries, the JDK and the worker class path only, a
   * private {@code /tmp}, no network, no environment but a minimal explicit one, resource limits,
   * and (when the server runs as root) its own unprivileged user id. The default.
   */
  BWRAP,
  /**
   * No sandbox: tenant code can read everything the server can (its files, configuration and
   * secrets) and reach the database. Only for trusted single-tenant installations.
   */
  NONE
}
