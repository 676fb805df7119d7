package dev.quarry.server.results;

import dev.quarry.proto.v1.TaskResult;

/** Where a result stream goes; {@link #send} may block until the client can take more. */
public interface ResultSink {
  /**
   * @throws InterruptedException if the stream is abandoned while waiting
   */
  void send(TaskResult result) throws InterruptedException;

  /** Pushes out what was sent so far; called before the stream waits for more results. */
  default void flush() {}

  /** True once the client went away; the stream then stops. */
  boolean closed();
}
