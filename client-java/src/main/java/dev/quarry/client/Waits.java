package dev.quarry.client;

import dev.quarry.client.internal.ProgressDisplay;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Waiting on many {@link JobFuture}s at once (from any executors and jobs). */
final class Waits {
  private Waits() {}

  /**
   * The results in list order; fails fast with the failure of the first failed future (in list
   * order among those done when a failure is noticed).
   */
  static <R extends @Nullable Object> List<R> results(
      List<? extends JobFuture<? extends R>> futures, @Nullable Duration timeout) {
    return results(futures, timeout, Progress.OFF);
  }

  /** Like {@link #results(List, Duration)}, drawing a progress bar if {@code progress} says so. */
  static <R extends @Nullable Object> List<R> results(
      List<? extends JobFuture<? extends R>> futures,
      @Nullable Duration timeout,
      Progress progress) {
    checkTimeout(timeout);
    List<CompletableFuture<@Nullable Object>> promises = promises(futures);
    CompletableFuture<Void> gate = new CompletableFuture<>();
    AtomicInteger remaining = new AtomicInteger(promises.size());
    if (promises.isEmpty()) {
      gate.complete(null);
    }
    for (CompletableFuture<@Nullable Object> p : promises) {
      p.whenComplete(
          (value, error) -> {
            if (error != null || remaining.decrementAndGet() == 0) {
              gate.complete(null);
            }
          });
    }
    if (!await(gate, timeout, promises, progress)) {
      long done = promises.stream().filter(CompletableFuture::isDone).count();
      throw new QuarryException(
          Status.Code.DEADLINE_EXCEEDED,
          (promises.size() - done)
              + " of "
              + promises.size()
              + " results not ready after "
              + timeout,
          false,
          null);
    }
    for (int i = 0; i < promises.size(); i++) {
      CompletableFuture<@Nullable Object> p = promises.get(i);
      if (p.isDone() && p.state() != Future.State.SUCCESS) {
        throw failure(futures.get(i), p);
      }
    }
    List<R> results = new ArrayList<>(promises.size());
    for (CompletableFuture<@Nullable Object> p : promises) {
      @SuppressWarnings("unchecked")
      R value = (R) p.resultNow();
      results.add(value);
    }
    return results;
  }

  /** Waits as {@code mode} says, at most {@code timeout} (null: no limit). */
  static <R extends @Nullable Object> WaitResult<R> waitFor(
      List<? extends JobFuture<R>> futures, WaitMode mode, @Nullable Duration timeout) {
    return waitFor(futures, mode, timeout, Progress.OFF);
  }

  /** Like {@link #waitFor(List, WaitMode, Duration)}, drawing a progress bar if asked. */
  static <R extends @Nullable Object> WaitResult<R> waitFor(
      List<? extends JobFuture<R>> futures,
      WaitMode mode,
      @Nullable Duration timeout,
      Progress progress) {
    checkTimeout(timeout);
    List<CompletableFuture<@Nullable Object>> promises = promises(futures);
    if (mode != WaitMode.ALWAYS && !promises.isEmpty()) {
      CompletableFuture<?> gate =
          mode == WaitMode.ALL_COMPLETED
              ? CompletableFuture.allOf(promises.toArray(CompletableFuture[]::new))
              : CompletableFuture.anyOf(promises.toArray(CompletableFuture[]::new));
      await(gate, timeout, promises, progress);
    }
    List<JobFuture<R>> done = new ArrayList<>();
    List<JobFuture<R>> notDone = new ArrayList<>();
    for (JobFuture<R> f : futures) {
      (f.isDone() ? done : notDone).add(f);
    }
    return new WaitResult<>(done, notDone);
  }

  /** Waits until {@code threshold} of the futures are done, at most {@code timeout}. */
  static <R extends @Nullable Object> WaitResult<R> waitFor(
      List<? extends JobFuture<R>> futures, WaitThreshold threshold, @Nullable Duration timeout) {
    return waitFor(futures, threshold, timeout, Progress.OFF);
  }

  /** Like {@link #waitFor(List, WaitThreshold, Duration)}, drawing a progress bar if asked. */
  static <R extends @Nullable Object> WaitResult<R> waitFor(
      List<? extends JobFuture<R>> futures,
      WaitThreshold threshold,
      @Nullable Duration timeout,
      Progress progress) {
    checkTimeout(timeout);
    List<CompletableFuture<@Nullable Object>> promises = promises(futures);
    int needed = threshold.of(promises.size());
    CompletableFuture<@Nullable Void> gate = new CompletableFuture<>();
    java.util.concurrent.atomic.AtomicInteger done =
        new java.util.concurrent.atomic.AtomicInteger();
    if (needed == 0) {
      gate.complete(null);
    }
    for (CompletableFuture<@Nullable Object> p : promises) {
      p.whenComplete(
          (value, error) -> {
            if (done.incrementAndGet() >= needed) {
              gate.complete(null);
            }
          });
    }
    await(gate, timeout, promises, progress);
    List<JobFuture<R>> doneList = new ArrayList<>();
    List<JobFuture<R>> notDone = new ArrayList<>();
    for (JobFuture<R> f : futures) {
      (f.isDone() ? doneList : notDone).add(f);
    }
    return new WaitResult<>(doneList, notDone);
  }

  private static List<CompletableFuture<@Nullable Object>> promises(
      List<? extends JobFuture<?>> futures) {
    List<CompletableFuture<@Nullable Object>> out = new ArrayList<>(futures.size());
    for (int i = 0; i < futures.size(); i++) {
      JobFuture<?> f = futures.get(i);
      if (f == null) {
        throw new NullPointerException("futures[" + i + "] is null");
      }
      out.add(f.promise());
    }
    return out;
  }

  private static void checkTimeout(@Nullable Duration timeout) {
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
  }

  /** {@link #await(CompletableFuture, Duration)} with a progress bar over {@code promises}. */
  private static boolean await(
      CompletableFuture<?> gate,
      @Nullable Duration timeout,
      List<? extends CompletableFuture<?>> promises,
      Progress progress) {
    try (ProgressDisplay bar = ProgressDisplay.open(progress, promises)) {
      return await(gate, timeout);
    }
  }

  /** True if the gate completed, false on timeout. */
  private static boolean await(CompletableFuture<?> gate, @Nullable Duration timeout) {
    try {
      if (timeout == null) {
        gate.get();
      } else {
        gate.get(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
      }
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException | CancellationException e) {
      return true; // anyOf completes exceptionally when the first done future failed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QuarryException(
          Status.Code.CANCELLED, "interrupted while waiting for results", false, e);
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  private static RuntimeException failure(JobFuture<?> future, CompletableFuture<?> p) {
    if (p.isCancelled()) {
      return new CancellationException("task " + future.taskId() + " was cancelled");
    }
    Throwable t = p.exceptionNow();
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new QuarryException(
        Status.Code.UNKNOWN, "task " + future.taskId() + " failed: " + t, false, t);
  }
}
