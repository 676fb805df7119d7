package dev.quarry.client;

import com.google.protobuf.ByteString;
import dev.quarry.client.internal.ClientConfig;
import dev.quarry.client.internal.Connection;
import dev.quarry.client.internal.Digests;
import dev.quarry.client.internal.ProtoViews;
import dev.quarry.client.internal.StatsViews;
import dev.quarry.proto.v1.BlobHeader;
import dev.quarry.proto.v1.CancelJobRequest;
import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.FindMissingBlobsRequest;
import dev.quarry.proto.v1.FunctionInfo;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.GetFutureLogsRequest;
import dev.quarry.proto.v1.GetFutureStatsRequest;
import dev.quarry.proto.v1.GetJobRequest;
import dev.quarry.proto.v1.GetJobSummaryRequest;
import dev.quarry.proto.v1.Input;
import dev.quarry.proto.v1.JobEvent;
import dev.quarry.proto.v1.JobServiceGrpc;
import dev.quarry.proto.v1.ListFunctionsRequest;
import dev.quarry.proto.v1.ListJobsRequest;
import dev.quarry.proto.v1.RegisterFunctionRequest;
import dev.quarry.proto.v1.ResultOrder;
import dev.quarry.proto.v1.RetryFailedRequest;
import dev.quarry.proto.v1.RetryFailedResponse;
import dev.quarry.proto.v1.StreamResultsRequest;
import dev.quarry.proto.v1.SubmitMapRequest;
import dev.quarry.proto.v1.TaskResult;
import dev.quarry.proto.v1.UploadBlobRequest;
import dev.quarry.proto.v1.UploadBlobResponse;
import dev.quarry.proto.v1.WatchJobRequest;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Jobs and functions by id and name, for tools (the {@code quarry} command line) rather than
 * programs: list, inspect, watch, cancel jobs, stream their results as they are stored, submit JSON
 * inputs to functions registered by name, register jar functions. Programs that run Java functions
 * use {@link FunctionExecutor}.
 *
 * <pre>{@code
 * try (var jobs = QuarryJobs.connect(null, ClientOptions.DEFAULT)) {
 *   JobInfo job = jobs.submitJson("upper", List.of("\"a\"", "\"b\""), JsonSubmitOptions.DEFAULT);
 *   jobs.watch(job.id(), j -> System.out.println(j.done() + "/" + j.total()));
 *   jobs.results(job.id(), true, r -> System.out.println(r.jsonResult().orElse(null)));
 * }
 * }</pre>
 *
 * <p>Every method throws {@link QuarryException} when the call fails (unknown job: {@code
 * NOT_FOUND}, bad key: {@code UNAUTHENTICATED}, no server: {@code UNAVAILABLE}).
 *
 * <p>Long because it is a public API with one documented method per job operation the command-line
 * tool needs.
 */
public final class QuarryJobs implements AutoCloseable {
  private static final int UPLOAD_CHUNK = 1 << 20;

  private final Connection connection;
  private final JobServiceGrpc.JobServiceBlockingStub blocking;
  private final JobServiceGrpc.JobServiceStub async;
  private final ClientOptions options;

  private QuarryJobs(Connection connection, ClientOptions options) {
    this.connection = connection;
    this.blocking =
        JobServiceGrpc.newBlockingStub(connection.channel()).withInterceptors(connection.auth());
    this.async = JobServiceGrpc.newStub(connection.channel()).withInterceptors(connection.auth());
    this.options = options;
  }

  /**
   * Connects to {@code target} (null: the configured one, as {@link FunctionExecutor#connect()}
   * finds it). The channel connects lazily.
   *
   * @throws QuarryException if an explicitly named config file is missing or unreadable
   */
  public static QuarryJobs connect(@Nullable String target, ClientOptions options) {
    ClientConfig config = ClientConfig.resolve(target, Objects.requireNonNull(options, "options"));
    return connect(config, options);
  }

  /** Connects as an already resolved {@link ClientConfig} says. */
  public static QuarryJobs connect(ClientConfig config, ClientOptions options) {
    return new QuarryJobs(Connection.open(config, options), options);
  }

  /** The tenant's {@code limit} (1-1000) most recent jobs, newest first. */
  public List<JobInfo> list(int limit) {
    return call(
        "list jobs",
        () ->
            unary()
                .listJobs(ListJobsRequest.newBuilder().setLimit(limit).build())
                .getJobsList()
                .stream()
                .map(ProtoViews::job)
                .toList());
  }

  /** The job's current state. */
  public JobInfo get(String jobId) {
    return call(
        "get job " + jobId,
        () -> ProtoViews.job(unary().getJob(GetJobRequest.newBuilder().setJobId(jobId).build())));
  }

