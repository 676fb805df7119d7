package dev.quarry.server.grpc;

import com.google.protobuf.ByteString;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Client-streaming uploads (a put, a part of a multipart upload) read with flow control: the first
 * message's header is checked before any byte is taken, then the bytes stream to the store on a
 * virtual thread.
 */
final class ClientStreams {
  private ClientStreams() {}

  /** How a client-streaming upload's messages are read, its header checked and its bytes kept. */
  interface Intake<Q, R> {
    boolean hasHeader(Q message);

    ByteString data(Q message);

    /** Checks the header (role, names, size, quota) before any byte is taken; its size. */
    long check(Q header);

    /** Stores exactly the header's size of bytes of {@code in}; runs on a virtual thread. */
    R store(Q header, InputStream in);
  }

  /**
   * A client-streaming upload: the first message's header is checked before any byte is taken, then
   * the bytes go through a {@link ChunkPipe} to {@link Intake#store} on a virtual thread, at most a
   * few chunks waiting in memory between the two.
   */
  static <Q, R> StreamObserver<Q> intake(StreamObserver<R> out, String call, Intake<Q, R> intake) {
    Principal p = AuthInterceptor.principal();
    ChunkPipe pipe = new ChunkPipe();
    // however the call ends (also when an interceptor refuses a message), the store stops waiting
    ((ServerCallStreamObserver<R>) out)
        .setOnCloseHandler(() -> pipe.fail(new IOException("the call ended")));
    return new StreamObserver<>() {
      private long size = -1;
      private @Nullable CompletableFuture<R> stored;
      private long received;
      private boolean answered;

      @Override
      public void onNext(Q part) {
        if (answered) {
          return;
        }
        try {
          if (size < 0) {
            p.require(Role.MEMBER);
            if (!intake.hasHeader(part)) {
              throw ApiException.invalid("the first " + call + " message must carry the header");
            }
            long declared = intake.check(part);
            size = declared;
            stored = new CompletableFuture<>();
            CompletableFuture<R> result = stored;
            Thread.ofVirtual()
                .name("quarry-storage-" + call)
                .start(
                    () -> {
                      try (ChunkPipe in = pipe) {
                        result.complete(intake.store(part, in));
                      } catch (Throwable t) {
                        result.completeExceptionally(t);
                      }
                    });
          } else if (intake.hasHeader(part)) {
            throw ApiException.invalid("only the first " + call + " message may carry a header");
          } else {
            ByteString data = intake.data(part);
            received += data.size();
            if (received > size) {
              throw ApiException.invalid(
                  "more bytes arrived than the header's size (" + size + ")");
            }
            if (!data.isEmpty()) {
              pipe.put(data); // no copy: the message's bytes are passed on
            }
          }
        } catch (ChunkPipe.ReaderGone e) {
          answer(GrpcErrors.exception(storeFailure()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          abort(e);
        } catch (RuntimeException e) {
          abort(e);
        }
      }

      @Override
      public void onError(Throwable t) {
        pipe.fail(new IOException("the client cancelled the upload"));
      }

      @Override
      public void onCompleted() {
        if (answered) {
          return;
        }
        if (stored == null) {
          answer(GrpcErrors.exception(ApiException.invalid(call + " needs a header message")));
          return;
        }
        try {
          pipe.finish();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          abort(e);
          return;
        }
        R result;
        try {
          result = stored.join();
        } catch (CompletionException e) {
          answer(GrpcErrors.exception(e.getCause() == null ? e : e.getCause()));
          return;
        }
        answered = true;
        out.onNext(result);
        out.onCompleted();
      }

      /** Why the store ended without keeping the bytes. */
      private Throwable storeFailure() {
        try {
          stored.join();
          return new IllegalStateException("the upload ended before its bytes");
        } catch (CompletionException e) {
          return e.getCause() == null ? e : e.getCause();
        }
      }

      /** Stops the store, waits until it has cleaned up, then answers. */
      private void abort(Exception e) {
        pipe.fail(new IOException("the upload was refused"));
        if (stored != null) {
          try {
            stored.get(ChunkPipe.IDLE_SECONDS, TimeUnit.SECONDS);
          } catch (ExecutionException | TimeoutException x) {
            // failed as expected (or still cleaning up)
          } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
          }
        }
        answer(GrpcErrors.exception(e));
      }

      private void answer(StatusRuntimeException e) {
        if (!answered) {
          answered = true;
          out.onError(e);
        }
      }
    };
  }
}
