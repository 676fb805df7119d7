package dev.quarry.client.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.quarry.client.QuarryException;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One client-streaming upload: a header message, then the bytes of a stream in chunks, sent only
 * while gRPC says the transport is ready (so a slow server never makes the client buffer). Pass it
 * as the response observer of the call; {@link #result()} completes with the server's answer or a
 * {@link QuarryException}.
 *
 * @param <Q> the request message
 * @param <R> the response message
 */
public final class StreamedUpload<Q, R> implements ClientResponseObserver<Q, R> {
  /** Where the bytes come from; opened once, when the call is ready, and closed at the end. */
  public interface Source {
    InputStream open() throws IOException;
  }

  private final Source source;
  private final Q header;
  private final Function<ByteString, Q> chunk;
  private final int chunkSize;
  private final String what;
  private final Function<Throwable, QuarryException> errors;
  private final CompletableFuture<R> done = new CompletableFuture<>();
  private @Nullable ClientCallStreamObserver<Q> out;
  private @Nullable InputStream in;
  private boolean headerSent;
  private boolean finished;
  private @Nullable R response;

  /**
   * @param what the upload, for messages ({@code "my.jar"}, {@code "bucket/key"})
   * @param errors turns a call's failure into the exception to report
   */
  public StreamedUpload(
      Source source,
      Q header,
      Function<ByteString, Q> chunk,
      int chunkSize,
      String what,
      Function<Throwable, QuarryException> errors) {
    this.source = source;
    this.header = header;
    this.chunk = chunk;
    this.chunkSize = chunkSize;
    this.what = what;
    this.errors = errors;
  }

  /**
   * The onReady threshold for a call of {@code chunkSize} chunks ({@code withOnReadyThreshold}): a
   * few chunks may wait in the transport, so the source is read while the last chunk is sent
   * (gRPC's default, 32 KiB, is less than one chunk and makes each chunk wait for the one before).
   */
  public static int readyThreshold(int chunkSize) {
    return 4 * chunkSize;
  }

  public CompletableFuture<R> result() {
    return done;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<Q> requests) {
    out = requests;
    requests.setOnReadyHandler(this::pump);
  }

  private void pump() {
    ClientCallStreamObserver<Q> o = out;
    if (o == null || finished) {
      return;
    }
    try {
      if (in == null) {
        in = source.open();
      }
      while (o.isReady() && !finished) {
        if (!headerSent) {
          headerSent = true;
          o.onNext(header);
          continue;
        }
        byte[] bytes = in.readNBytes(chunkSize);
        if (bytes.length == 0) {
          finished = true;
          closeQuietly();
          o.onCompleted();
          return;
        }
        o.onNext(chunk.apply(UnsafeByteOperations.unsafeWrap(bytes)));
      }
    } catch (IOException | RuntimeException e) {
      finished = true;
      closeQuietly();
      o.cancel("cannot read " + what, e);
      done.completeExceptionally(
          new QuarryException(
              Status.Code.FAILED_PRECONDITION,
              "cannot read " + what + ": " + e.getMessage(),
              false,
              e));
    }
  }

  private void closeQuietly() {
    try {
      if (in != null) {
        in.close();
      }
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public void onNext(R r) {
    response = r;
  }

  @Override
  public void onError(Throwable t) {
    finished = true;
    closeQuietly();
    done.completeExceptionally(errors.apply(t));
  }

  @Override
  public void onCompleted() {
    R r = response;
    if (r == null) {
      done.completeExceptionally(
          new QuarryException(Status.Code.INTERNAL, "uploading " + what + ": no answer"));
      return;
    }
    done.complete(r);
  }
}
