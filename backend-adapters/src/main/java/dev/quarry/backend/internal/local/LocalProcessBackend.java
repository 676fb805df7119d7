package dev.quarry.backend.internal.local;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.internal.grants.InvocationGrant;
import dev.quarry.backend.local.LocalBackendOptions;
import dev.quarry.backend.local.LocalBackends;
import dev.quarry.backend.local.WorkerSandbox;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.storage.ObjectStore;
import dev.quarry.worker.TaskRunner;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of warm worker JVMs, each sandboxed (see {@link WorkerCommand}) and reaching storage only
 * through the backend ({@link StorageChannel}) under its running invocation's grant. Invocations
 * wait in a FIFO queue and go to the least-loaded worker with fewer than {@code
 * maxInFlightPerWorker} envelopes; a worker answers its envelopes in order. A worker that dies
 * fails its in-flight invocations with {@link Kind#CRASH} and is replaced. All bookkeeping is
 * guarded by one lock; futures are completed outside it.
 *
 * <p>Long because it owns the worker pool's life: routing invocations to idle workers of the right
 * tenant, replacing crashed ones, deadlines and shutdown, which share one state.
 */
public final class LocalProcessBackend implements ComputeBackend, WorkerStarter.Pool {
  private static final Logger log = LoggerFactory.getLogger(LocalProcessBackend.class);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final LocalBackendOptions options;
  private final DeadlineWatchdog watchdog;
  private final WorkerStarter starter;
  private final @Nullable StorageChannel channel;
  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<PendingInvocation> waiting = new ArrayDeque<>();
  private final List<WorkerProcess> workers = new ArrayList<>();
  private final boolean dedicatedWorkers;
  private boolean closed;
  private boolean recycling;

  private LocalProcessBackend(LocalBackendOptions options) {
    this.options = options;
    this.watchdog = new DeadlineWatchdog(options.deadlineGrace(), lock);
    this.starter = new WorkerStarter(options, this);
    this.dedicatedWorkers = options.sandbox() != WorkerSandbox.NONE;
    this.channel =
        options
            .store()
            .map(
                s ->
                    new StorageChannel(
                        s, options.maxObjectBytes(), options.tenantObjects().orElse(null)))
            .orElse(null);
  }

  /**
   * Starts the pool and waits until every worker is ready.
   *
   * @throws BackendException ({@link Kind#PERMANENT}) if a worker cannot be started
   */
  public static LocalProcessBackend start(LocalBackendOptions options) {
    checkHost(options);
    if (options.sandbox() == WorkerSandbox.NONE) {
      log.warn(
          "\n*** quarry.backend.sandbox=none: local workers run UNSANDBOXED (trusted single-tenant"
              + " mode). Tenant code can read this server's files, configuration and secrets and"
              + " reach its database. Never use it with more than one tenant. ***");
    }
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

  /**
   * Fails fast when the sandbox cannot work on this host.
   *
   * @throws BackendException ({@link Kind#PERMANENT}) naming what is missing and the way out
   */
  public static void checkHost(LocalBackendOptions options) {
    WorkerCommand.checkHost(options);
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
    TaskEnvelope sent =
        channel == null
            ? envelope
            : envelope.toBuilder()
                .setStorage(StorageSettings.newBuilder().setType(TaskRunner.CHANNEL_STORAGE))
                .build();
    InvocationGrant grant;
    try {
      grant = InvocationGrant.of(envelope);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new BackendException(Kind.PERMANENT, e.getMessage(), e));
    }
    @Nullable ObjectStore store = null;
    if (channel != null && options.storeSelector().isPresent()) {
      try {
        store = options.storeSelector().get().storeFor(envelope);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(
            e instanceof BackendException b
                ? b
                : new BackendException(
                    Kind.PERMANENT, "cannot open the invocation's store: " + e.getMessage(), e));
      }
    }
    PendingInvocation pending =
        new PendingInvocation(
            sent, new CompletableFuture<>(), System.currentTimeMillis(), grant, store);
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
    // the id the backend knows the worker by (in its sandbox the worker sees another pid)
    done.future().complete(summary.toBuilder().setWorkerId(worker.id()).build());
  }

  @Override
  public StorageReply onStorageCall(WorkerProcess worker, StorageCall call) {
    PendingInvocation running;
    lock.lock();
    try {
      running = worker.inFlight.peekFirst();
    } finally {
      lock.unlock();
    }
    if (channel == null) {
      return StorageReply.newBuilder()
          .setCallId(call.getCallId())
          .setDenied(true)
          .setError("this backend has no storage channel")
          .build();
    }
    return channel.serve(worker.id(), running, call);
  }

  @Override
  public void onExit(WorkerProcess worker, int exitCode) {
    List<PendingInvocation> failed;
    boolean serving;
    boolean closing;
    lock.lock();
    try {
      serving = workers.remove(worker);
      if (serving) {
        starter.release(worker.slot()); // a worker that never registered released it on failure
      }
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
      recycling = false;
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

  /**
   * Guarded by {@link #lock}. Hands queued invocations, in order, to the least-loaded worker with
   * room. A sandboxed worker serves one tenant for its whole life (tenant code could otherwise
   * leave a thread behind that watches the next tenant's invocations): an invocation whose tenant
   * has no worker with room waits, and an idle worker of another tenant is recycled for it, one at
   * a time; if none is idle, the other tenant's least-loaded worker takes no new invocations until
   * it is, so a tenant's backlog cannot starve another tenant.
   */
  private void dispatch() {
    // re-decided below: the oldest blocked invocation marks one worker before younger ones run
    workers.forEach(w -> w.draining = false);
    for (var it = waiting.iterator(); it.hasNext(); ) {
      PendingInvocation head = it.next();
      if (head.future().isDone()) {
        it.remove(); // cancelled by the caller
        continue;
      }
      String tenant = head.envelope().getTenantId();
      WorkerProcess target = null;
      WorkerProcess idleOther = null;
      boolean anyRoom = false;
      WorkerProcess busiestOther = null;
      for (WorkerProcess worker : workers) {
        int load = worker.inFlight.size();
        if (worker.killReason() != null) {
          continue;
        }
        boolean mine = !dedicatedWorkers || worker.tenant == null || worker.tenant.equals(tenant);
        if (!mine && load == 0) {
          idleOther = idleOther == null ? worker : idleOther;
        } else if (!mine && (busiestOther == null || load < busiestOther.inFlight.size())) {
          busiestOther = worker; // the other tenant's worker that would drain first
        }
        if (load >= options.maxInFlightPerWorker() || worker.draining) {
          continue;
        }
        anyRoom = true;
        if (mine && (target == null || load < target.inFlight.size())) {
          target = worker;
        }
      }
      if (target == null) {
        if (!recycling && idleOther != null) {
          recycling = true;
          idleOther.kill("recycled: the next invocation is another tenant's");
        } else if (!recycling
            && busiestOther != null
            && workers.stream().noneMatch(w -> w.draining)) {
          // takes no new work, so the oldest waiting tenant cannot be starved by another's backlog
          busiestOther.draining = true;
        }
        if (!anyRoom) {
          return;
        }
        continue;
      }
      it.remove();
      PendingInvocation next = head.startingAt(System.currentTimeMillis());
      target.tenant = tenant;
      target.inFlight.addLast(next);
      target.send(next.envelope());
      if (target.inFlight.size() == 1) {
        watchdog.watchHead(target);
      }
    }
  }
}
