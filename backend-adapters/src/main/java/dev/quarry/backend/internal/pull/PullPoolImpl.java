package dev.quarry.backend.internal.pull;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.internal.grants.GrantedStorage;
import dev.quarry.backend.internal.grants.InvocationGrant;
import dev.quarry.backend.internal.grants.TenantObjectCalls;
import dev.quarry.backend.pull.PullPool;
import dev.quarry.backend.pull.PullPoolOptions;
import dev.quarry.backend.pull.PullPools;
import dev.quarry.backend.pull.WorkerLink;
import dev.quarry.backend.pull.WorkerSession;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.proto.v1.TaskOutcome;
import dev.quarry.worker.TaskRunner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pull pool. All state (queue, sessions, leases) is guarded by one monitor ({@code this});
 * futures are completed, workers sent to and listeners called only after it is released, so a
 * worker's link or a future's callback can never deadlock the pool. A periodic reaper takes back
 * leases that were not renewed and cuts off workers that went silent.
 *
 * <p>Long because the queue, the sessions, the leases and the reaper share the one monitor: split
 * apart, the rule that nothing is called while it is held would span several classes.
 */
public final class PullPoolImpl implements PullPool {
  private static final Logger log = LoggerFactory.getLogger(PullPoolImpl.class);
  private static final int MAX_NAME = 128;

  private final PullPoolOptions options;
  private final GrantedStorage storage;
  private final TenantObjectCalls objects;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private final Map<String, Session> sessions = new LinkedHashMap<>();
  private final Map<String, Lease> leases = new HashMap<>();
  private final ScheduledFuture<?> reaper;
  private boolean closed;

