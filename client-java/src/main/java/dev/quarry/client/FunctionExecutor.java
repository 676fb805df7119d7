package dev.quarry.client;

import dev.quarry.client.internal.ClientCore;
import dev.quarry.client.internal.ContextAdapter;
import dev.quarry.client.internal.MapReduceStages;
import dev.quarry.client.internal.TaskHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Runs Java functions on a Quarry server: one call with {@link #callAsync}, or one call per input
 * with {@link #map}. Each call returns at once with {@link JobFuture}s that complete as the server
 * reports results.
 *
 * <pre>{@code
 * try (var fexec = FunctionExecutor.connect("localhost:9090")) {
 *   JobFuture<String> f = fexec.callAsync(name -> "Hello " + name + "!", "World");
 *   System.out.println(f.get());
 *   var futures = fexec.map(x -> x * 2, List.of(1, 2, 3, 4));
 *   System.out.println(fexec.getResult(futures)); // [2, 4, 6, 8]
 * }
 * }</pre>
 *
 * <p><b>How functions are shipped.</b> The function object is serialized with Java serialization,
 * and the entries of the client's classpath (jars as they are, class directories packed into jars)
 * are uploaded once, by content digest. The first call of a function registers it; later calls of
 * the same function (same serialized bytes, same classpath) cost one round trip. Inputs and results
 * are Java-serialized as well.
 *
 * <p><b>Configuration.</b> The API key is taken from {@link ClientOptions#apiKey()}, else {@code
 * $QUARRY_API_KEY}, else the {@code api_key} entry of the config file; the server address from the
 * {@code target} argument, else {@code $QUARRY_ADDRESS}, else the {@code grpc_address} entry, else
 * {@code localhost:9090}. The config file is {@link ClientOptions#configFile()}, else {@code
 * $QUARRY_CONFIG}, else {@code -Dquarry.config}, else {@code ~/.quarry/config} (written by the
 * server at its first start).
 *
 * <p>An executor is thread-safe. Close it when done: {@link #close()} stops waiting for results
 * (the jobs keep running on the server).
 *
 * <p>Long because it is the client's public API (Lithops' executor: callAsync, map and its
 * overloads, waitFor, getResult), each method documented; the work is in ClientCore.
 */
public final class FunctionExecutor implements AutoCloseable {
  private final ClientCore core;

  private FunctionExecutor(ClientCore core) {
    this.core = core;
  }

  /** An executor over an existing core (tests). */
  static FunctionExecutor of(ClientCore core) {
    return new FunctionExecutor(core);
  }

  /**
   * Connects to the configured server (see the class documentation) with default options.
   *
   * @throws QuarryException if an explicitly named config file is missing or unreadable
   */
  public static FunctionExecutor connect() {
    return connect(ClientOptions.DEFAULT);
  }

  /**
   * Connects to the configured server with these options.
   *
   * @throws QuarryException if an explicitly named config file is missing or unreadable
   * @throws NullPointerException if {@code options} is null
   */
  public static FunctionExecutor connect(ClientOptions options) {
    return new FunctionExecutor(
        ClientCore.connect(null, Objects.requireNonNull(options, "options")));
  }

  /**
   * Connects to {@code target} ({@code host:port}, or {@code https://host:port} for TLS) with
   * default options. The channel connects lazily: an unreachable server shows up as a {@link
   * QuarryException} ({@code UNAVAILABLE}) on the first call.
   *
   * @throws IllegalArgumentException if {@code target} is blank
   * @throws QuarryException if an explicitly named config file is missing or unreadable
   */
  public static FunctionExecutor connect(String target) {
    return connect(target, ClientOptions.DEFAULT);
  }

  /**
   * Connects to {@code target} with these options.
   *
   * @throws IllegalArgumentException if {@code target} is blank
   * @throws QuarryException if an explicitly named config file is missing or unreadable
   * @throws NullPointerException if an argument is null
   */
  public static FunctionExecutor connect(String target, ClientOptions options) {
    Objects.requireNonNull(target, "target");
    return new FunctionExecutor(
        ClientCore.connect(target, Objects.requireNonNull(options, "options")));
  }

  /**
   * Runs {@code function} on {@code input} remotely.
   *
   * @param function the function (a lambda, method reference or instance); must be serializable
   * @param input the input; must be serializable (may be null)
   * @return the future of the result
   * @throws IllegalArgumentException if the function or the input cannot be serialized
   * @throws QuarryException if the server rejects the call or cannot be reached
   * @throws IllegalStateException if this executor is closed
   */
  public <T extends @Nullable Object, R extends @Nullable Object> JobFuture<R> callAsync(
      SerializableFunction<T, R> function, T input) {
    return callAsync(function, input, MapOptions.DEFAULT);
  }

  /**
   * Runs {@code function} on {@code input} remotely with these options.
   *
   * @throws IllegalArgumentException if the function or the input cannot be serialized
   * @throws QuarryException if the server rejects the call or cannot be reached
   * @throws IllegalStateException if this executor is closed
   */
  public <T extends @Nullable Object, R extends @Nullable Object> JobFuture<R> callAsync(
      SerializableFunction<T, R> function, T input, MapOptions options) {
    return map(function, Collections.singletonList(input), options).getFirst();
  }

  /**
   * Runs {@code function} on every input remotely, as one job.
   *
   * @param function the function; must be serializable
   * @param inputs the inputs; each must be serializable (nulls allowed)
   * @return one future per input, in input order (empty, without a server call, for no inputs)
   * @throws IllegalArgumentException if the function or an input cannot be serialized
   * @throws QuarryException if the server rejects the job (too many inputs, input too large, ...)
   *     or cannot be reached
   * @throws IllegalStateException if this executor is closed
   */
  public <T extends @Nullable Object, R extends @Nullable Object> List<JobFuture<R>> map(
      SerializableFunction<T, R> function, List<? extends T> inputs) {
    return map(function, inputs, MapOptions.DEFAULT);
  }

  /**
   * Runs {@code function} on every input remotely, as one job, with these options.
   *
   * @throws IllegalArgumentException if the function or an input cannot be serialized
   * @throws QuarryException if the server rejects the job or cannot be reached
   * @throws IllegalStateException if this executor is closed
   * @throws NullPointerException if an argument is null
   */
  public <T extends @Nullable Object, R extends @Nullable Object> List<JobFuture<R>> map(
      SerializableFunction<T, R> function, List<? extends T> inputs, MapOptions options) {
    List<TaskHandle> tasks = core.map(function, inputs, options);
    List<JobFuture<R>> futures = new ArrayList<>(tasks.size());
    for (TaskHandle t : tasks) {
      futures.add(new JobFuture<>(t, core));
    }
    return Collections.unmodifiableList(futures);
  }

  /**
   * Runs a {@link ContextFunction} on {@code input} remotely: it also receives a {@link
   * FunctionContext} through which it reads and writes the team's stored objects.
   *
   * @throws IllegalArgumentException if the function or the input cannot be serialized
   * @throws QuarryException if the server rejects the call or cannot be reached
   * @throws IllegalStateException if this executor is closed
   */
  public <T extends @Nullable Object, R extends @Nullable Object> JobFuture<R> callAsync(
      ContextFunction<T, R> function, T input) {
    return map(function, Collections.singletonList(input), MapOptions.DEFAULT).getFirst();
  }

  /**
   * Runs a {@link ContextFunction} on every input remotely, as one job; each call also receives a
   * {@link FunctionContext}.
   *
   * @throws IllegalArgumentException if the function or an input cannot be serialized
   * @throws QuarryException if the server rejects the job or cannot be reached
   * @throws IllegalStateException if this executor is closed
   */
  public <T extends @Nullable Object, R extends @Nullable Object> List<JobFuture<R>> map(
      ContextFunction<T, R> function, List<? extends T> inputs) {
    return map(function, inputs, MapOptions.DEFAULT);
  }

  /** Like {@link #map(ContextFunction, List)}, with these options. */
  public <T extends @Nullable Object, R extends @Nullable Object> List<JobFuture<R>> map(
      ContextFunction<T, R> function, List<? extends T> inputs, MapOptions options) {
    return futures(core.map(ContextAdapter.of(function), function, inputs, options));
  }

  /**
   * Maps {@code function} over stored objects: the server lists {@code data}'s objects and plans
   * one future per object, or per byte range of whole lines when {@code data} asks to split them
   * ({@link StoredData#objChunkSize}, {@link StoredData#objChunkNumber}). Each call receives its
   * {@link DataChunk}.
   *
   * <pre>{@code
   * List<JobFuture<Long>> counts = fexec.map(
   *     (DataChunk c) -> c.lines().count(), StoredData.prefix("logs", "2026/").objChunkNumber(8));
   * }</pre>
   *
   * @return one future per planned range, in key order, then range order
   * @throws QuarryException if the server rejects the job (no such objects: {@code
   *     OBJECT_NOT_FOUND}; too many ranges; bad names) or cannot be reached
   */
  public <R extends @Nullable Object> List<JobFuture<R>> map(
      SerializableFunction<DataChunk, R> function, StoredData data) {
    return map(function, data, MapOptions.DEFAULT);
  }

  /** Like {@link #map(SerializableFunction, StoredData)}, with these options. */
  public <R extends @Nullable Object> List<JobFuture<R>> map(
      SerializableFunction<DataChunk, R> function, StoredData data, MapOptions options) {
    return futures(
        core.mapData(ContextAdapter.ofChunks(function), function, data, options).tasks());
  }

  /**
   * Like {@link #map(SerializableFunction, StoredData)}, with a function that also receives a
   * {@link FunctionContext} (e.g. to write its own output objects).
   */
  public <R extends @Nullable Object> List<JobFuture<R>> map(
      ContextFunction<DataChunk, R> function, StoredData data) {
    return map(function, data, MapOptions.DEFAULT);
  }

  /** Like {@link #map(ContextFunction, StoredData)}, with these options. */
  public <R extends @Nullable Object> List<JobFuture<R>> map(
      ContextFunction<DataChunk, R> function, StoredData data, MapOptions options) {
    return futures(
        core.mapData(ContextAdapter.ofChunks(function), function, data, options).tasks());
  }

  /**
   * Maps {@code function} over the results of earlier futures without downloading them: the server
   * reads each future's stored result and makes it the input of one new future, in list order. The
   * earlier futures may come from several jobs of this team; each must have succeeded (wait for
   * them first, e.g. with {@link #waitFor(List, WaitMode)}), else the server refuses the map with
   * {@code FUTURE_NOT_READY}.
   *
   * <pre>{@code
   * List<JobFuture<Integer>> squares = fexec.map((Integer x) -> x * x, List.of(1, 2, 3));
   * fexec.waitFor(squares, WaitMode.ALL_COMPLETED);
   * List<JobFuture<Integer>> plusOne = fexec.mapResults((Integer s) -> s + 1, squares);
   * }</pre>
   *
   * @return one future per earlier future, in the same order
   * @throws QuarryException if the server rejects the job ({@code JOB_NOT_FOUND} for another team's
   *     future, {@code FUTURE_NOT_READY} for an unfinished or failed one) or cannot be reached
   */
  public <T extends @Nullable Object, R extends @Nullable Object> List<JobFuture<R>> mapResults(
      SerializableFunction<T, R> function,
      List<? extends JobFuture<? extends T>> futures,
      MapOptions options) {
    List<String> ids = new ArrayList<>(futures.size());
    for (JobFuture<? extends T> f : futures) {
      ids.add(f.taskId());
    }
    return futures(core.mapResults(function, function, ids, options));
  }

  /** {@link #mapResults(SerializableFunction, List, MapOptions)} with defaults. */
  public <T extends @Nullable Object, R extends @Nullable Object> List<JobFuture<R>> mapResults(
      SerializableFunction<T, R> function, List<? extends JobFuture<? extends T>> futures) {
    return mapResults(function, futures, MapOptions.DEFAULT);
  }

  /**
   * Maps {@code mapFn} over {@code inputs}, then reduces all map results with {@code reduceFn} in
   * one more remote call that receives them as a stream. The results go from the maps to the
   * reducer through the team's storage (bucket {@value MapReduceStages#BUCKET}, removed by the
   * reducer once it succeeded; they count towards the storage quota meanwhile): the client does not
   * download them. The reducer is submitted when {@link MapOptions#spawnReducerAt()} of the maps
   * are done (this call waits until then); a failed map fails the reducer.
   *
   * <pre>{@code
   * MapReduce<Integer, Integer> mr = fexec.mapReduce(
   *     (Integer x) -> x * x, List.of(1, 2, 3), squares -> squares.mapToInt(i -> i).sum());
   * int sum = mr.reducer().get(); // 14
   * }</pre>
   *
   * @throws QuarryException if the server rejects a job or cannot be reached, or {@code CANCELLED}
   *     if the thread was interrupted while waiting to submit the reducer
   */
  public <T extends @Nullable Object, R extends @Nullable Object, S extends @Nullable Object>
      MapReduce<R, S> mapReduce(
          SerializableFunction<T, R> mapFn,
          List<? extends T> inputs,
          ReduceFunction<R, S> reduceFn,
          MapOptions options) {
    String prefix = java.util.UUID.randomUUID() + "/";
    List<MapReduceStages.Indexed> indexed = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      indexed.add(new MapReduceStages.Indexed(i, inputs.get(i)));
    }
    @SuppressWarnings("unchecked")
    SerializableFunction<@Nullable Object, @Nullable Object> plain =
        (SerializableFunction<@Nullable Object, @Nullable Object>) mapFn;
    ContextFunction<MapReduceStages.Indexed, @Nullable Object> stage =
        MapReduceStages.mapOver((x, ctx) -> plain.apply(x), prefix);
    List<JobFuture<R>> maps = futures(core.map(ContextAdapter.of(stage), mapFn, indexed, options));
    return new MapReduce<>(maps, reducer(maps, prefix, reduceFn, options));
  }

  /** {@link #mapReduce(SerializableFunction, List, ReduceFunction, MapOptions)} with defaults. */
  public <T extends @Nullable Object, R extends @Nullable Object, S extends @Nullable Object>
      MapReduce<R, S> mapReduce(
          SerializableFunction<T, R> mapFn,
          List<? extends T> inputs,
          ReduceFunction<R, S> reduceFn) {
    return mapReduce(mapFn, inputs, reduceFn, MapOptions.DEFAULT);
  }

  /**
   * Like {@link #mapReduce(SerializableFunction, List, ReduceFunction, MapOptions)}, over stored
   * data ({@link #map(SerializableFunction, StoredData)}): e.g. a word count over a bucket prefix.
   */
  public <R extends @Nullable Object, S extends @Nullable Object> MapReduce<R, S> mapReduce(
      SerializableFunction<DataChunk, R> mapFn,
      StoredData data,
      ReduceFunction<R, S> reduceFn,
      MapOptions options) {
    String prefix = java.util.UUID.randomUUID() + "/";
    ContextFunction<DataChunk, @Nullable Object> stage =
        MapReduceStages.mapOverChunks((chunk, ctx) -> mapFn.apply(chunk), prefix);
    ClientCore.DataMap planned = core.mapData(ContextAdapter.ofChunks(stage), mapFn, data, options);
    List<JobFuture<R>> maps = futures(planned.tasks());
    if (!options.reducerPerObject()) {
      return new MapReduce<>(maps, reducer(maps, prefix, reduceFn, options));
    }
    if (planned.objects().size() != maps.size()) {
      throw new QuarryException(
          io.grpc.Status.Code.INTERNAL, "the server did not say which object each future reads");
    }
    java.util.Map<String, Integer> ranges = new java.util.LinkedHashMap<>();
    planned.objects().forEach(o -> ranges.merge(o, 1, Integer::sum));
    List<MapReduceStages.Where> where = new ArrayList<>(ranges.size());
    ranges.forEach(
        (object, count) ->
            where.add(
                new MapReduceStages.Where(
                    MapReduceStages.BUCKET, MapReduceStages.objectPrefix(prefix, object), count)));
    return new MapReduce<>(
        maps, reducers(maps, where, reduceFn, options), List.copyOf(ranges.keySet()));
  }

  private <R extends @Nullable Object, S extends @Nullable Object> JobFuture<S> reducer(
      List<JobFuture<R>> maps, String prefix, ReduceFunction<R, S> reduceFn, MapOptions options) {
    return reducers(
            maps,
            List.of(new MapReduceStages.Where(MapReduceStages.BUCKET, prefix, maps.size())),
            reduceFn,
            options)
        .getFirst();
  }

  /** One reducer per {@code where}, as one job, once enough maps are done. */
  private <R extends @Nullable Object, S extends @Nullable Object> List<JobFuture<S>> reducers(
      List<JobFuture<R>> maps,
      List<MapReduceStages.Where> where,
      ReduceFunction<R, S> reduceFn,
      MapOptions options) {
    Waits.waitFor(maps, WaitThreshold.share(options.spawnReducerAt()), null);
    @SuppressWarnings("unchecked")
    ReduceFunction<@Nullable Object, @Nullable Object> reduce =
        (ReduceFunction<@Nullable Object, @Nullable Object>) (ReduceFunction<?, ?>) reduceFn;
    return futures(
        core.map(ContextAdapter.of(MapReduceStages.reduceOver(reduce)), reduceFn, where, options));
  }

  /**
   * Waits until {@code threshold} of the futures are done (a share or a count; failed and cancelled
   * count as done) or {@code timeout} elapses.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws QuarryException {@code CANCELLED} if the thread was interrupted
   */
  public <R extends @Nullable Object> WaitResult<R> waitFor(
      List<? extends JobFuture<R>> futures, WaitThreshold threshold, Duration timeout) {
    return Waits.waitFor(
        futures,
        Objects.requireNonNull(threshold, "threshold"),
        Objects.requireNonNull(timeout, "timeout"),
        progress());
  }

  private <R extends @Nullable Object> List<JobFuture<R>> futures(List<TaskHandle> tasks) {
    List<JobFuture<R>> futures = new ArrayList<>(tasks.size());
    for (TaskHandle t : tasks) {
      futures.add(new JobFuture<>(t, core));
    }
    return Collections.unmodifiableList(futures);
  }

  /**
   * Waits for all futures and returns their results in list order. The futures may come from
   * several jobs and executors. Fails as soon as a future fails.
   *
   * @return the results (may contain nulls)
   * @throws RemoteFunctionException the failure of the first failed future (in list order), as is
   * @throws QuarryException if a result could not be obtained, or {@code CANCELLED} if the thread
   *     was interrupted (its interrupt flag is set again)
   * @throws CancellationException if a future was cancelled
   * @throws NullPointerException if the list or an element is null
   */
  public <R extends @Nullable Object> List<R> getResult(
      List<? extends JobFuture<? extends R>> futures) {
    return Waits.results(futures, null, progress());
  }

  /**
   * Like {@link #getResult(List)}, waiting at most {@code timeout}.
   *
   * @throws QuarryException {@code DEADLINE_EXCEEDED} if not every result arrived in time
   * @throws RemoteFunctionException the failure of the first failed future (in list order)
   * @throws CancellationException if a future was cancelled
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public <R extends @Nullable Object> List<R> getResult(
      List<? extends JobFuture<? extends R>> futures, Duration timeout) {
    return Waits.results(futures, Objects.requireNonNull(timeout, "timeout"), progress());
  }

  /**
   * Waits until the futures are done as {@code mode} says or {@code timeout} elapses, and splits
   * them into done and not done (each in list order). Never throws for failed futures: check them
   * with {@link JobFuture#get()}.
   *
   * @param mode {@link WaitMode#ALL_COMPLETED}, {@link WaitMode#ANY_COMPLETED}, or {@link
   *     WaitMode#ALWAYS} to return at once
   * @param timeout the longest wait (ignored for {@code ALWAYS})
   * @throws IllegalArgumentException if {@code timeout} is negative
   * @throws QuarryException {@code CANCELLED} if the thread was interrupted (its interrupt flag is
   *     set again)
   * @throws NullPointerException if an argument or an element is null
   */
  public <R extends @Nullable Object> WaitResult<R> waitFor(
      List<? extends JobFuture<R>> futures, WaitMode mode, Duration timeout) {
    return Waits.waitFor(
        futures,
        Objects.requireNonNull(mode, "mode"),
        Objects.requireNonNull(timeout, "timeout"),
        progress());
  }

  /**
   * Waits without a time limit until the futures are done as {@code mode} says.
   *
   * @throws QuarryException {@code CANCELLED} if the thread was interrupted
   * @throws NullPointerException if an argument or an element is null
   */
  public <R extends @Nullable Object> WaitResult<R> waitFor(
      List<? extends JobFuture<R>> futures, WaitMode mode) {
    return Waits.waitFor(futures, Objects.requireNonNull(mode, "mode"), null, progress());
  }

  /** The progress bar setting of this executor's options. */
  private Progress progress() {
    return core.options().progress();
  }

  /**
   * The job's current state on the server.
   *
   * @throws IllegalArgumentException if {@code jobId} is blank
   * @throws QuarryException if the job does not exist (NOT_FOUND) or the call fails
   * @throws IllegalStateException if this executor is closed
   */
  public JobInfo getJob(String jobId) {
    return core.getJob(jobId);
  }

  /**
   * The job's summary: counts, duration and queue-time percentiles, CPU time, bytes, and a cost
   * estimate from its backend's pricing settings (Lambda; none for local workers).
   *
   * @throws IllegalArgumentException if {@code jobId} is blank
   * @throws QuarryException if the job does not exist (NOT_FOUND) or the call fails
   * @throws IllegalStateException if this executor is closed
   */
  public JobSummary summary(String jobId) {
    return core.summary(jobId);
  }

  /**
   * Cancels a whole job on the server; its pending futures are then cancelled as the server reports
   * it.
   *
   * @return the job after the cancel
   * @throws IllegalArgumentException if {@code jobId} is blank
   * @throws QuarryException if the job does not exist (NOT_FOUND) or the call fails
   * @throws IllegalStateException if this executor is closed
   */
  public JobInfo cancel(String jobId) {
    return core.cancel(jobId);
  }

  /**
   * An {@link ExecutorService} view that runs each submitted task remotely as a one-input job.
   * Tasks must be serializable, e.g. {@code (Callable<Integer> & Serializable) () -> 42}; others
   * are rejected. Shutting the view down does not close this executor.
   *
   * @throws IllegalStateException if this executor is closed
   */
  public ExecutorService asExecutorService() {
    if (core.isClosed()) {
      throw new IllegalStateException("this FunctionExecutor is closed");
    }
    return new RemoteExecutorService(this);
  }

  /**
   * A {@link QuarryStorage} on the same server, with the same key and options (its own connection:
   * close it when done).
   */
  public QuarryStorage storage() {
    return QuarryStorage.connect(core.config(), core.options());
  }

  /**
   * Stops receiving results and closes the connection (waiting up to 5 seconds). Futures still
   * pending fail with a {@link QuarryException} ({@code CANCELLED}); the jobs keep running on the
   * server. Calling it again has no effect.
   */
  @Override
  public void close() {
    core.close();
  }
}
