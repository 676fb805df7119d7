package dev.quarry.server.grpc;

import com.google.protobuf.ByteString;
import dev.quarry.proto.v1.CancelJobRequest;
import dev.quarry.proto.v1.FindMissingBlobsRequest;
import dev.quarry.proto.v1.FindMissingBlobsResponse;
import dev.quarry.proto.v1.FunctionInfo;
import dev.quarry.proto.v1.FutureStats;
import dev.quarry.proto.v1.GetFutureLogsRequest;
import dev.quarry.proto.v1.GetFutureLogsResponse;
import dev.quarry.proto.v1.GetFutureStatsRequest;
import dev.quarry.proto.v1.GetJobRequest;
import dev.quarry.proto.v1.GetJobSummaryRequest;
import dev.quarry.proto.v1.Input;
import dev.quarry.proto.v1.Job;
import dev.quarry.proto.v1.JobEvent;
import dev.quarry.proto.v1.JobServiceGrpc;
import dev.quarry.proto.v1.JobSummary;
import dev.quarry.proto.v1.ListFunctionsRequest;
import dev.quarry.proto.v1.ListFunctionsResponse;
import dev.quarry.proto.v1.ListJobsRequest;
import dev.quarry.proto.v1.ListJobsResponse;
import dev.quarry.proto.v1.RegisterFunctionRequest;
import dev.quarry.proto.v1.RetryFailedRequest;
import dev.quarry.proto.v1.RetryFailedResponse;
import dev.quarry.proto.v1.StoredData;
import dev.quarry.proto.v1.StreamResultsRequest;
import dev.quarry.proto.v1.SubmitMapRequest;
import dev.quarry.proto.v1.SubmitMapResponse;
import dev.quarry.proto.v1.TaskResult;
import dev.quarry.proto.v1.UploadBlobRequest;
import dev.quarry.proto.v1.UploadBlobResponse;
import dev.quarry.proto.v1.WatchJobRequest;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.Ids;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.data.DataPlanner;
import dev.quarry.server.data.DataSpec;
import dev.quarry.server.functions.BlobService;
import dev.quarry.server.functions.FunctionService;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobService;
import dev.quarry.server.jobs.SubmitCommand;
import dev.quarry.server.jobs.SubmitService;
import dev.quarry.server.results.FutureLogs;
import dev.quarry.server.results.ResultInputs;
import dev.quarry.server.results.ResultStreamer;
import dev.quarry.server.stats.StatsService;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * gRPC face of the job API; every call runs as the caller the {@link AuthInterceptor} found.
 *
 * <p>Long because it is the gRPC face of every job call (submit, get, list, cancel, watch,
 * results), each a thin translation with its own input rules and flow control.
 */
@Component
public class JobGrpcService extends JobServiceGrpc.JobServiceImplBase {
  private final BlobService blobs;
  private final FunctionService functions;
  private final SubmitService submits;
  private final JobService jobs;
  private final ResultStreamer results;
  private final FutureLogs logs;
  private final DataPlanner data;
  private final ResultInputs resultInputs;
  private final StatsService stats;

  public JobGrpcService(
      BlobService blobs,
      FunctionService functions,
      SubmitService submits,
      JobService jobs,
      ResultStreamer results,
      FutureLogs logs,
      DataPlanner data,
      ResultInputs resultInputs,
      StatsService stats) {
    this.data = data;
    this.resultInputs = resultInputs;
    this.stats = stats;
    this.blobs = blobs;
    this.functions = functions;
    this.submits = submits;
    this.jobs = jobs;
    this.results = results;
    this.logs = logs;
  }

  @Override
  public void findMissingBlobs(
      FindMissingBlobsRequest request, StreamObserver<FindMissingBlobsResponse> out) {
    unary(
        out,
        () -> {
          Principal p = AuthInterceptor.principal();
          p.require(Role.VIEWER);
          return FindMissingBlobsResponse.newBuilder()
              .addAllMissing(blobs.missing(p.tenantId(), request.getDigestsList()))
              .build();
        });
  }