  public PullPoolImpl(PullPoolOptions options) {
    this.options = options;
    this.storage = new GrantedStorage(options.store(), options.maxObjectBytes());
    this.objects =
        new TenantObjectCalls(options.tenantObjects().orElse(null), options.maxObjectBytes());
    long period = Math.max(20, options.leaseTime().toMillis() / 4);
    this.reaper =
        options
            .scheduler()
            .scheduleWithFixedDelay(this::reapSafely, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public String type() {
    return PullPools.TYPE;
  }

  @Override
  public synchronized int capacity() {
    int total = 0;
    for (Session s : sessions.values()) {
      if (!s.draining) {
        total += s.slots;
      }
    }
    return total;
  }

  @Override
  public synchronized int workers() {
    return sessions.size();
  }

  @Override
  public synchronized int queued() {
    return queue.size();
  }

  @Override
  public CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope) {
    InvocationGrant grant;
    try {
      grant = InvocationGrant.of(envelope);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new BackendException(Kind.PERMANENT, e.getMessage(), e));
    }
    TaskEnvelope sent =
        envelope.toBuilder()
            .setStorage(StorageSettings.newBuilder().setType(TaskRunner.CHANNEL_STORAGE))
            .build();
    Queued q = new Queued(sent, grant, new CompletableFuture<>(), now());
    List<Runnable> after;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(
            new BackendException(Kind.TRANSIENT, "the pull pool is closed"));
      }
      queue.addLast(q);
      after = handOut();
    }
    after.forEach(Runnable::run);
    return q.future;
  }

  @Override
  public WorkerSession connect(String name, int slots, WorkerLink link) {
    if (slots < 1 || slots > options.maxSlots()) {
      throw new IllegalArgumentException(
          "slots must be between 1 and " + options.maxSlots() + ", got " + slots);
    }
    String clipped = name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
    Session session = new Session(UUID.randomUUID().toString(), clipped, slots, link);
    List<Runnable> after;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the pull pool is closed");
      }
      sessions.put(session.id, session);
      after = handOut();
    }
    log.info("Worker {} ({}) connected with {} slots", session.id, clipped, slots);
    after.forEach(Runnable::run);
    options.onCapacityChange().run();
    return session;
  }

  @Override
  public void close() {
    List<Runnable> after = new ArrayList<>();
    List<Session> ended;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      reaper.cancel(false);
      for (Queued q : queue) {
        after.add(fail(q.future, Kind.TRANSIENT, "the pull pool closed"));
      }
      queue.clear();
      ended = new ArrayList<>(sessions.values());
      for (Session s : ended) {
        after.addAll(end(s, "the pull pool closed"));
      }
    }
    after.forEach(Runnable::run);
    for (Session s : ended) {
      s.link.disconnect("the server is stopping");
    }
  }

  /**
   * Gives queued invocations to workers with free slots, the worker with the most free slots first.
   * Returns the sends to run once the monitor is released.
   */
  private List<Runnable> handOut() {
    List<Runnable> after = new ArrayList<>();
    while (!queue.isEmpty()) {
      Session best = null;
      for (Session s : sessions.values()) {
        if (!s.draining && s.free() > 0 && (best == null || s.free() > best.free())) {
          best = s;
        }
      }
      if (best == null) {
        break;
      }
      Queued q = queue.pollFirst();
      long now = now();
      TaskEnvelope envelope = q.envelope;
      if (envelope.getDeadlineMs() > 0 && now > q.queuedAtMs) {
        // time spent queued does not count against the deadline (as on the local backend)
        envelope =
            envelope.toBuilder()
                .setDeadlineMs(envelope.getDeadlineMs() + now - q.queuedAtMs)
                .build();
      }
      Lease lease = new Lease(envelope, q.grant, q.future, best, now + leaseMs());
      leases.put(lease.id(), lease);
      best.held.put(lease.id(), lease);
      Session to = best;
      TaskEnvelope sent = envelope;
      after.add(() -> send(to, sent));
    }
    return after;
  }

  private void send(Session session, TaskEnvelope envelope) {
    try {
      session.link.send(envelope);
    } catch (RuntimeException e) {
      log.warn("Worker {} unreachable: {}", session.id, e.toString());
      session.close("unreachable: " + e.getMessage());
    }
  }

  private void reapSafely() {
    try {
      reap();
    } catch (RuntimeException e) {
      log.error("Pull pool lease reaper failed a round", e);
    }
  }

  /** Takes back expired leases and cuts off workers not heard from for a lease time. */
  void reap() {
    List<Runnable> after = new ArrayList<>();
    List<Session> silent = new ArrayList<>();
    long now = now();
    long grace = options.deadlineGrace().toMillis();
    synchronized (this) {
      for (Session s : sessions.values()) {
        if (now - s.lastSeenMs > leaseMs()) {
          silent.add(s);
        }
      }
      for (Session s : silent) {
        after.addAll(end(s, "missed heartbeats for " + leaseMs() + " ms"));
      }
      for (Iterator<Lease> it = leases.values().iterator(); it.hasNext(); ) {
        Lease l = it.next();
        long deadline = l.envelope.getDeadlineMs();
        boolean late = deadline > 0 && now > deadline + grace;
        if (now > l.expiresAtMs || late) {
          it.remove();
          l.session.held.remove(l.id());
          String why =
              late
                  ? "invocation ran past its deadline on worker " + l.session.name
                  : "worker " + l.session.name + " did not renew the lease";
          after.add(fail(l.future, Kind.CRASH, why));
          Session s = l.session;
          after.add(() -> s.link.leaseLost(l.id(), why));
          if (s.draining && s.held.isEmpty()) {
            after.add(s.link::drained);
          }
        }
      }
      after.addAll(handOut());
    }
    after.forEach(Runnable::run);
    for (Session s : silent) {
      log.warn("Worker {} ({}) went silent; its leases were taken back", s.id, s.name);
      s.link.disconnect("missed heartbeats");
    }
    if (!silent.isEmpty()) {
      options.onCapacityChange().run();
    }
  }

  /** Removes a session (under the monitor) and fails what it holds; returns the completions. */
  private List<Runnable> end(Session s, String reason) {
    List<Runnable> after = new ArrayList<>();
    if (sessions.remove(s.id) == null) {
      return after;
    }
    s.open = false;
    for (Lease l : s.held.values()) {
      leases.remove(l.id());
      after.add(fail(l.future, Kind.CRASH, "worker " + s.name + " lost: " + reason));
    }
    s.held.clear();
    return after;
  }

  /**
   * The summary with only outcomes of the envelope's own tasks, each pointing at the keys the
   * server chose for it: a worker cannot name another task's (or tenant's) object as a result.
   */
  static InvocationSummary confined(TaskEnvelope envelope, InvocationSummary summary) {
    Map<String, TaskInput> tasks = new HashMap<>();
    for (TaskInput t : envelope.getTasksList()) {
      tasks.put(t.getTaskId() + "#" + t.getAttempt(), t);
    }
    InvocationSummary.Builder out = summary.toBuilder().clearOutcomes();
    for (TaskOutcome o : summary.getOutcomesList()) {
      TaskInput t = tasks.remove(o.getTaskId() + "#" + o.getAttempt());
      if (t == null) {
        continue;
      }
      TaskOutcome.Builder b = o.toBuilder().setIndex(t.getIndex());
      if (!o.getResultKey().isEmpty()) {
        b.setResultKey(t.getResultKey());
      }
      if (!o.getLogKey().isEmpty()) {
        b.setLogKey(t.getLogKey());
      }
      out.addOutcomes(b);
    }
    return out.build();
  }

  private static Runnable fail(
      CompletableFuture<InvocationSummary> future, Kind kind, String message) {
    return () -> future.completeExceptionally(new BackendException(kind, message));
  }

  private long leaseMs() {
    return options.leaseTime().toMillis();
  }

  private long now() {
    return options.clock().millis();
  }

  private record Queued(
      TaskEnvelope envelope,
      InvocationGrant grant,
      CompletableFuture<InvocationSummary> future,
      long queuedAtMs) {}

  private static final class Lease {
    final TaskEnvelope envelope;
    final InvocationGrant grant;
    final CompletableFuture<InvocationSummary> future;
    final Session session;
    long expiresAtMs;

    Lease(
        TaskEnvelope envelope,
        InvocationGrant grant,
        CompletableFuture<InvocationSummary> future,
        Session session,
        long expiresAtMs) {
      this.envelope = envelope;
      this.grant = grant;
      this.future = future;
      this.session = session;
      this.expiresAtMs = expiresAtMs;
    }

    String id() {
      return envelope.getInvocationId();
    }
  }

  private final class Session implements WorkerSession {
    final String id;
    final String name;
    final int slots;
    final WorkerLink link;
    final Map<String, Lease> held = new HashMap<>();
    boolean draining;
    boolean open = true;
    long lastSeenMs = now();

    Session(String id, String name, int slots, WorkerLink link) {
      this.id = id;
      this.name = name;
      this.slots = slots;
      this.link = link;
    }

    int free() {
      return slots - held.size();
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public void heartbeat(Collection<String> invocationIds) {
      long now = now();
      synchronized (PullPoolImpl.this) {
        lastSeenMs = now;
        for (String invocation : invocationIds) {
          Lease l = held.get(invocation);
          if (l != null) {
            l.expiresAtMs = now + leaseMs();
          }
        }
      }
    }

    @Override
    public boolean complete(InvocationSummary summary) {
      Lease lease;
      List<Runnable> after;
      synchronized (PullPoolImpl.this) {
        lastSeenMs = now();
        lease = held.remove(summary.getInvocationId());
        if (lease == null) {
          return false;
        }
        leases.remove(lease.id());
        after = handOut();
        if (draining && held.isEmpty()) {
          after.add(link::drained);
        }
      }
      lease.future.complete(confined(lease.envelope, summary));
      after.forEach(Runnable::run);
      return true;
    }

    @Override
    public StorageReply storage(StorageCall call) {
      Lease l;
      synchronized (PullPoolImpl.this) {
        lastSeenMs = now();
        l = held.get(call.getInvocationId());
      }
      // a lease held now, or nothing: a lost or ended lease revokes both the grant and the
      // tenant's objects
      if (TenantObjectCalls.isObjectCall(call)) {
        return objects.serve(name, l == null ? null : l.envelope.getTenantId(), call);
      }
      return storage.serve(name, l == null ? null : l.grant, call);
    }

    @Override
    public void drain() {
      boolean idle;
      synchronized (PullPoolImpl.this) {
        if (draining || !open) {
          return;
        }
        draining = true;
        idle = held.isEmpty();
      }
      log.info("Worker {} ({}) is draining", id, name);
      if (idle) {
        link.drained();
      }
      options.onCapacityChange().run();
    }

    @Override
    public void close(String reason) {
      List<Runnable> after;
      synchronized (PullPoolImpl.this) {
        if (!open) {
          return;
        }
        after = end(this, reason);
      }
      log.info("Worker {} ({}) disconnected: {}", id, name, reason);
      after.forEach(Runnable::run);
      options.onCapacityChange().run();
    }

    @Override
    public boolean isOpen() {
      synchronized (PullPoolImpl.this) {
        return open;
      }
    }
  }

  /** For logs. */
  @Override
  public String toString() {
    return "PullPool[" + type() + "]";
  }

  @Nullable Session sessionForTest(String id) {
    synchronized (this) {
      return sessions.get(id);
    }
  }
}
