package dev.quarry.worker.internal;

import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.proto.v1.TaskOutcome;
import dev.quarry.storage.ObjectStore;
import java.io.FileNotFoundException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs the tasks of one envelope, in order, writing each result or error to its result key and what
 * the function printed (bounded, see {@link OutputCapture}) to its log key.
 */
public final class TaskExecutor {
  static final String TIMEOUT_TYPE = "java.util.concurrent.TimeoutException";

  private final Clock clock;
  private final int logLimit;

  public TaskExecutor(Clock clock) {
    this(clock, OutputCapture.DEFAULT_LIMIT);
  }

  /**
   * @param logLimit how many bytes of a task's printed output are kept
   */
  public TaskExecutor(Clock clock, int logLimit) {
    this.clock = clock;
    this.logLimit = logLimit;
    OutputCapture.install();
  }

  /**
   * Runs every task of {@code envelope}, handing each outcome to {@code outcomes} as soon as it is
   * stored.
   *
   * @throws dev.quarry.storage.StorageException if an input cannot be read or a result cannot be
   *     written; later tasks are not run
   */
  public void runAll(
      TaskEnvelope envelope,
      LoadedFunction function,
      PayloadCodec codec,
      ObjectStore store,
      Consumer<TaskOutcome> outcomes) {
    runAll(envelope, function, codec, store, new ContextBridge(null), outcomes);
  }

  /**
   * Like {@link #runAll(TaskEnvelope, LoadedFunction, PayloadCodec, ObjectStore, Consumer)}; a
   * context function ({@link LoadedFunction#withContext()}) gets {@code context} as its second
   * argument.
   */
  public void runAll(
      TaskEnvelope envelope,
      LoadedFunction function,
      PayloadCodec codec,
      ObjectStore store,
      ContextBridge context,
      Consumer<TaskOutcome> outcomes) {
    for (TaskInput task : envelope.getTasksList()) {
      outcomes.accept(run(task, envelope.getDeadlineMs(), function, codec, store, context));
    }
  }

  private TaskOutcome run(
      TaskInput task,
      long deadlineMs,
      LoadedFunction function,
      PayloadCodec codec,
      ObjectStore store,
      ContextBridge context) {
    long start = clock.millis();
    TaskMeter meter = TaskMeter.start();
    if (deadlineMs > 0 && start > deadlineMs) {
      String message =
          "invocation deadline %d passed before the task started (now %d)"
              .formatted(deadlineMs, start);
      return failed(task, RemoteErrors.platform(TIMEOUT_TYPE, message), start, store).build();
    }
    Optional<byte[]> input = input(task, store);
    if (input.isEmpty()) {
      FileNotFoundException missing =
          new FileNotFoundException("task input not found in storage: " + task.getKey());
      return failed(task, RemoteErrors.of(missing, false), start, store).build();
    }
    meter.read(input.get().length);
    byte[] result;
    String logKey;
    try (OutputCapture.Capture printed = OutputCapture.start(logLimit)) {
      try {
        result = apply(function, codec, input.get(), meter.counting(context));
      } catch (Throwable e) {
        if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
          throw fatal;
        }
        printed.close();
        logKey = storeLog(task, printed, store);
        // decode/encode failures count too: they are about the user's own types
        return meter
            .finish(failed(task, RemoteErrors.of(e, true), start, store).setLogKey(logKey))
            .build();
      }
      printed.close();
      logKey = storeLog(task, printed, store);
    }
    store.put(task.getResultKey(), result);
    meter.written(result.length);
    return meter
        .finish(outcome(task, start).setOk(true).setResultSize(result.length).setLogKey(logKey))
        .build();
  }

  /** Writes the task's printed output when there is some and a key for it; the key or "". */
  private static String storeLog(TaskInput task, OutputCapture.Capture printed, ObjectStore store) {
    byte[] log = printed.bytes();
    if (log.length == 0 || task.getLogKey().isEmpty()) {
      return "";
    }
    store.put(task.getLogKey(), log);
    return task.getLogKey();
  }

  private static Optional<byte[]> input(TaskInput task, ObjectStore store) {
    return switch (task.getSourceCase()) {
      case INLINE -> Optional.of(task.getInline().toByteArray());
      case KEY -> store.read(task.getKey());
      case SOURCE_NOT_SET -> Optional.of(new byte[0]);
    };
  }

  private static byte[] apply(
      LoadedFunction function,
      PayloadCodec codec,
      byte[] input,
      BiFunction<String, Object[], @Nullable Object> context)
      throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(function.loader());
    try {
      @Nullable Object argument = codec.decode(input, function.loader());
      // a context function (the client's adapter) is a BiFunction taking the JDK-typed bridge
      BiFunction<@Nullable Object, Object, @Nullable Object> withContext = function.withContext();
      return codec.encode(
          withContext != null
              ? withContext.apply(argument, context)
              : function.function().apply(argument));
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private TaskOutcome.Builder failed(
      TaskInput task, RemoteError error, long start, ObjectStore store) {
    store.put(task.getResultKey(), error.toByteArray());
    return outcome(task, start).setOk(false).setError(error);
  }

  private TaskOutcome.Builder outcome(TaskInput task, long start) {
    return TaskOutcome.newBuilder()
        .setTaskId(task.getTaskId())
        .setIndex(task.getIndex())
        .setAttempt(task.getAttempt())
        .setResultKey(task.getResultKey())
        .setStartMs(start)
        .setEndMs(clock.millis());
  }
}
