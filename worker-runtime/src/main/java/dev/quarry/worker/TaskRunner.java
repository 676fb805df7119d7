package dev.quarry.worker;

import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.StorageApiAccess;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.StorageException;
import dev.quarry.worker.internal.ContextBridge;
import dev.quarry.worker.internal.FunctionCache;
import dev.quarry.worker.internal.FunctionLoader;
import dev.quarry.worker.internal.HttpObjects;
import dev.quarry.worker.internal.JarCache;
import dev.quarry.worker.internal.LoadedFunction;
import dev.quarry.worker.internal.PayloadCodec;
import dev.quarry.worker.internal.RemoteErrors;
import dev.quarry.worker.internal.StoreCache;
import dev.quarry.worker.internal.TaskExecutor;
import java.nio.file.Path;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one invocation: loads the envelope's function (cached by digest), runs its tasks in order,
 * writes each result or {@link RemoteError} to the task's result key, and returns the summary.
 * Every platform entry point (local process, Lambda, Azure, Kubernetes) is a thin adapter that
 * turns its request into a {@link TaskEnvelope} and calls {@link #run}.
 *
 * <p>Never throws for invocation problems; they are reported in the summary:
 *
 * <ul>
 *   <li>a task whose function threw (or whose input or result could not be decoded or encoded) gets
 *       {@code ok=false} and an error with {@code function_error=true};
 *   <li>tasks not started before {@code deadline_ms} fail with type {@code
 *       java.util.concurrent.TimeoutException} and {@code function_error=false} ({@code deadline_ms
 *       <= 0} means no deadline);
 *   <li>a function that cannot be loaded sets {@code invocation_error} ({@code
 *       function_error=true}: the bundle is wrong, retrying does not help) and no tasks run;
 *   <li>a storage failure sets {@code invocation_error} with {@code function_error=false}; tasks
 *       without an outcome did not complete.
 * </ul>
 *
 * <p>Thread-safe; share one instance per process so warm invocations reuse loaded functions.
 */
public final class TaskRunner implements AutoCloseable {
  /**
   * Storage type of envelopes whose objects the worker reaches only through the channel store given
   * to {@link #TaskRunner(String, Path, Clock, ObjectStore)} (the local backend's pipe).
   */
  public static final String CHANNEL_STORAGE = "channel";

  /**
   * Storage type of envelopes whose objects the worker reaches only through the pre-signed URLs in
   * the envelope's grants (Lambda workers hold no storage credentials).
   */
  public static final String GRANTED_STORAGE = "granted";

  /** System property naming the directory where function jars are cached. */
  public static final String CACHE_DIR_PROPERTY = "quarry.worker.cacheDir";

  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

  private final String workerId;
  private final Clock clock;
  private final StoreCache stores = new StoreCache();
  private final JarCache jars;
  private final FunctionCache functions;
  private final TaskExecutor executor;
  private final @Nullable ObjectStore channel;
  private final @Nullable WorkerObjects objects;

  /**
   * @param workerId reported in every summary, e.g. {@code local-1234}
   * @param jarCacheDir where function jars are copied; workers on one host may share it
   * @param clock source of deadlines checks and timings
   */
  public TaskRunner(String workerId, Path jarCacheDir, Clock clock) {
    this(workerId, jarCacheDir, clock, null);
  }

  /**
   * @param channel the store used for envelopes of storage type {@value #CHANNEL_STORAGE}; such
   *     envelopes fail without one
   */
  public TaskRunner(String workerId, Path jarCacheDir, Clock clock, @Nullable ObjectStore channel) {
    this(workerId, jarCacheDir, clock, channel, null);
  }

  /**
   * @param objects the tenant's Storage API objects that context functions of envelopes of storage
   *     type {@value #CHANNEL_STORAGE} reach; null: such functions get a context without storage
   */
  public TaskRunner(
      String workerId,
      Path jarCacheDir,
      Clock clock,
      @Nullable ObjectStore channel,
      @Nullable WorkerObjects objects) {
    this.channel = channel;
    this.objects = objects;
    this.workerId = workerId;
    this.clock = clock;
    this.jars = new JarCache(jarCacheDir);
    this.functions = new FunctionCache(new FunctionLoader(jars));
    this.executor = new TaskExecutor(clock);
  }

  /** A runner using {@link #defaultJarCacheDir()} and the system UTC clock. */
  public static TaskRunner create(String workerId) {
    return new TaskRunner(workerId, defaultJarCacheDir(), Clock.systemUTC());
  }

  /**
   * The {@value #CACHE_DIR_PROPERTY} system property, else {@code quarry-worker/jars} under {@code
   * java.io.tmpdir}.
   */
  public static Path defaultJarCacheDir() {
    String configured = System.getProperty(CACHE_DIR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "quarry-worker", "jars");
  }

  /**
   * Runs {@code envelope}. Only a fatal JVM error (e.g. {@link OutOfMemoryError}) escapes.
   *
   * @return the summary of the invocation
   */
  public InvocationSummary run(TaskEnvelope envelope) {
    InvocationSummary.Builder summary =
        InvocationSummary.newBuilder()
            .setInvocationId(envelope.getInvocationId())
            .setWorkerId(workerId)
            .setStartMs(clock.millis());
    ObjectStore store;
    try {
      store =
          switch (envelope.getStorage().getType()) {
            case CHANNEL_STORAGE ->
                java.util.Objects.requireNonNull(channel, "this worker has no storage channel");
            case GRANTED_STORAGE ->
                new dev.quarry.worker.internal.GrantedObjectStore(envelope.getGrantsList());
            default -> stores.open(envelope.getStorage());
          };
    } catch (RuntimeException e) {
      fail(envelope, summary, e, false);
      return finish(envelope, summary);
    }
    execute(envelope, store, summary);
    return finish(envelope, summary);
  }

  private void execute(
      TaskEnvelope envelope, ObjectStore store, InvocationSummary.Builder summary) {
    FunctionCache.Lookup lookup;
    try {
      lookup = functions.get(envelope.getFunction(), store);
    } catch (StorageException e) {
      fail(envelope, summary, e, false);
      return;
    } catch (Exception | LinkageError e) {
      fail(envelope, summary, e, true);
      return;
    }
    summary.setColdStart(lookup.coldStart());
    LoadedFunction function = lookup.function();
    Codec codec =
        envelope.getCodec() == Codec.CODEC_UNSPECIFIED ? function.codec() : envelope.getCodec();
    try {
      executor.runAll(
          envelope,
          function,
          PayloadCodec.of(codec),
          store,
          bridge(envelope),
          summary::addOutcomes);
    } catch (RuntimeException e) {
      fail(envelope, summary, e, false);
    }
  }

  /**
   * The context functions of this envelope get: its tenant's objects over the worker's channel, or
   * through the Storage API with the envelope's token (Lambda), or none with the server's reason.
   */
  private ContextBridge bridge(TaskEnvelope envelope) {
    if (objects != null && CHANNEL_STORAGE.equals(envelope.getStorage().getType())) {
      return new ContextBridge(objects.forInvocation(envelope.getInvocationId()));
    }
    StorageApiAccess api = envelope.getStorageApi();
    if (!api.getUrl().isEmpty() && !api.getToken().isEmpty()) {
      return new ContextBridge(new HttpObjects(api.getUrl(), api.getToken()));
    }
    return new ContextBridge(
        null, api.getUnavailable().isEmpty() ? ContextBridge.NO_STORAGE : api.getUnavailable());
  }

  private void fail(
      TaskEnvelope envelope,
      InvocationSummary.Builder summary,
      Throwable error,
      boolean functionError) {
    log.warn(
        "Invocation {} ({}) failed: {}",
        summary.getInvocationId(),
        context(envelope),
        error.toString());
    summary.setInvocationError(RemoteErrors.of(error, functionError));
  }

  private InvocationSummary finish(TaskEnvelope envelope, InvocationSummary.Builder summary) {
    InvocationSummary result = summary.setEndMs(clock.millis()).build();
    log.debug(
        "Invocation {} ({}): {} outcomes in {} ms (cold start: {})",
        result.getInvocationId(),
        context(envelope),
        result.getOutcomesCount(),
        result.getEndMs() - result.getStartMs(),
        result.getColdStart());
    return result;
  }

  /** What an invocation's log lines name: its job and the request that submitted the job. */
  static String context(TaskEnvelope envelope) {
    return "job "
        + envelope.getJobId()
        + (envelope.getRequestId().isEmpty() ? "" : ", request " + envelope.getRequestId());
  }

  /** Closes cached stores and function class loaders. */
  @Override
  public void close() {
    jars.close();
    stores.close();
  }
}