  /** Cancels the job's unfinished futures; returns the job after the cancel. */
  public JobInfo cancel(String jobId) {
    return call(
        "cancel job " + jobId,
        () ->
            ProtoViews.job(
                unary().cancelJob(CancelJobRequest.newBuilder().setJobId(jobId).build())));
  }

  /**
   * Runs the job's failed futures again, each with fresh attempts; a finished job runs again until
   * they end. Fails with {@link ErrorReason#JOB_CANCELLED} for a cancelled job.
   */
  public RetriedJob retryFailed(String jobId) {
    return call(
        "retry failed futures of job " + jobId,
        () -> {
          RetryFailedResponse r =
              unary().retryFailed(RetryFailedRequest.newBuilder().setJobId(jobId).build());
          return new RetriedJob(ProtoViews.job(r.getJob()), r.getRetried());
        });
  }

  /**
   * What future {@code index} of the job printed to stdout and stderr in its latest attempt (at
   * most 1 MiB, then a {@code ...[truncated N bytes]} line), decoded as UTF-8; empty if it printed
   * nothing or has not finished an attempt. Fails with {@link ErrorReason#JOB_NOT_FOUND} for an
   * unknown job (another tenant's included) and {@link ErrorReason#NOT_FOUND} for an index the job
   * does not have.
   */
  public String logs(String jobId, int index) {
    return call(
        "read the logs of future " + index + " of job " + jobId,
        () ->
            unary()
                .getFutureLogs(
                    GetFutureLogsRequest.newBuilder().setJobId(jobId).setIndex(index).build())
                .getLog()
                .toStringUtf8());
  }

  /**
   * The statistics of future {@code index} of the job. Fails with {@link ErrorReason#JOB_NOT_FOUND}
   * for an unknown job (another tenant's included) and {@link ErrorReason#NOT_FOUND} for an index
   * the job does not have.
   */
  public FutureStats stats(String jobId, int index) {
    return call(
        "read the statistics of future " + index + " of job " + jobId,
        () ->
            StatsViews.future(
                unary()
                    .getFutureStats(
                        GetFutureStatsRequest.newBuilder()
                            .setJobId(jobId)
                            .setIndex(index)
                            .build())));
  }

  /**
   * The job's counts, duration and queue-time percentiles, totals and cost estimate. Fails with
   * {@link ErrorReason#JOB_NOT_FOUND} for an unknown job (another tenant's included).
   */
  public JobSummary summary(String jobId) {
    return call(
        "read the summary of job " + jobId,
        () ->
            StatsViews.summary(
                unary().getJobSummary(GetJobSummaryRequest.newBuilder().setJobId(jobId).build())));
  }

  /**
   * Calls {@code onEvent} with the job's state at once and at every change, until the job ends;
   * returns its final state.
   */
  public JobInfo watch(String jobId, Consumer<JobInfo> onEvent) {
    return call(
        "watch job " + jobId,
        () -> {
          JobInfo last = null;
          Iterator<JobEvent> events =
              blocking.watchJob(WatchJobRequest.newBuilder().setJobId(jobId).build());
          while (events.hasNext()) {
            last = ProtoViews.job(events.next().getJob());
            onEvent.accept(last);
          }
          return last != null
              ? last
              : ProtoViews.job(unary().getJob(GetJobRequest.newBuilder().setJobId(jobId).build()));
        });
  }

  /**
   * Calls {@code each} with every finished future of the job, in input order or in completion
   * order, until the job ends.
   */
  public void results(String jobId, boolean inputOrder, Consumer<TaskOutcome> each) {
    call(
        "stream the results of job " + jobId,
        () -> {
          boolean json =
              unary().getJob(GetJobRequest.newBuilder().setJobId(jobId).build()).getCodec()
                  == Codec.CODEC_JSON;
          Iterator<TaskResult> results =
              blocking.streamResults(
                  StreamResultsRequest.newBuilder()
                      .setJobId(jobId)
                      .setOrder(
                          inputOrder
                              ? ResultOrder.RESULT_ORDER_INPUT
                              : ResultOrder.RESULT_ORDER_COMPLETION)
                      .build());
          while (results.hasNext()) {
            each.accept(outcome(results.next(), json));
          }
          return null;
        });
  }

  /**
   * Submits one job of a function registered by name (or a builtin), one future per JSON input.
   *
   * @param jsonInputs the JSON text of each input
   */
  public JobInfo submitJson(String function, List<String> jsonInputs, JsonSubmitOptions o) {
    SubmitMapRequest.Builder r =
        SubmitMapRequest.newBuilder().setFunction(function).setChunkSize(o.chunkSize());
    jsonInputs.forEach(in -> r.addInputs(Input.newBuilder().setJson(in)));
    if (o.profile() != null) {
      r.setProfile(o.profile());
    }
    if (o.label() != null) {
      r.setLabel(o.label());
    }
    return call("submit " + function, () -> ProtoViews.job(unary().submitMap(r.build()).getJob()));
  }

