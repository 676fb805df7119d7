package dev.quarry.worker.local;

import dev.quarry.proto.v1.FromWorker;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.StorageReply;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.ToWorker;
import dev.quarry.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The worker's end of the protocol pipes. A reader thread splits what the backend sends into
 * envelopes (queued for the main loop) and storage replies (handed to the waiting caller); writes
 * are serialized on the output stream.
 */
final class WorkerPipe {
  private static final TaskEnvelope END = TaskEnvelope.getDefaultInstance();

  private final InputStream in;
  private final OutputStream out;
  private final BlockingQueue<TaskEnvelope> envelopes = new LinkedBlockingQueue<>();
  private final Map<Long, CompletableFuture<StorageReply>> calls = new ConcurrentHashMap<>();
  private final AtomicLong nextCall = new AtomicLong();
  private volatile @Nullable IOException failure;
  private volatile boolean ended;

  WorkerPipe(InputStream in, OutputStream out) {
    this.in = in;
    this.out = out;
  }

  void start() {
    Thread.ofPlatform().daemon().name("quarry-worker-pipe").start(this::readLoop);
  }

  /** The next envelope, or null at the end of input. */
  @Nullable TaskEnvelope nextEnvelope() throws IOException, InterruptedException {
    TaskEnvelope next = envelopes.take();
    if (next == END) {
      envelopes.add(END);
      if (failure != null) {
        throw failure;
      }
      return null;
    }
    return next;
  }

  void send(FromWorker message) throws IOException {
    synchronized (out) {
      message.writeDelimitedTo(out);
      out.flush();
    }
  }

  /**
   * Sends a storage call and waits for its reply.
   *
   * @throws StorageException (transient) if the pipe fails
   */
  StorageReply call(StorageCall.Builder call) {
    long id = nextCall.incrementAndGet();
    CompletableFuture<StorageReply> reply = new CompletableFuture<>();
    calls.put(id, reply);
    if (ended) {
      reply.completeExceptionally(new IOException("end of the backend's input"));
    }
    try {
      send(FromWorker.newBuilder().setCall(call.setCallId(id)).build());
      return reply.get();
    } catch (IOException e) {
      throw new StorageException("storage call over the worker pipe failed", true, e);
    } catch (ExecutionException e) {
      throw new StorageException("worker pipe closed during a storage call", true, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted during a storage call", true, e);
    } finally {
      calls.remove(id);
    }
  }

  private void readLoop() {
    try {
      ToWorker message;
      while ((message = ToWorker.parseDelimitedFrom(in)) != null) {
        switch (message.getMessageCase()) {
          case ENVELOPE -> envelopes.add(message.getEnvelope());
          case REPLY -> {
            CompletableFuture<StorageReply> waiting = calls.get(message.getReply().getCallId());
            if (waiting != null) {
              waiting.complete(message.getReply());
            }
          }
          default -> throw new IOException("unexpected message " + message.getMessageCase());
        }
      }
    } catch (IOException | RuntimeException e) {
      failure = e instanceof IOException io ? io : new IOException(e);
    }
    ended = true;
    IOException closed = new IOException("end of the backend's input");
    calls.values().forEach(c -> c.completeExceptionally(closed));
    envelopes.add(END);
  }
}
