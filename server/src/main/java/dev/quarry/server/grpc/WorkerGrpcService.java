package dev.quarry.server.grpc;

import dev.quarry.backend.pull.PullPool;
import dev.quarry.backend.pull.WorkerLink;
import dev.quarry.backend.pull.WorkerSession;
import dev.quarry.proto.v1.ServerMessage;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.WorkerHello;
import dev.quarry.proto.v1.WorkerMessage;
import dev.quarry.proto.v1.WorkerServiceGrpc;
import dev.quarry.proto.v1.WorkerWelcome;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.backend.standalone.StandaloneBackendPlugin;
import dev.quarry.server.workers.WorkerIdentity;
import dev.quarry.server.workers.WorkerProperties;
import dev.quarry.server.workers.WorkerSessions;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The pull workers' {@code WorkerService.Connect}: one stream per worker process, authenticated by
 * {@link WorkerAuthInterceptor}. The stream is the transport of a {@link WorkerSession} of the
 * token's profile pool; every message is checked (hello first and once, slots and name bounded,
 * heartbeat lists bounded, storage calls in flight bounded) and a broken rule ends the stream with
 * INVALID_ARGUMENT. Storage calls run on virtual threads so a slow object never holds up the
 * worker's heartbeats.
 *
 * <p>Long because every message of the stream (hello, slots, results, heartbeats, storage calls,
 * drain) has its own bounds and errors, all against the one session of the stream.
 */
