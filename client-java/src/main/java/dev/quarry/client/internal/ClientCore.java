package dev.quarry.client.internal;

import com.google.protobuf.UnsafeByteOperations;
import dev.quarry.client.ClientOptions;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.JobInfo;
import dev.quarry.client.MapOptions;
import dev.quarry.client.QuarryException;
import dev.quarry.client.StoredData;
import dev.quarry.proto.v1.CancelJobRequest;
import dev.quarry.proto.v1.GetFutureLogsRequest;
import dev.quarry.proto.v1.GetJobRequest;
import dev.quarry.proto.v1.Input;
import dev.quarry.proto.v1.Job;
import dev.quarry.proto.v1.JobServiceGrpc;
import dev.quarry.proto.v1.SubmitMapRequest;
import dev.quarry.proto.v1.SubmitMapResponse;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Everything behind a {@link dev.quarry.client.FunctionExecutor}: the channel, the function
 * registry, job submission and the result streams of open jobs.
 *
 * <p>Long because it is the one place that turns client calls into server calls (registration,
 * submit, result streams, retries on machine-readable reasons), shared by every public facade.
 */
public final class ClientCore implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ClientCore.class.getName());

  private final ManagedChannel managedChannel;
  private final Channel channel;
  private final ClientOptions options;
  private final Errors errors;
  private final FunctionPacker packer;
  private final FunctionRegistry registry;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService workers;
  private final Set<JobTracker> active = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private final ClientConfig config;

  /**
   * Uses {@code channel} (closed by {@link #close()}); adds the API key of {@code config}.
   *
   * @param channel the channel to the server
   * @param config target and key (the target is used in messages only)
   * @param options client options
   */
  public ClientCore(ManagedChannel channel, ClientConfig config, ClientOptions options) {
    this.managedChannel = channel;
    this.channel = ClientInterceptors.intercept(channel, new AuthInterceptor(config.apiKey()));
    this.options = options;
    this.config = config;
    this.errors = new Errors(config.target(), config.keySource());
    this.packer =
        new FunctionPacker(options.classpath().orElse(null), options.classpathRecheckInterval());
    BlobUploader uploader = new BlobUploader(this);
    this.registry = new FunctionRegistry(this, uploader);
    var sched =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("quarry-client-scheduler").factory());
    sched.setRemoveOnCancelPolicy(true);
    this.scheduler = sched;
    this.workers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("quarry-client-", 0).factory());
  }

  /**
   * Connects to {@code target} (or the configured one when null).
   *
   * @throws IllegalArgumentException if {@code target} is blank
   * @throws QuarryException if an explicitly named config file cannot be read
   */
  public static ClientCore connect(@Nullable String target, ClientOptions options) {
    ClientConfig config = ClientConfig.resolve(target, options);
    return new ClientCore(Channels.open(config, options), config, options);
  }

  /**
   * Submits {@code function} over {@code inputs}; one handle per input, in input order.
   *
   * @throws IllegalArgumentException if the function or an input is not serializable
   * @throws QuarryException if the server rejects the job or cannot be reached
   * @throws IllegalStateException if the client is closed
   */
  public List<TaskHandle> map(Object function, List<?> inputs, MapOptions mapOptions) {
    return map(function, function, inputs, mapOptions);
  }

  /**
   * Like {@link #map(Object, List, MapOptions)}; result classes are resolved through {@code
   * userFunction}'s class loader (the function the caller wrote, when {@code function} wraps it).
   */
  public List<TaskHandle> map(
      Object function, Object userFunction, List<?> inputs, MapOptions mapOptions) {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(mapOptions, "mapOptions");
    ensureOpen();
    if (inputs.isEmpty()) {
      return List.of();
    }
    List<Input> encoded = encode(inputs);
    SubmitMapResponse response = submit(function, r -> r.addAllInputs(encoded), mapOptions);
    if (response.getTaskIdsCount() != inputs.size()) {
      throw new QuarryException(
          Status.Code.INTERNAL,
          "the server returned "
              + response.getTaskIdsCount()
              + " task ids for "
              + inputs.size()
              + " inputs");
    }
    return track(response, userFunction);
  }

  /**
   * Submits {@code function} over stored data: the server lists the objects (or checks the URLs)
   * and plans one future per object or byte range.
   */
  public DataMap mapData(
      Object function, Object userFunction, StoredData data, MapOptions mapOptions) {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(mapOptions, "mapOptions");
    ensureOpen();
    dev.quarry.proto.v1.StoredData.Builder spec =
        dev.quarry.proto.v1.StoredData.newBuilder()
            .setBucket(data.bucket())
            .setPrefix(data.prefix())
            .addAllKeys(data.keys())
            .setObjChunkSize(data.objChunkSize())
            .setObjChunkNumber(data.objChunkNumber());
    data.urls().forEach(u -> spec.addUrls(u.toString()));
    SubmitMapResponse response = submit(function, r -> r.setData(spec), mapOptions);
    return new DataMap(track(response, userFunction), response.getDataObjectsList());
  }

  /**
   * The futures of a map over stored data, and the object (bucket/key) or URL each one reads, in
   * the same order (empty when the server does not say).
   */
  public record DataMap(List<TaskHandle> tasks, List<String> objects) {
    public DataMap {
      tasks = List.copyOf(tasks);
      objects = List.copyOf(objects);
    }
  }

  /**
   * Submits {@code function} over the results of earlier futures ({@code job:index} task ids): the
   * server reads each result from storage and makes it the input of one new future, so the client
   * downloads nothing.
   */
  public List<TaskHandle> mapResults(
      Object function, Object userFunction, List<String> taskIds, MapOptions mapOptions) {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(mapOptions, "mapOptions");
    ensureOpen();
    if (taskIds.isEmpty()) {
      return List.of();
    }
    SubmitMapResponse response = submit(function, r -> r.addAllInputFutures(taskIds), mapOptions);
    return track(response, userFunction);
  }

  private SubmitMapResponse submit(
      Object function,
      java.util.function.Consumer<SubmitMapRequest.Builder> what,
      MapOptions mapOptions) {
    PackedFunction packed = packer.pack(function);
    boolean wasCached = registry.isCached(packed);
    try {
      return submit(registry.functionId(packed), what, mapOptions);
    } catch (QuarryException e) {
      if (!wasCached || e.reason() != ErrorReason.FUNCTION_NOT_FOUND) {
        throw e;
      }
      // the server forgot the function (e.g. its database was reset): register it again
      registry.forget(packed);
      return submit(registry.functionId(packed), what, mapOptions);
    }
  }

  private List<TaskHandle> track(SubmitMapResponse response, Object userFunction) {
    JobTracker tracker =
        new JobTracker(
            this, response.getJob().getId(), response.getTaskIdsList(), loaders(userFunction));
    active.add(tracker);
    tracker.start();
    if (closed) {
      tracker.shutdown(closedError(tracker.jobId()));
    }
    return tracker.tasks();
  }

  private SubmitMapResponse submit(
      String functionId, java.util.function.Consumer<SubmitMapRequest.Builder> what, MapOptions o) {
    SubmitMapRequest.Builder request =
        SubmitMapRequest.newBuilder()
            .setFunction(functionId)
            .setChunkSize(o.chunkSize())
            .setMaxAttempts(o.maxAttempts())
            .setRetryFunctionErrors(o.retryFunctionErrors())
            .setLabel(o.label());
    what.accept(request);
    o.timeout().ifPresent(t -> request.setTimeoutMs(Math.max(1, t.toMillis())));
    options.profile().ifPresent(request::setProfile);
    return call("submitting the map", stub -> stub.submitMap(request.build()));
  }

  private static List<Input> encode(List<?> inputs) {
    List<Input> out = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      Object value = inputs.get(i);
      byte[] bytes;
      try {
        bytes = ObjectStreams.serialize(value);
      } catch (NotSerializableException e) {
        throw new IllegalArgumentException(
            "input "
                + i
                + " cannot be serialized: "
                + e.getMessage()
                + " does not implement java.io.Serializable",
            e);
      } catch (IOException e) {
        throw new IllegalArgumentException("input " + i + " cannot be serialized: " + e, e);
      }
      out.add(Input.newBuilder().setData(UnsafeByteOperations.unsafeWrap(bytes)).build());
    }
    return out;
  }

  /** Where result classes are looked up: the function's loader, then the caller's context. */
  private static List<ClassLoader> loaders(Object function) {
    List<ClassLoader> loaders = new ArrayList<>(3);
    for (ClassLoader l :
        new ClassLoader[] {
          function.getClass().getClassLoader(),
          Thread.currentThread().getContextClassLoader(),
          ClientCore.class.getClassLoader()
        }) {
      if (l != null && !loaders.contains(l)) {
        loaders.add(l);
      }
    }
    return loaders;
  }

  /**
   * The job's current state.
   *
   * @throws IllegalArgumentException if {@code jobId} is blank
   * @throws QuarryException if the job does not exist or the call fails
   */
  public JobInfo getJob(String jobId) {
    requireJobId(jobId);
    Job job =
        call(
            "getting job " + jobId,
            s -> s.getJob(GetJobRequest.newBuilder().setJobId(jobId).build()));
    return ProtoViews.job(job);
  }

  /**
   * Cancels the job on the server.
   *
   * @throws IllegalArgumentException if {@code jobId} is blank
   * @throws QuarryException if the job does not exist or the call fails
   */
  public JobInfo cancel(String jobId) {
    requireJobId(jobId);
    Job job =
        call(
            "cancelling job " + jobId,
            s -> s.cancelJob(CancelJobRequest.newBuilder().setJobId(jobId).build()));
    return ProtoViews.job(job);
  }

  /**
   * What future {@code index} of the job printed in its latest attempt, as UTF-8 text.
   *
   * @throws IllegalArgumentException if {@code jobId} is blank
   * @throws QuarryException if the job or index does not exist or the call fails
   */
  public String futureLogs(String jobId, int index) {
    requireJobId(jobId);
    return call(
            "reading the logs of future " + index + " of job " + jobId,
            s ->
                s.getFutureLogs(
                    GetFutureLogsRequest.newBuilder().setJobId(jobId).setIndex(index).build()))
        .getLog()
        .toStringUtf8();
  }

  /**
   * The statistics of future {@code index} of the job.
   *
   * @throws IllegalArgumentException if {@code jobId} is blank
   * @throws QuarryException if the job or index does not exist or the call fails
   */
  public dev.quarry.client.FutureStats futureStats(String jobId, int index) {
    requireJobId(jobId);
    return StatsViews.future(
        call(
            "reading the statistics of future " + index + " of job " + jobId,
            s ->
                s.getFutureStats(
                    dev.quarry.proto.v1.GetFutureStatsRequest.newBuilder()
                        .setJobId(jobId)
                        .setIndex(index)
                        .build())));
  }

  /**
   * The job's summary with its cost estimate.
   *
   * @throws IllegalArgumentException if {@code jobId} is blank
   * @throws QuarryException if the job does not exist or the call fails
   */
  public dev.quarry.client.JobSummary summary(String jobId) {
    requireJobId(jobId);
    return StatsViews.summary(
        call(
            "reading the summary of job " + jobId,
            s ->
                s.getJobSummary(
                    dev.quarry.proto.v1.GetJobSummaryRequest.newBuilder()
                        .setJobId(jobId)
                        .build())));
  }

  private static void requireJobId(String jobId) {
    if (jobId.isBlank()) {
      throw new IllegalArgumentException("jobId must not be blank");
    }
  }

  /** Cancels a job without waiting (a future's last pending sibling was cancelled). */
  void cancelInBackground(String jobId) {
    if (closed) {
      return;
    }
    async()
        .withDeadlineAfter(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .cancelJob(
            CancelJobRequest.newBuilder().setJobId(jobId).build(),
            new StreamObserver<Job>() {
              @Override
              public void onNext(Job value) {}

              @Override
              public void onError(Throwable t) {
                LOG.log(
                    System.Logger.Level.DEBUG,
                    "cancelling job {0} failed: {1}",
                    jobId,
                    t.toString());
              }

              @Override
              public void onCompleted() {}
            });
  }

  /**
   * Runs a unary call with the call deadline, mapping failures.
   *
   * @throws QuarryException if the call fails
   * @throws IllegalStateException if the client is closed
   */
  <T> T call(String action, Function<JobServiceGrpc.JobServiceBlockingStub, T> body) {
    ensureOpen();
    try {
      return body.apply(
          JobServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS));
    } catch (StatusRuntimeException e) {
      throw errors.fromGrpc(e, action);
    }
  }

  JobServiceGrpc.JobServiceStub async() {
    return JobServiceGrpc.newStub(channel);
  }

  /** The options this client was made with. */
  public ClientOptions options() {
    return options;
  }

  /** Where this client connects and with which key. */
  public ClientConfig config() {
    return config;
  }

  Errors errors() {
    return errors;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  ExecutorService workers() {
    return workers;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  void finished(JobTracker tracker) {
    active.remove(tracker);
  }

  QuarryException closedError(String jobId) {
    return new QuarryException(
        Status.Code.CANCELLED,
        "the FunctionExecutor was closed before this result arrived (job "
            + jobId
            + " keeps running on the server)",
        false,
        null);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this FunctionExecutor is closed");
    }
  }

  /** Number of jobs with pending futures (for tests). */
  int activeJobs() {
    return active.size();
  }

  /**
   * Stops the result streams (pending futures fail), then shuts the channel down, waiting up to 5
   * seconds.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (JobTracker t : List.copyOf(active)) {
      t.shutdown(closedError(t.jobId()));
    }
    managedChannel.shutdown();
    try {
      if (!managedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
        managedChannel.shutdownNow();
        managedChannel.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      managedChannel.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      scheduler.shutdownNow();
      workers.shutdown();
    }
  }
}
