package dev.quarry.client.internal;

import com.google.protobuf.ByteString;
import dev.quarry.client.QuarryException;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The data messages of a server-streaming call as an {@link InputStream}: gRPC delivers the next
 * message only when the reader has taken the last, and closing the stream early cancels the call. A
 * failure of the call surfaces as a {@link QuarryException} from {@code read}.
 *
 * @param <M> the response message; the first one (the header) is read by {@link #open}
 */
public final class StreamedDownload<M> extends InputStream {
  private final Context.CancellableContext context;
  private final Iterator<M> messages;
  private final Function<M, ByteString> data;
  private final Function<Throwable, QuarryException> errors;
  private ByteString current = ByteString.EMPTY;
  private int position;
  private boolean closed;

  private StreamedDownload(
      Context.CancellableContext context,
      Iterator<M> messages,
      Function<M, ByteString> data,
      Function<Throwable, QuarryException> errors) {
    this.context = context;
    this.messages = messages;
    this.data = data;
    this.errors = errors;
  }

  /** The opened stream and the call's first message. */
  public record Opened<M>(M header, StreamedDownload<M> stream) {}

  /**
   * Starts the call and reads its first message.
   *
   * @throws QuarryException if the call fails before its first message
   */
  public static <M> Opened<M> open(
      Supplier<Iterator<M>> call,
      Function<M, ByteString> data,
      Function<Throwable, QuarryException> errors) {
    Context.CancellableContext context = Context.current().withCancellation();
    try {
      Iterator<M> messages = context.call(call::get);
      M header = messages.next();
      return new Opened<>(header, new StreamedDownload<>(context, messages, data, errors));
    } catch (Exception e) {
      context.cancel(e);
      throw errors.apply(e);
    }
  }

  @Override
  public int read() throws IOException {
    return hasData() ? current.byteAt(position++) & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!hasData()) {
      return -1;
    }
    int n = Math.min(len, current.size() - position);
    current.copyTo(b, position, off, n);
    position += n;
    return n;
  }

  /** Whether bytes are left, taking the next message when the current one is used up. */
  private boolean hasData() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    while (position == current.size()) {
      @Nullable M next;
      try {
        next = messages.hasNext() ? messages.next() : null;
      } catch (StatusRuntimeException e) {
        throw errors.apply(e);
      }
      if (next == null) {
        return false;
      }
      current = data.apply(next);
      position = 0;
    }
    return true;
  }

  @Override
  public int available() {
    return current.size() - position;
  }

  /** Cancels the call if it has not ended. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      context.cancel(null);
    }
  }
}