  @Override
  public StreamObserver<UploadBlobRequest> uploadBlob(StreamObserver<UploadBlobResponse> out) {
    Principal p = AuthInterceptor.principal();
    return new StreamObserver<>() {
      private BlobService.Upload upload;
      private boolean failed;

      @Override
      public void onNext(UploadBlobRequest part) {
        if (failed) {
          return;
        }
        try {
          if (upload == null) {
            p.require(Role.MEMBER);
            if (!part.hasHeader()) {
              throw ApiException.invalid("the first UploadBlob message must carry the header");
            }
            upload =
                blobs.begin(p.tenantId(), part.getHeader().getDigest(), part.getHeader().getSize());
          } else if (part.hasHeader()) {
            throw ApiException.invalid("only the first UploadBlob message may carry a header");
          } else {
            upload.write(part.getData().toByteArray(), 0, part.getData().size());
          }
        } catch (RuntimeException e) {
          failed = true;
          if (upload != null) {
            upload.close();
          }
          GrpcErrors.fail(out, e);
        }
      }

      @Override
      public void onError(Throwable t) {
        if (upload != null) {
          upload.close();
        }
      }

      @Override
      public void onCompleted() {
        if (failed) {
          return;
        }
        unary(
            out,
            () -> {
              if (upload == null) {
                throw ApiException.invalid("UploadBlob needs a header message");
              }
              upload.finish();
              return UploadBlobResponse.newBuilder()
                  .setDigest(upload.digest())
                  .setSize(upload.size())
                  .build();
            });
      }
    };
  }

  @Override
  public void registerFunction(RegisterFunctionRequest r, StreamObserver<FunctionInfo> out) {
    unary(
        out,
        () -> {
          Principal p = AuthInterceptor.principal();
          p.require(Role.MEMBER);
          FunctionService.FunctionInfo info =
              switch (r.getKind()) {
                case FUNCTION_KIND_SERIALIZED ->
                    functions.registerSerialized(
                        p.tenantId(), r.getPayloadDigest(), r.getJarDigestsList());
                case FUNCTION_KIND_JAR_ENTRY ->
                    functions.registerJarEntry(
                        p.tenantId(), r.getName(), r.getEntryClass(), r.getJarDigestsList());
                default -> throw ApiException.invalid("kind must be SERIALIZED or JAR_ENTRY");
              };
          return ProtoViews.function(info);
        });
  }

  @Override
  public void listFunctions(ListFunctionsRequest r, StreamObserver<ListFunctionsResponse> out) {
    unary(
        out,
        () -> {
          Principal p = AuthInterceptor.principal();
          p.require(Role.VIEWER);
          ListFunctionsResponse.Builder b = ListFunctionsResponse.newBuilder();
          functions.list(p.tenantId()).forEach(f -> b.addFunctions(ProtoViews.function(f)));
          return b.build();
        });
  }

  @Override
  public void submitMap(SubmitMapRequest r, StreamObserver<SubmitMapResponse> out) {
    unary(
        out,
        () -> {
          Principal p = AuthInterceptor.principal();
          List<byte[]> inputs = new ArrayList<>(r.getInputsCount());
          List<String> objects = List.of();
          int sources =
              (r.getInputsCount() > 0 ? 1 : 0)
                  + (r.hasData() ? 1 : 0)
                  + (r.getInputFuturesCount() > 0 ? 1 : 0);
          if (sources > 1) {
            throw ApiException.invalid("a map takes one of inputs, data or input_futures");
          }
          if (r.hasData()) {
            StoredData d = r.getData();
            DataPlanner.Planned planned =
                data.inputs(
                    p,
                    r.getFunction(),
                    new DataSpec(
                        d.getBucket(),
                        d.getPrefix(),
                        d.getKeysList(),
                        d.getUrlsList(),
                        d.getObjChunkSize(),
                        d.getObjChunkNumber()));
            inputs = planned.inputs();
            objects = planned.objects();
          } else if (r.getInputFuturesCount() > 0) {
            inputs = resultInputs.inputs(p, r.getFunction(), r.getInputFuturesList());
          }
          for (Input in : r.getInputsList()) {
            inputs.add(
                switch (in.getValueCase()) {
                  case DATA -> in.getData().toByteArray();
                  case JSON -> in.getJson().getBytes(StandardCharsets.UTF_8);
                  case VALUE_NOT_SET ->
                      throw ApiException.invalid("input " + inputs.size() + " is empty");
                });
          }
          var submitted =
              submits.submit(
                  p,
                  new SubmitCommand(
                      r.getFunction(),
                      inputs,
                      r.getChunkSize(),
                      r.getMaxAttempts(),
                      r.getRetryFunctionErrors(),
                      r.getTimeoutMs() == 0 ? null : Duration.ofMillis(r.getTimeoutMs()),
                      r.getLabel(),
                      r.getProfile().isEmpty() ? null : r.getProfile()));
          SubmitMapResponse.Builder b = SubmitMapResponse.newBuilder();
          b.setJob(ProtoViews.job(submitted.job()));
          for (int i = 0; i < submitted.total(); i++) {
            b.addTaskIds(submitted.jobId() + ":" + i);
          }
          b.addAllDataObjects(objects);
          return b.build();
        });
  }

