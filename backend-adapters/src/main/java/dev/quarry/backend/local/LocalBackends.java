package dev.quarry.backend.local;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.internal.local.LocalProcessBackend;

/**
 * Creates the local process backend (type {@code local}): a pool of warm worker JVMs on this host
 * running {@code dev.quarry.worker.local.LocalWorkerMain}.
 *
 * <pre>{@code
 * LocalBackendOptions options = LocalBackendOptions.builder().poolSize(4).build();
 * try (ComputeBackend backend = LocalBackends.create(options)) {
 *   InvocationSummary summary = backend.invoke(envelope).join();
 * }
 * }</pre>
 */
public final class LocalBackends {
  /** The backend's {@link ComputeBackend#type() type}. */
  public static final String TYPE = "local";

  private LocalBackends() {}

  /**
   * Starts {@link LocalBackendOptions#poolSize()} worker JVMs in parallel and returns once all are
   * ready.
   *
   * @throws BackendException of kind {@link BackendException.Kind#PERMANENT} if a worker JVM cannot
   *     be started or does not become ready within the startup timeout (bad java command, class
   *     path without the worker runtime, ...)
   */
  public static ComputeBackend create(LocalBackendOptions options) {
    return LocalProcessBackend.start(options);
  }

  /**
   * Checks, without starting anything, that this host has what {@code options} need to start
   * workers (bubblewrap, prlimit and, as root, setpriv when sandboxed); {@link #create} checks it
   * too. Lets a caller that starts the pool in the background still fail at once.
   *
   * @throws BackendException of kind {@link BackendException.Kind#PERMANENT} naming what is missing
   */
  public static void checkHost(LocalBackendOptions options) {
    LocalProcessBackend.checkHost(options);
  }
}