@Component
public class WorkerGrpcService extends WorkerServiceGrpc.WorkerServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(WorkerGrpcService.class);
  private static final int MAX_NAME = 128;

  private final StandaloneBackendPlugin standalone;
  private final WorkerSessions sessions;
  private final WorkerProperties props;
  private final int maxMessageBytes;
  private final ExecutorService storageCalls = Executors.newVirtualThreadPerTaskExecutor();

  WorkerGrpcService(
      StandaloneBackendPlugin standalone,
      WorkerSessions sessions,
      WorkerProperties props,
      QuarryProperties quarry) {
    this.standalone = standalone;
    this.sessions = sessions;
    this.props = props;
    this.maxMessageBytes = quarry.limits().maxRequestBytes();
  }

  @Override
  public StreamObserver<WorkerMessage> connect(StreamObserver<ServerMessage> responses) {
    WorkerIdentity worker = WorkerAuthInterceptor.WORKER.get();
    return new Stream(worker, (ServerCallStreamObserver<ServerMessage>) responses);
  }

  /** One worker's stream: its session's link, and the reader of its messages. */
  private final class Stream
      implements StreamObserver<WorkerMessage>, WorkerLink, WorkerSessions.Connection {
    private final WorkerIdentity worker;
    private final ServerCallStreamObserver<ServerMessage> out;
    private final Semaphore storageSlots = new Semaphore(1);
    private volatile @Nullable WorkerSession session;
    private boolean ended;
    private int maxHeartbeatIds;

    Stream(WorkerIdentity worker, ServerCallStreamObserver<ServerMessage> out) {
      this.worker = worker;
      this.out = out;
      out.setOnCancelHandler(() -> end(null, "connection lost"));
    }

    @Override
    public void onNext(WorkerMessage message) {
      WorkerSession s = session;
      switch (message.getMessageCase()) {
        case HELLO -> {
          if (s != null) {
            refuse("hello was already sent");
            return;
          }
          hello(message.getHello());
        }
        case HEARTBEAT -> {
          if (s == null) {
            refuse("the first message must be a hello");
          } else if (message.getHeartbeat().getInvocationIdsCount() > maxHeartbeatIds) {
            refuse("a heartbeat lists at most " + maxHeartbeatIds + " invocations");
          } else {
            s.heartbeat(message.getHeartbeat().getInvocationIdsList());
          }
        }
        case OUTCOME -> {
          if (s == null) {
            refuse("the first message must be a hello");
          } else if (!s.complete(message.getOutcome())) {
            log.info(
                "Dropped the outcome of invocation {} from worker {}: it holds no lease on it",
                clip(message.getOutcome().getInvocationId()),
                s.id());
          }
        }
        case STORAGE -> {
          if (s == null) {
            refuse("the first message must be a hello");
          } else {
            storage(s, message.getStorage());
          }
        }
        case DRAIN -> {
          if (s == null) {
            refuse("the first message must be a hello");
          } else {
            s.drain();
          }
        }
        default -> refuse("empty or unknown worker message");
      }
    }

    private void hello(WorkerHello hello) {
      if (hello.getSlots() < 1 || hello.getSlots() > props.maxSlots()) {
        refuse("slots must be between 1 and " + props.maxSlots() + ", got " + hello.getSlots());
        return;
      }
      if (hello.getName().length() > MAX_NAME) {
        refuse("name must be at most " + MAX_NAME + " characters");
        return;
      }
      if (hello.getProtocol() > 1) {
        refuse("protocol " + hello.getProtocol() + " is not spoken here; this server speaks 1");
        return;
      }
      PullPool pool = standalone.pool(worker.tenantId(), worker.profile());
      String name = hello.getName().isBlank() ? "worker" : hello.getName();
      // room for the worker's own storage calls: each slot may wait on a few at once
      storageSlots.release(hello.getSlots() * 4 - 1);
      maxHeartbeatIds = hello.getSlots() * 2 + 16;
      synchronized (this) {
        if (ended) {
          return;
        }
        try {
          session = pool.connect(name, hello.getSlots(), this);
        } catch (IllegalStateException e) {
          // the pool closed: the server is stopping; the worker reconnects with backoff
          end(Status.UNAVAILABLE.withDescription("the server is stopping"), "server stopping");
          return;
        }
        sessions.add(worker.tokenId(), this);
        write(
            ServerMessage.newBuilder()
                .setWelcome(
                    WorkerWelcome.newBuilder()
                        .setSessionId(session.id())
                        .setTenantId(worker.tenantId())
                        .setProfile(worker.profile())
                        .setHeartbeatIntervalMs(props.heartbeatInterval().toMillis())
                        .setLeaseMs(props.leaseTime().toMillis())
                        .setMaxSlots(props.maxSlots())
                        .setMaxMessageBytes(maxMessageBytes))
                .build());
      }
    }

    private void storage(WorkerSession s, StorageCall call) {
      if (!storageSlots.tryAcquire()) {
        write(
            ServerMessage.newBuilder()
                .setStorage(
                    StorageReply.newBuilder()
                        .setCallId(call.getCallId())
                        .setError("too many storage calls in flight")
                        .setRetryable(true))
                .build());
        return;
      }
      storageCalls.execute(
          () -> {
            try {
              StorageReply reply = s.storage(call);
              write(ServerMessage.newBuilder().setStorage(reply).build());
            } finally {
              storageSlots.release();
            }
          });
    }

    @Override
    public void onError(Throwable t) {
      end(null, "connection lost: " + Status.fromThrowable(t).getCode());
    }

    @Override
    public void onCompleted() {
      end(Status.OK, "the worker ended the stream");
    }

    @Override
    public void send(TaskEnvelope envelope) {
      synchronized (this) {
        if (ended) {
          throw new IllegalStateException("stream ended");
        }
        out.onNext(ServerMessage.newBuilder().setInvocation(envelope).build());
      }
    }

    @Override
    public void leaseLost(String invocationId, String reason) {
      write(
          ServerMessage.newBuilder()
              .setLeaseLost(
                  dev.quarry.proto.v1.LeaseLost.newBuilder()
                      .setInvocationId(invocationId)
                      .setReason(reason))
              .build());
    }

    @Override
    public void drained() {
      write(
          ServerMessage.newBuilder()
              .setDrained(dev.quarry.proto.v1.WorkerDrained.getDefaultInstance())
              .build());
    }

    @Override
    public void disconnect(String reason) {
      end(Status.UNAVAILABLE.withDescription(reason), reason);
    }

    @Override
    public void revoke(String reason) {
      end(Status.PERMISSION_DENIED.withDescription(reason), reason);
    }

    private void refuse(String why) {
      end(Status.INVALID_ARGUMENT.withDescription(why), "refused: " + why);
    }

    private void write(ServerMessage message) {
      synchronized (this) {
        if (ended) {
          return;
        }
        try {
          out.onNext(message);
        } catch (RuntimeException e) {
          log.debug("Write to worker failed: {}", e.toString());
        }
      }
    }

    /** Ends the session (its invocations are retried) and, with a status, the stream. */
    private void end(@Nullable Status status, String reason) {
      WorkerSession s;
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
        s = session;
        if (status != null) {
          try {
            if (status.isOk()) {
              out.onCompleted();
            } else {
              out.onError(status.asRuntimeException());
            }
          } catch (RuntimeException e) {
            log.debug("Closing a worker stream failed: {}", e.toString());
          }
        }
      }
      if (s != null) {
        sessions.remove(worker.tokenId(), this);
        s.close(reason);
      }
    }
  }

  private static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }
}
