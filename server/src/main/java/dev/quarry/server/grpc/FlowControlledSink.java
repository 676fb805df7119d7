package dev.quarry.server.grpc;

import dev.quarry.proto.v1.TaskResult;
import dev.quarry.server.results.ResultSink;
import io.grpc.stub.ServerCallStreamObserver;

/** Sends only when the transport is ready, so a slow client never makes the server buffer. */
final class FlowControlledSink<T> implements ResultSink {
  private final ServerCallStreamObserver<T> observer;
  private final java.util.function.Function<TaskResult, T> wrap;
  private final Object lock = new Object();
  private volatile boolean cancelled;

  FlowControlledSink(
      ServerCallStreamObserver<T> observer, java.util.function.Function<TaskResult, T> wrap) {
    this.observer = observer;
    this.wrap = wrap;
    observer.setOnReadyHandler(this::wake);
    observer.setOnCancelHandler(
        () -> {
          cancelled = true;
          wake();
        });
  }

  @Override
  public void send(TaskResult result) throws InterruptedException {
    awaitReady();
    if (!cancelled) {
      observer.onNext(wrap.apply(result));
    }
  }

  void awaitReady() throws InterruptedException {
    synchronized (lock) {
      while (!observer.isReady() && !cancelled) {
        lock.wait(100);
      }
    }
  }

  @Override
  public boolean closed() {
    return cancelled;
  }

  private void wake() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }
}
