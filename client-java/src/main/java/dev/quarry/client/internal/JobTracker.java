package dev.quarry.client.internal;

import dev.quarry.client.QuarryException;
import dev.quarry.proto.v1.GetJobRequest;
import dev.quarry.proto.v1.Job;
import dev.quarry.proto.v1.JobState;
import dev.quarry.proto.v1.ResultOrder;
import dev.quarry.proto.v1.StreamResultsRequest;
import dev.quarry.proto.v1.TaskResult;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The futures of one job and the {@code StreamResults} stream that completes them.
 *
 * <p>One stream per job, in completion order. If it breaks with a transient status it is reopened
 * with {@code after_seq} = the highest {@code seq} seen, with exponential backoff, for at most
 * {@link dev.quarry.client.ClientOptions#reconnectTimeout()} without progress. If the server
 * completes it while futures are still pending, the job is checked with {@code GetJob}: still
 * running means reconnect; ended means the missing futures fail (or are cancelled if the job was).
 * The stream is cancelled once every future is done.
 *
 * <p>Long because it keeps a job's futures consistent with one result stream, its reconnects and
 * cancellation, which must be read together.
 */
final class JobTracker implements TaskHandle.Listener {
  private static final System.Logger LOG = System.getLogger(JobTracker.class.getName());

  /** Consecutive INTERNAL/UNKNOWN failures tolerated (they may be server bugs, not outages). */
  private static final int MAX_ODD_FAILURES = 3;

  /** A stream that stayed open this long counts as healthy (its failure count restarts). */
  private static final long HEALTHY_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** After the last result, how long the server has to end the stream before it is cancelled. */
  private static final long LINGER_MS = 5_000;

  private final ClientCore core;
  private final String jobId;
  private final List<TaskHandle> tasks;
  private final ResultDecoder decoder;
  private final AtomicInteger pending;
  private final AtomicIntegerArray reported;
  private final AtomicInteger reportedCount = new AtomicInteger();
  private final AtomicLong lastSeq = new AtomicLong();
  private volatile boolean cancelledLocally;

  // guarded by this
  private @Nullable ClientCallStreamObserver<StreamResultsRequest> call;
  private boolean stopped;
  private long failingSinceNanos = -1;
  private int failures;
  private int oddFailures;

  JobTracker(ClientCore core, String jobId, List<String> taskIds, List<ClassLoader> loaders) {
    this.core = core;
    this.jobId = jobId;
    this.decoder = new ResultDecoder(loaders, core.workers(), () -> core.closedError(jobId));
    List<TaskHandle> t = new ArrayList<>(taskIds.size());
    for (int i = 0; i < taskIds.size(); i++) {
      t.add(new TaskHandle(jobId, taskIds.get(i), i, this));
    }
    this.tasks = List.copyOf(t);
    this.pending = new AtomicInteger(t.size());
    this.reported = new AtomicIntegerArray(t.size());
  }

  String jobId() {
    return jobId;
  }

  List<TaskHandle> tasks() {
    return tasks;
  }

  /** Opens the result stream. */
  void start() {
    open();
  }

  /** Stops the stream and fails the futures still pending (executor closed). */
  void shutdown(Throwable error) {
    failPending(error);
  }

  private synchronized void open() {
    if (stopped) {
      return;
    }
    StreamResultsRequest request =
        StreamResultsRequest.newBuilder()
            .setJobId(jobId)
            .setOrder(ResultOrder.RESULT_ORDER_COMPLETION)
            .setAfterSeq(lastSeq.get())
            .build();
    try {
      core.async().streamResults(request, new Attempt());
    } catch (RuntimeException e) {
      stopped = true;
      failPendingLater(core.errors().fromGrpc(e, "streaming the results of job " + jobId));
    }
  }

  /** One StreamResults call. */
  private final class Attempt implements ClientResponseObserver<StreamResultsRequest, TaskResult> {
    private final long startedNanos = System.nanoTime();

    @Override
    public void beforeStart(ClientCallStreamObserver<StreamResultsRequest> requests) {
      synchronized (JobTracker.this) {
        call = requests;
      }
    }

    @Override
    public void onNext(TaskResult result) {
      synchronized (JobTracker.this) {
        failingSinceNanos = -1;
        failures = 0;
        oddFailures = 0;
      }
      onResult(result);
    }

    @Override
    public void onError(Throwable t) {
      ended(this, t);
    }

    @Override
    public void onCompleted() {
      ended(this, null);
    }
  }

  private void ended(Attempt attempt, @Nullable Throwable error) {
    synchronized (this) {
      call = null;
      if (stopped) {
        return;
      }
      if (System.nanoTime() - attempt.startedNanos >= HEALTHY_NANOS) {
        failingSinceNanos = -1;
        failures = 0;
        oddFailures = 0;
      }
    }
    // Every result arrived (some may still be decoding on another thread): nothing is missing.
    if (pending.get() == 0 || reportedCount.get() == tasks.size()) {
      synchronized (this) {
        stopped = true;
      }
      core.finished(this);
      return;
    }
    if (core.isClosed()) {
      failPending(core.closedError(jobId));
    } else if (error == null) {
      checkJobAfterEarlyEnd();
    } else {
      Status status = Status.fromThrowable(error);
      if (isTransient(status.getCode())) {
        reconnect(status.getCode(), error);
      } else {
        failPending(core.errors().fromGrpc(error, "streaming the results of job " + jobId));
      }
    }
  }

  static boolean isTransient(Status.Code code) {
    return switch (code) {
      case UNAVAILABLE, ABORTED, CANCELLED, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN -> true;
      default -> false;
    };
  }

  private void reconnect(Status.Code code, Throwable error) {
    long delayMs;
    String giveUp = null;
    synchronized (this) {
      if (stopped) {
        return;
      }
      long now = System.nanoTime();
      if (failingSinceNanos < 0) {
        failingSinceNanos = now;
      }
      failures++;
      if (code == Status.Code.INTERNAL || code == Status.Code.UNKNOWN) {
        oddFailures++;
      }
      if (now - failingSinceNanos > core.options().reconnectTimeout().toNanos()) {
        giveUp =
            "gave up reconnecting after " + core.options().reconnectTimeout().toSeconds() + " s";
      } else if (oddFailures > MAX_ODD_FAILURES) {
        giveUp = "gave up after " + oddFailures + " failures";
      }
      long base = Math.min(5_000, 100L << Math.min(failures - 1, 6));
      delayMs = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }
    if (giveUp != null) {
      failPending(
          core.errors()
              .fromGrpc(error, "streaming the results of job " + jobId + " (" + giveUp + ")"));
      return;
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        "result stream of job {0} broke ({1}); reconnecting in {2} ms",
        jobId,
        code,
        delayMs);
    try {
      core.scheduler().schedule(this::open, delayMs, TimeUnit.MILLISECONDS);
    } catch (RuntimeException rejected) {
      failPending(core.closedError(jobId));
    }
  }

  /** The server ended the stream although futures are pending: did the job end? */
  private void checkJobAfterEarlyEnd() {
    core.async()
        .withDeadlineAfter(core.options().callTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .getJob(
            GetJobRequest.newBuilder().setJobId(jobId).build(),
            new StreamObserver<Job>() {
              @Override
              public void onNext(Job job) {
                if (isTerminal(job.getState())) {
                  resolveMissing(job.getState());
                } else {
                  reconnect(
                      Status.Code.UNAVAILABLE,
                      Status.UNAVAILABLE
                          .withDescription("result stream ended before the job finished")
                          .asRuntimeException());
                }
              }

              @Override
              public void onError(Throwable t) {
                Status.Code code = Status.fromThrowable(t).getCode();
                if (isTransient(code)) {
                  reconnect(code, t);
                } else {
                  failPending(core.errors().fromGrpc(t, "checking job " + jobId));
                }
              }

              @Override
              public void onCompleted() {}
            });
  }

  private static boolean isTerminal(JobState state) {
    return state == JobState.JOB_STATE_SUCCEEDED
        || state == JobState.JOB_STATE_FAILED
        || state == JobState.JOB_STATE_CANCELLED;
  }

  private void resolveMissing(JobState state) {
    stop();
    for (int i = 0; i < tasks.size(); i++) {
      TaskHandle t = tasks.get(i);
      if (t.promise().isDone() || reported.get(i) == 1) {
        continue; // done, or its result arrived and is still being decoded
      }
      if (state == JobState.JOB_STATE_CANCELLED) {
        t.cancelRemotely();
      } else {
        t.fail(
            new QuarryException(
                Status.Code.INTERNAL,
                "job "
                    + jobId
                    + " ended ("
                    + state
                    + ") but the server sent no result for task "
                    + t.taskId(),
                false,
                null));
      }
    }
  }

  void onResult(TaskResult r) {
    lastSeq.accumulateAndGet(r.getSeq(), Math::max);
    int i = r.getIndex();
    if (i < 0 || i >= tasks.size()) {
      LOG.log(
          System.Logger.Level.WARNING, "job {0}: result for unknown index {1} ignored", jobId, i);
      return;
    }
    TaskHandle task = tasks.get(i);
    switch (r.getState()) {
      case TASK_STATE_SUCCEEDED -> {
        markReported(i);
        decoder.deliver(task, r.getData());
      }
      case TASK_STATE_FAILED -> {
        markReported(i);
        task.fail(Errors.remote(r.getError()));
      }
      case TASK_STATE_CANCELLED -> {
        markReported(i);
        task.cancelRemotely();
      }
      default -> {
        // not finished yet: nothing to deliver
      }
    }
  }

  private void markReported(int i) {
    if (reported.compareAndSet(i, 0, 1)) {
      reportedCount.incrementAndGet();
    }
  }

  @Override
  public void taskDone(TaskHandle task, boolean local) {
    if (local) {
      cancelledLocally = true;
    }
    if (pending.decrementAndGet() != 0) {
      return;
    }
    boolean serverStillWorking = reportedCount.get() < tasks.size();
    if (cancelledLocally && serverStillWorking) {
      core.cancelInBackground(jobId);
    }
    if (serverStillWorking) {
      stop();
    } else {
      lingerThenStop();
    }
  }

  /** All results arrived: give the server a moment to end the stream itself, then cancel it. */
  private void lingerThenStop() {
    boolean streamOpen;
    synchronized (this) {
      streamOpen = call != null;
      if (!streamOpen) {
        stopped = true;
      }
    }
    if (!streamOpen) {
      core.finished(this);
      return;
    }
    try {
      core.scheduler().schedule(this::stop, LINGER_MS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException rejected) {
      stop();
    }
  }

  private void stop() {
    ClientCallStreamObserver<StreamResultsRequest> c;
    synchronized (this) {
      stopped = true;
      c = call;
      call = null;
    }
    if (c != null) {
      c.cancel("the client has every result it needs", null);
    }
    core.finished(this);
  }

  private void failPending(Throwable error) {
    stop();
    for (TaskHandle t : tasks) {
      t.fail(error);
    }
  }

  private void failPendingLater(Throwable error) {
    try {
      core.workers().execute(() -> failPending(error));
    } catch (RuntimeException rejected) {
      failPending(error);
    }
  }

  @Override
  public String toString() {
    return "JobTracker[" + jobId + ", pending " + pending.get() + " of " + tasks.size() + "]";
  }
}