  /** The functions registered by the caller's team, and the builtins. */
  public List<FunctionSummary> functions() {
    return call(
        "list functions",
        () ->
            unary()
                .listFunctions(ListFunctionsRequest.getDefaultInstance())
                .getFunctionsList()
                .stream()
                .map(QuarryJobs::summary)
                .toList());
  }

  /**
   * Uploads the jars the server lacks and registers {@code entryClass} (a {@code
   * java.util.function.Function} taking and returning JSON values) under {@code name}.
   *
   * @throws QuarryException also when a jar cannot be read ({@code INVALID_ARGUMENT})
   */
  public FunctionSummary registerJar(String name, String entryClass, List<Path> jars) {
    List<String> digests = new ArrayList<>();
    for (Path jar : jars) {
      try {
        digests.add(Digests.of(jar));
      } catch (IOException e) {
        throw new QuarryException(
            io.grpc.Status.Code.INVALID_ARGUMENT, "cannot read " + jar + ": " + e.getMessage());
      }
    }
    var missing =
        new HashSet<>(
            call(
                "check which jars the server holds",
                () ->
                    unary()
                        .findMissingBlobs(
                            FindMissingBlobsRequest.newBuilder().addAllDigests(digests).build())
                        .getMissingList()));
    for (int i = 0; i < jars.size(); i++) {
      if (missing.remove(digests.get(i))) {
        upload(jars.get(i), digests.get(i));
      }
    }
    return call(
        "register " + name,
        () ->
            summary(
                unary()
                    .registerFunction(
                        RegisterFunctionRequest.newBuilder()
                            .setName(name)
                            .setKind(FunctionKind.FUNCTION_KIND_JAR_ENTRY)
                            .setEntryClass(entryClass)
                            .addAllJarDigests(digests)
                            .build())));
  }

  private void upload(Path jar, String digest) {
    CompletableFuture<UploadBlobResponse> done = new CompletableFuture<>();
    StreamObserver<UploadBlobRequest> out =
        async.uploadBlob(
            new StreamObserver<>() {
              @Override
              public void onNext(UploadBlobResponse r) {
                done.complete(r);
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                done.complete(null);
              }
            });
    try (InputStream in = Files.newInputStream(jar)) {
      out.onNext(
          UploadBlobRequest.newBuilder()
              .setHeader(BlobHeader.newBuilder().setDigest(digest).setSize(Files.size(jar)))
              .build());
      byte[] buf = new byte[UPLOAD_CHUNK];
      for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; ) {
        out.onNext(UploadBlobRequest.newBuilder().setData(ByteString.copyFrom(buf, 0, n)).build());
      }
      out.onCompleted();
      done.get(options.callTimeout().toMillis() * 10, TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      out.onError(e);
      throw new QuarryException(
          io.grpc.Status.Code.INVALID_ARGUMENT, "cannot read " + jar + ": " + e.getMessage());
    } catch (ExecutionException e) {
      throw connection.failure(e.getCause(), "upload " + jar);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QuarryException(
          io.grpc.Status.Code.CANCELLED, "interrupted while uploading " + jar);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new QuarryException(
          io.grpc.Status.Code.DEADLINE_EXCEEDED, "uploading " + jar + " took too long");
    }
  }

  private JobServiceGrpc.JobServiceBlockingStub unary() {
    return blocking.withDeadlineAfter(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T> T call(String action, Supplier<T> rpc) {
    return connection.call(action, rpc);
  }

  private static TaskOutcome outcome(TaskResult r, boolean json) {
    String state = r.getState().name().substring("TASK_STATE_".length());
    boolean hasError = r.hasError() && !"SUCCEEDED".equals(state);
    return new TaskOutcome(
        r.getTaskId(),
        r.getIndex(),
        state,
        r.getData().toByteArray(),
        json,
        hasError ? r.getError().getType() : null,
        hasError ? r.getError().getMessage() : null,
        r.getSeq(),
        r.getAttempts(),
        r.getDurationMs(),
        r.getColdStart(),
        r.getStartedAtMs(),
        r.getFinishedAtMs());
  }

  private static FunctionSummary summary(FunctionInfo f) {
    return new FunctionSummary(
        f.getId(),
        f.getName(),
        f.getKind().name().replace("FUNCTION_KIND_", ""),
        f.getEntryClass(),
        f.getCodec().name().replace("CODEC_", ""),
        Instant.ofEpochMilli(f.getCreatedAtMs()));
  }

  /** Closes the connection (waiting up to 5 seconds). */
  @Override
  public void close() {
    connection.close();
  }
}
