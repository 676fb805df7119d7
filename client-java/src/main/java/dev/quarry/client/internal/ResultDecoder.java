package dev.quarry.client.internal;

import com.google.protobuf.ByteString;
import dev.quarry.client.QuarryException;
import io.grpc.Status;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Deserializes results into their futures: small ones at once on the calling (gRPC callback)
 * thread, large ones on a client executor so one big result does not hold up the stream.
 */
final class ResultDecoder {
  /** Results up to this size are deserialized on the calling thread. */
  static final int INLINE_BYTES = 64 << 10;

  private final List<ClassLoader> loaders;
  private final Executor executor;
  private final Supplier<Throwable> closedError;

  /**
   * @param loaders where result classes are looked up first, in order
   * @param executor runs the deserialization of large results
   * @param closedError the failure of a future whose result can no longer be decoded
   */
  ResultDecoder(List<ClassLoader> loaders, Executor executor, Supplier<Throwable> closedError) {
    this.loaders = List.copyOf(loaders);
    this.executor = executor;
    this.closedError = closedError;
  }

  /** Completes {@code task} with the value in {@code data} (empty data is null). */
  void deliver(TaskHandle task, ByteString data) {
    if (task.promise().isDone()) {
      return;
    }
    if (data.size() <= INLINE_BYTES) {
      decodeInto(task, data);
      return;
    }
    try {
      executor.execute(() -> decodeInto(task, data));
    } catch (RuntimeException rejected) {
      task.fail(closedError.get());
    }
  }

  private void decodeInto(TaskHandle task, ByteString data) {
    Object value;
    try {
      value = data.isEmpty() ? null : ObjectStreams.deserialize(data.newInput(), loaders);
    } catch (ClassNotFoundException e) {
      task.fail(
          new QuarryException(
              Status.Code.INTERNAL,
              "cannot read the result of task "
                  + task.taskId()
                  + ": class "
                  + e.getMessage()
                  + " is not on the client's classpath",
              false,
              e));
      return;
    } catch (IOException | RuntimeException e) {
      task.fail(
          new QuarryException(
              Status.Code.INTERNAL,
              "cannot read the result of task " + task.taskId() + ": " + e,
              false,
              e));
      return;
    }
    task.succeed(value);
  }
}
