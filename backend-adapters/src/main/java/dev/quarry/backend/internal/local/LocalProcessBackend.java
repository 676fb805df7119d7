package dev.quarry.backend.internal.local;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.local.LocalBackendOptions;
import dev.quarry.backend.local.LocalBackends;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of warm worker JVMs. Invocations wait in a FIFO queue and go to the least-loaded worker
 * with fewer than {@code maxInFlightPerWorker} envelopes; a worker answers its envelopes in order.
 * A worker that dies fails its in-flight invocations with {@link Kind#CRASH} and is replaced. All
 * bookkeeping is guarded by one lock; futures are completed outside it.
 */
public final class LocalProcessBackend implements ComputeBackend, WorkerStarter.Pool {
  private static final Logger log = LoggerFactory.getLogger(LocalProcessBackend.class);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final LocalBackendOptions options;
  private final DeadlineWatchdog watchdog;
  private final WorkerStarter starter;
  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<PendingInvocation> waiting = new ArrayDeque<>();
  private final List<WorkerProcess> workers = new ArrayList<>();
  private boolean closed;

  private LocalProcessBackend(LocalBackendOptions options) {
    this.options = options;
    this.watchdog = new DeadlineWatchdog(options.deadlineGrace(), lock);
    this.starter = new WorkerStarter(options, this);
  }

  /**
   * Starts the pool and waits until every worker is ready.
   *
   * @throws BackendException ({@link Kind#PERMANENT}) if a worker cannot be started
   */
  public static LocalProcessBackend start(LocalBackendOptions options) {
    LocalProcessBackend backend = new LocalProcessBackend(options);
    long startNanos = System.nanoTime();
    try {
      backend.starter.startAll(options.poolSize());
    } catch (BackendException e) {
      backend.close();
      throw e;
    }
    log.info(
        "Local backend ready: {} workers in {} ms ({})",
        options.poolSize(),
        Duration.ofNanos(System.nanoTime() - startNanos).toMillis(),
        options);
    return backend;
  }

  @Override
  public String type() {
    return LocalBackends.TYPE;
  }

  @Override
  public int capacity() {
    return options.poolSize() * options.maxInFlightPerWorker();
  }

  @Override
  public CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope) {
    PendingInvocation pending =
        new PendingInvocation(envelope, new CompletableFuture<>(), System.currentTimeMillis());
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(
            new BackendException(Kind.TRANSIENT, "local backend is closed"));
      }
      waiting.addLast(pending);
      dispatch();
    } finally {
      lock.unlock();
    }
    return pending.future();
  }

  @Override
  public void onSummary(WorkerProcess worker, InvocationSummary summary) {
    PendingInvocation done;
    lock.lock();
    try {
      done = worker.inFlight.peekFirst();
      if (done == null || !done.id().equals(summary.getInvocationId())) {
        worker.kill("answered invocation '" + summary.getInvocationId() + "' out of order");
        return;
      }
      worker.inFlight.removeFirst();
      watchdog.watchHead(worker);
      dispatch();
    } finally {
      lock.unlock();
    }
    done.future().complete(summary);
  }

  @Override
  public void onExit(WorkerProcess worker, int exitCode) {
    List<PendingInvocation> failed;
    boolean serving;
    boolean closing;
    lock.lock();
    try {
      serving = workers.remove(worker);
      watchdog.cancel(worker);
      failed = new ArrayList<>(worker.inFlight);
      worker.inFlight.clear();
      closing = closed;
    } finally {
      lock.unlock();
    }
    String reason = worker.killReason();
    String message =
        "worker "
            + worker.pid()
            + " exited with code "
            + exitCode
            + (reason == null ? "" : " (" + reason + ")");
    if (serving && !closing) {
      log.warn(
          "{}; failing {} in-flight invocations and starting a replacement",
          message,
          failed.size());
    }
    Kind kind = closing ? Kind.TRANSIENT : Kind.CRASH;
    failed.forEach(p -> p.future().completeExceptionally(new BackendException(kind, message)));
    if (serving && !closing) {
      starter.replaceInBackground();
    }
  }

  /** Stops the workers; queued invocations and those still running after a short grace fail. */
  @Override
  public void close() {
    List<PendingInvocation> queued;
    List<WorkerProcess> live;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queued = new ArrayList<>(waiting);
      waiting.clear();
      live = new ArrayList<>(workers);
    } finally {
      lock.unlock();
    }
    starter.killStarting();
    queued.forEach(
        p ->
            p.future()
                .completeExceptionally(
                    new BackendException(
                        Kind.TRANSIENT, "local backend closed before the invocation started")));
    live.forEach(WorkerProcess::closeInput);
    long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
    try {
      for (WorkerProcess worker : live) {
        if (!worker.awaitExit(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
          worker.kill("backend closed");
          worker.awaitExit(Duration.ofSeconds(5));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      live.forEach(w -> w.kill("backend closed"));
    }
    watchdog.close();
    log.info("Local backend closed");
  }

  @Override
  public boolean register(WorkerProcess worker) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      workers.add(worker);
      dispatch();
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** Guarded by {@link #lock}. Hands queued invocations to workers with room. */
  private void dispatch() {
    while (!waiting.isEmpty()) {
      WorkerProcess target = null;
      for (WorkerProcess worker : workers) {
        int load = worker.inFlight.size();
        if (load < options.maxInFlightPerWorker()
            && worker.killReason() == null
            && (target == null || load < target.inFlight.size())) {
          target = worker;
        }
      }
      if (target == null) {
        return;
      }
      PendingInvocation next = waiting.removeFirst().startingAt(System.currentTimeMillis());
      if (next.future().isDone()) {
        continue; // cancelled by the caller
      }
      target.inFlight.addLast(next);
      target.send(next.envelope());
      if (target.inFlight.size() == 1) {
        watchdog.watchHead(target);
      }
    }
  }
}
