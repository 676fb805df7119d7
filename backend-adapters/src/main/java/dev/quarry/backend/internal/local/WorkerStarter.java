package dev.quarry.backend.internal.local;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.local.LocalBackendOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Launches worker JVMs, waits for their handshake and hands them to the pool. */
final class WorkerStarter {
  private static final Logger log = LoggerFactory.getLogger(WorkerStarter.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** The pool receiving ready workers. */
  interface Pool extends WorkerProcess.Listener {
    /** Adds a ready worker; false if the pool is closed (the worker is then discarded). */
    boolean register(WorkerProcess worker);

    boolean isClosed();
  }

  private final LocalBackendOptions options;
  private final Pool pool;
  private final Set<WorkerProcess> starting = ConcurrentHashMap.newKeySet();
  private final BitSet slots = new BitSet();

  WorkerStarter(LocalBackendOptions options, Pool pool) {
    this.options = options;
    this.pool = pool;
  }

  /**
   * Starts {@code count} workers in parallel and waits for all of them.
   *
   * @throws BackendException ({@link Kind#PERMANENT}) if one cannot be started
   */
  void startAll(int count) {
    List<CompletableFuture<WorkerProcess>> starts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      CompletableFuture<WorkerProcess> start = new CompletableFuture<>();
      Thread.ofVirtual()
          .name("quarry-local-start")
          .start(
              () -> {
                try {
                  start.complete(start());
                } catch (Throwable e) {
                  start.completeExceptionally(e);
                }
              });
      starts.add(start);
    }
    Throwable failure = null;
    for (CompletableFuture<WorkerProcess> start : starts) {
      try {
        start.join();
      } catch (CompletionException e) {
        failure = failure == null ? e.getCause() : failure;
      }
    }
    if (failure != null) {
      throw new BackendException(
          Kind.PERMANENT, "local worker JVM failed to start: " + failure.getMessage(), failure);
    }
  }

  /** Starts one worker on a background thread, retrying with backoff until the pool closes. */
  void replaceInBackground() {
    Thread.ofVirtual().name("quarry-local-replace").start(this::replace);
  }

  /** Kills workers that have not finished starting. */
  void killStarting() {
    starting.forEach(worker -> worker.kill("backend closed"));
  }

  private void replace() {
    Duration backoff = Duration.ofSeconds(1);
    while (!pool.isClosed()) {
      try {
        log.info("Started replacement worker {}", start().id());
        return;
      } catch (IOException e) {
        if (pool.isClosed()) {
          return;
        }
        log.error("Starting a replacement worker failed; retrying in {}", backoff, e);
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        return;
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  /** Frees the slot of a worker that exited. */
  void release(int slot) {
    synchronized (slots) {
      slots.clear(slot);
    }
  }

  private int acquireSlot() {
    synchronized (slots) {
      int slot = slots.nextClearBit(0);
      slots.set(slot);
      return slot;
    }
  }

  private WorkerProcess start() throws IOException, InterruptedException {
    int slot = acquireSlot();
    WorkerProcess worker;
    try {
      worker = WorkerProcess.launch(options, slot, pool);
    } catch (IOException | RuntimeException e) {
      release(slot);
      throw e;
    }
    starting.add(worker);
    try {
      if (pool.isClosed()) {
        worker.kill("backend closed");
      }
      worker.awaitReady(options.startupTimeout());
    } catch (IOException | InterruptedException | RuntimeException e) {
      release(slot);
      throw e;
    } finally {
      starting.remove(worker);
    }
    if (!pool.register(worker)) {
      worker.kill("backend closed");
      throw new IOException("local backend closed while worker " + worker.pid() + " started");
    }
    log.debug("Worker {} ready", worker.id());
    return worker;
  }
}
