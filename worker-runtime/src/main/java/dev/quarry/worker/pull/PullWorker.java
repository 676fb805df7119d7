package dev.quarry.worker.pull;

import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.ServerMessage;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.WorkerDrain;
import dev.quarry.proto.v1.WorkerHeartbeat;
import dev.quarry.proto.v1.WorkerHello;
import dev.quarry.proto.v1.WorkerMessage;
import dev.quarry.proto.v1.WorkerServiceGrpc;
import dev.quarry.proto.v1.WorkerWelcome;
import dev.quarry.storage.StorageException;
import dev.quarry.worker.TaskRunner;
import dev.quarry.worker.internal.ChannelObjectStore;
import dev.quarry.worker.internal.ChannelObjects;
import dev.quarry.worker.internal.StoragePipe;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pull worker: keeps one {@code WorkerService.Connect} stream open to the server, runs the
 * invocations it is given on {@code slots} threads with one shared {@link TaskRunner} (functions
 * cached by digest), reaches storage only over the stream, heartbeats the invocations it runs, and
 * reconnects with exponential backoff (200 ms doubling to 30 s, with jitter) when the server goes
 * away. A refused token (UNAUTHENTICATED, PERMISSION_DENIED) or a refused hello (INVALID_ARGUMENT)
 * ends it: retrying would not help. {@link #drain()} (SIGTERM) tells the server to send nothing
 * new, waits for what the worker holds, and ends the stream.
 *
 * <p>Long because connecting, running slots, heartbeats, storage calls and draining all act on the
 * one stream and its state; the slot runner and the storage codec already live elsewhere.
 */
public final class PullWorker {
  /** {@link #run()}'s result when drained or stopped. */
  public static final int EXIT_OK = 0;

  /** {@link #run()}'s result when the server refused the token or the hello. */
  public static final int EXIT_REFUSED = 4;

  private static final Logger log = LoggerFactory.getLogger(PullWorker.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration STORAGE_TIMEOUT = Duration.ofMinutes(2);
  private static final int MAX_INBOUND = 80 << 20;

  private final PullWorkerOptions options;
  private final ManagedChannel channel;
  private final ExecutorService slots;
  private final ScheduledExecutorService timer;
  private final TaskRunner runner;
  private final InheritableThreadLocal<String> current = new InheritableThreadLocal<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong callIds = new AtomicLong();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean draining;
  private volatile @Nullable Connection connection;
  private volatile long maxWriteBytes = 60 << 20;
  private volatile long lastBusyNanos = System.nanoTime();

  public PullWorker(PullWorkerOptions options) {
    this.options = options;
    ChannelCredentials credentials =
        options.tls() ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
    this.channel =
        Grpc.newChannelBuilder(options.target(), credentials)
            .maxInboundMessageSize(MAX_INBOUND)
            .build();
    this.slots =
        Executors.newFixedThreadPool(
            options.slots(), Thread.ofPlatform().name("quarry-slot-", 1).factory());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("quarry-heartbeat").factory());
    StoragePipe storage =
        new StoragePipe(this::storageCall, this::currentInvocation, () -> maxWriteBytes);
    this.runner =
        new TaskRunner(
            "pull-" + options.name(),
            TaskRunner.defaultJarCacheDir(),
            Clock.systemUTC(),
            new ChannelObjectStore(storage),
            new ChannelObjects(storage));
  }

  /**
   * Serves until drained or refused; reconnects with backoff meanwhile.
   *
   * @return {@link #EXIT_OK} or {@link #EXIT_REFUSED}
   */
  public int run() throws InterruptedException {
    if (!options.idleExit().isZero()) {
      timer.scheduleWithFixedDelay(this::exitWhenIdle, 1, 1, TimeUnit.SECONDS);
    }
    Duration backoff = MIN_BACKOFF;
    try {
      while (!draining) {
        Connection c = new Connection();
        connection = c;
        c.start();
        Status end = c.ended.join();
        connection = null;
        if (draining) {
          break;
        }
        switch (end.getCode()) {
          case UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT -> {
            log.error("Server refused this worker: {} {}", end.getCode(), end.getDescription());
            return EXIT_REFUSED;
          }
          default -> {}
        }
        if (c.welcomedForMs() > MAX_BACKOFF.toMillis()) {
          backoff = MIN_BACKOFF;
        }
        long sleep =
            backoff.toMillis() / 2 + ThreadLocalRandom.current().nextLong(backoff.toMillis());
        log.warn(
            "Connection to {} ended ({} {}); reconnecting in {} ms",
            options.target(),
            end.getCode(),
            end.getDescription(),
            sleep);
        if (stopped.await(sleep, TimeUnit.MILLISECONDS)) {
          break;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
      return EXIT_OK;
    } finally {
      shutdown();
    }
  }

  /**
   * Takes nothing new, waits (up to the drain timeout) for the invocations held to finish and their
   * outcomes to be sent, then ends the stream; {@link #run()} returns.
   */
  public void drain() throws InterruptedException {
    draining = true;
    Connection c = connection;
    if (c != null) {
      c.send(WorkerMessage.newBuilder().setDrain(WorkerDrain.getDefaultInstance()).build());
      // invocations sent before the server saw the drain still arrive and run; the server says
      // "drained" once this worker holds none
      try {
        c.drained.get(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        log.warn("Drain did not complete ({}); leaving anyway", e.toString());
      }
      c.finish();
      // the server closes its side once it has read everything before the half-close: only then
      // are the last outcomes surely delivered
      try {
        c.ended.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        log.warn("The server did not confirm the end of the stream: {}", e.toString());
      }
    }
    stopped.countDown();
  }

  /** Drains once nothing has run for the idle-exit time (the pod of a Kubernetes pool ends). */
  private void exitWhenIdle() {
    if (draining) {
      return;
    }
    Connection c = connection;
    if (running.get() > 0 || c == null || c.welcomedForMs() == 0) {
      lastBusyNanos = System.nanoTime(); // busy, or not connected: not idle
      return;
    }
    if (System.nanoTime() - lastBusyNanos >= options.idleExit().toNanos()) {
      log.info("Idle for {} s: draining and exiting", options.idleExit().toSeconds());
      try {
        drain();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void shutdown() {
    slots.shutdownNow();
    timer.shutdownNow();
    channel.shutdownNow();
    runner.close();
  }

  private String currentInvocation() {
    String id = current.get();
    return id == null ? "" : id;
  }

  private StorageReply storageCall(StorageCall.Builder call) {
    Connection c = connection;
    if (c == null) {
      throw new StorageException("not connected to the server", true);
    }
    return c.storage(call);
  }

  /** One Connect stream; a new one after each reconnect. */
  private final class Connection implements StreamObserver<ServerMessage> {
    final CompletableFuture<Status> ended = new CompletableFuture<>();
    final CompletableFuture<Void> drained = new CompletableFuture<>();
    final Map<Long, CompletableFuture<StorageReply>> calls = new ConcurrentHashMap<>();
    final Map<String, Boolean> held = new ConcurrentHashMap<>();
    volatile @Nullable StreamObserver<WorkerMessage> out;
    volatile @Nullable ScheduledFuture<?> heartbeat;
    volatile long welcomedAtMs;

    void start() {
      CallCredentials token =
          new CallCredentials() {
            @Override
            public void applyRequestMetadata(
                RequestInfo info, java.util.concurrent.Executor executor, MetadataApplier applier) {
              Metadata headers = new Metadata();
              headers.put(AUTHORIZATION, "Bearer " + options.token());
              applier.apply(headers);
            }
          };
      out = WorkerServiceGrpc.newStub(channel).withCallCredentials(token).connect(this);
      send(
          WorkerMessage.newBuilder()
              .setHello(
                  WorkerHello.newBuilder()
                      .setSlots(options.slots())
                      .setName(options.name())
                      .setProtocol(1))
              .build());
    }

    long welcomedForMs() {
      return welcomedAtMs == 0 ? 0 : System.currentTimeMillis() - welcomedAtMs;
    }

    synchronized void send(WorkerMessage message) {
      StreamObserver<WorkerMessage> o = out;
      if (o == null || ended.isDone()) {
        return;
      }
      try {
        o.onNext(message);
      } catch (RuntimeException e) {
        log.debug("Send failed: {}", e.toString());
      }
    }

    synchronized void finish() {
      StreamObserver<WorkerMessage> o = out;
      if (o != null && !ended.isDone()) {
        o.onCompleted();
      }
    }

    StorageReply storage(StorageCall.Builder call) {
      long id = callIds.incrementAndGet();
      CompletableFuture<StorageReply> reply = new CompletableFuture<>();
      calls.put(id, reply);
      try {
        if (ended.isDone()) {
          throw new StorageException("connection to the server lost", true);
        }
        send(WorkerMessage.newBuilder().setStorage(call.setCallId(id)).build());
        return reply.get(STORAGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new StorageException("connection to the server lost", true, e.getCause());
      } catch (TimeoutException e) {
        throw new StorageException("storage call timed out", true, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException("interrupted during a storage call", true, e);
      } finally {
        calls.remove(id);
      }
    }

    @Override
    public void onNext(ServerMessage message) {
      switch (message.getMessageCase()) {
        case WELCOME -> welcome(message.getWelcome());
        case INVOCATION -> start(message.getInvocation());
        case STORAGE -> {
          CompletableFuture<StorageReply> waiting = calls.get(message.getStorage().getCallId());
          if (waiting != null) {
            waiting.complete(message.getStorage());
          }
        }
        case LEASE_LOST -> {
          held.remove(message.getLeaseLost().getInvocationId());
          log.warn(
              "Server took back invocation {}: {}",
              message.getLeaseLost().getInvocationId(),
              message.getLeaseLost().getReason());
        }
        case DRAINED -> drained.complete(null);
        default -> log.debug("Ignoring unknown server message {}", message.getMessageCase());
      }
    }

    private void welcome(WorkerWelcome welcome) {
      welcomedAtMs = System.currentTimeMillis();
      lastBusyNanos = System.nanoTime(); // idle time counts from the welcome
      if (welcome.getMaxMessageBytes() > 0) {
        // room for the message's other fields
        maxWriteBytes = Math.max(1, welcome.getMaxMessageBytes() - (64 << 10));
      }
      long every = Math.max(50, welcome.getHeartbeatIntervalMs());
      heartbeat = timer.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
      log.info(
          "Connected to {} as session {} (tenant {}, profile {}), {} slots",
          options.target(),
          welcome.getSessionId(),
          welcome.getTenantId(),
          welcome.getProfile(),
          options.slots());
    }

    private void beat() {
      send(
          WorkerMessage.newBuilder()
              .setHeartbeat(WorkerHeartbeat.newBuilder().addAllInvocationIds(held.keySet()))
              .build());
    }

    private void start(TaskEnvelope envelope) {
      held.put(envelope.getInvocationId(), Boolean.TRUE);
      running.incrementAndGet();
      try {
        slots.execute(() -> runOne(envelope));
      } catch (RuntimeException e) {
        running.decrementAndGet();
        held.remove(envelope.getInvocationId());
      }
    }

    private void runOne(TaskEnvelope envelope) {
      try {
        current.set(envelope.getInvocationId());
        log.info(
            "Running invocation {} (job {}, {} tasks)",
            envelope.getInvocationId(),
            envelope.getJobId(),
            envelope.getTasksCount());
        InvocationSummary summary = runner.run(envelope);
        if (held.remove(envelope.getInvocationId()) != null) {
          send(WorkerMessage.newBuilder().setOutcome(summary).build());
        }
      } finally {
        current.remove();
        lastBusyNanos = System.nanoTime();
        running.decrementAndGet();
      }
    }

    @Override
    public void onError(Throwable t) {
      end(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end(Status.OK);
    }

    private void end(Status status) {
      ScheduledFuture<?> h = heartbeat;
      if (h != null) {
        h.cancel(false);
      }
      held.clear();
      StorageException lost = new StorageException("connection to the server lost", true);
      calls.values().forEach(c -> c.completeExceptionally(lost));
      ended.complete(status);
      drained.complete(null);
    }
  }
}