  @Override
  public void getJob(GetJobRequest r, StreamObserver<Job> out) {
    unary(out, () -> ProtoViews.job(jobs.get(AuthInterceptor.principal(), Ids.job(r.getJobId()))));
  }

  @Override
  public void listJobs(ListJobsRequest r, StreamObserver<ListJobsResponse> out) {
    unary(
        out,
        () -> {
          ListJobsResponse.Builder b = ListJobsResponse.newBuilder();
          int limit = r.getLimit() == 0 ? 50 : r.getLimit();
          jobs.list(AuthInterceptor.principal(), limit).forEach(j -> b.addJobs(ProtoViews.job(j)));
          return b.build();
        });
  }

  @Override
  public void cancelJob(CancelJobRequest r, StreamObserver<Job> out) {
    unary(
        out, () -> ProtoViews.job(jobs.cancel(AuthInterceptor.principal(), Ids.job(r.getJobId()))));
  }

  @Override
  public void retryFailed(RetryFailedRequest r, StreamObserver<RetryFailedResponse> out) {
    unary(
        out,
        () -> {
          JobService.Retried done =
              jobs.retryFailed(AuthInterceptor.principal(), Ids.job(r.getJobId()));
          return RetryFailedResponse.newBuilder()
              .setJob(ProtoViews.job(done.job()))
              .setRetried(done.retried())
              .build();
        });
  }

  @Override
  public void getFutureLogs(GetFutureLogsRequest r, StreamObserver<GetFutureLogsResponse> out) {
    unary(
        out,
        () -> {
          byte[] log = logs.read(AuthInterceptor.principal(), Ids.job(r.getJobId()), r.getIndex());
          return GetFutureLogsResponse.newBuilder().setLog(ByteString.copyFrom(log)).build();
        });
  }

  @Override
  public void getFutureStats(GetFutureStatsRequest r, StreamObserver<FutureStats> out) {
    unary(
        out,
        () ->
            StatsProtos.future(
                stats.future(AuthInterceptor.principal(), Ids.job(r.getJobId()), r.getIndex())));
  }

  @Override
  public void getJobSummary(GetJobSummaryRequest r, StreamObserver<JobSummary> out) {
    unary(
        out,
        () ->
            StatsProtos.summary(stats.summary(AuthInterceptor.principal(), Ids.job(r.getJobId()))));
  }

  @Override
  public void watchJob(WatchJobRequest r, StreamObserver<JobEvent> out) {
    Principal p = AuthInterceptor.principal();
    var call = (ServerCallStreamObserver<JobEvent>) out;
    var closed = new java.util.concurrent.atomic.AtomicBoolean();
    call.setOnCancelHandler(() -> closed.set(true));
    background(
        out,
        () -> {
          UUID id = Ids.job(r.getJobId());
          jobs.watch(
              p,
              id,
              j -> out.onNext(JobEvent.newBuilder().setJob(ProtoViews.job(j)).build()),
              closed::get);
        });
  }

  @Override
  public void streamResults(StreamResultsRequest r, StreamObserver<TaskResult> out) {
    Principal p = AuthInterceptor.principal();
    var sink = new FlowControlledSink<>((ServerCallStreamObserver<TaskResult>) out, t -> t);
    background(
        out,
        () -> {
          JobRecord job = results.openForStream(p, Ids.job(r.getJobId()));
          results.stream(job, r.getOrder(), r.getAfterSeq(), sink);
        });
  }

  interface Body<T> {
    T get() throws Exception;
  }

  private interface Loop {
    void run() throws Exception;
  }

  static <T> void unary(StreamObserver<T> out, Body<T> body) {
    T value;
    try {
      value = body.get();
    } catch (Exception e) {
      GrpcErrors.fail(out, e);
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }

  private static void background(StreamObserver<?> out, Loop loop) {
    Thread.ofVirtual()
        .name("quarry-stream")
        .start(
            () -> {
              try {
                loop.run();
                out.onCompleted();
              } catch (InterruptedException e) {
                out.onError(
                    io.grpc.Status.CANCELLED
                        .withDescription("server shutting down")
                        .asRuntimeException());
              } catch (Exception e) {
                try {
                  GrpcErrors.fail(out, e);
                } catch (IllegalStateException alreadyClosed) {
                  // the client went away
                }
              }
            });
  }
}
