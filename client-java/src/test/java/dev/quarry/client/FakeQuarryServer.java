package dev.quarry.client;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import dev.quarry.proto.v1.CancelJobRequest;
import dev.quarry.proto.v1.FindMissingBlobsRequest;
import dev.quarry.proto.v1.FindMissingBlobsResponse;
import dev.quarry.proto.v1.FunctionInfo;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.GetJobRequest;
import dev.quarry.proto.v1.Input;
import dev.quarry.proto.v1.Job;
import dev.quarry.proto.v1.JobServiceGrpc;
import dev.quarry.proto.v1.JobState;
import dev.quarry.proto.v1.RegisterFunctionRequest;
import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.StackFrame;
import dev.quarry.proto.v1.StreamResultsRequest;
import dev.quarry.proto.v1.SubmitMapRequest;
import dev.quarry.proto.v1.SubmitMapResponse;
import dev.quarry.proto.v1.TaskResult;
import dev.quarry.proto.v1.TaskState;
import dev.quarry.proto.v1.UploadBlobRequest;
import dev.quarry.proto.v1.UploadBlobResponse;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-process JobService that runs functions in this JVM: enough of the real server to test the
 * client (blob dedup, registration, submit, result streams with after_seq, cancel).
 */
final class FakeQuarryServer implements AutoCloseable {
  static final Context.Key<String> AUTH = Context.key("auth");

  final String name = "fake-quarry-" + System.nanoTime();
  final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  final List<String> authHeaders = new CopyOnWriteArrayList<>();
  final Set<String> blobs = ConcurrentHashMap.newKeySet();
  final Map<String, byte[]> smallBlobs = new ConcurrentHashMap<>();
  final Map<String, String> functions = new ConcurrentHashMap<>();
  final Map<String, FakeJob> jobs = new ConcurrentHashMap<>();
  final List<Long> afterSeqs = new CopyOnWriteArrayList<>();

  /** Fail this many StreamResults calls with UNAVAILABLE after sending one result. */
  final AtomicInteger breakStreamsAfterOne = new AtomicInteger();

  /** Complete this many StreamResults calls (OK) after one result although the job runs on. */
  final AtomicInteger completeStreamsEarly = new AtomicInteger();

  /** Never stream the result with this index (-1: none). */
  volatile int dropIndex = -1;

  /** If set, StreamResults fails at once with this status. */
  volatile Status streamFailure;

  /**
   * When set, every SubmitMap fails NOT_FOUND with this reason (and a message naming a function).
   */
  volatile String submitNotFoundReason;

  private final AtomicInteger ids = new AtomicInteger();
  private final ExecutorService runners =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "fake-runner");
            t.setDaemon(true);
            return t;
          });
  private final Server server;

  FakeQuarryServer() throws IOException {
    this(false);
  }

  /**
   * @param tcp listen on a local TCP port (Netty) instead of in-process
   */
  FakeQuarryServer(boolean tcp) throws IOException {
    ServerInterceptor auth =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String h =
                headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
            authHeaders.add(String.valueOf(h));
            calls
                .computeIfAbsent(
                    call.getMethodDescriptor().getBareMethodName(), k -> new AtomicInteger())
                .incrementAndGet();
            return Contexts.interceptCall(
                Context.current().withValue(AUTH, String.valueOf(h)), call, headers, next);
          }
        };
    var service = ServerInterceptors.intercept(new Service(), auth);
    server =
        tcp
            ? Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(service)
                .build()
                .start()
            : InProcessServerBuilder.forName(name).addService(service).build().start();
  }

  int port() {
    return server.getPort();
  }

  int calls(String method) {
    AtomicInteger n = calls.get(method);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    server.shutdownNow();
    runners.shutdownNow();
    try {
      // when close returns, the port is closed and every connection to it is gone
      server.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  final class FakeJob {
    final String id;
    final int total;
    final List<TaskResult> results = new ArrayList<>();
    final boolean[] finished;
    final List<Future<?>> running = new ArrayList<>();
    long seq;
    JobState state = JobState.JOB_STATE_RUNNING;

    FakeJob(String id, int total) {
      this.id = id;
      this.total = total;
      this.finished = new boolean[total];
    }

    synchronized void finish(int index, TaskResult.Builder result) {
      if (finished[index]) {
        return;
      }
      finished[index] = true;
      results.add(result.setTaskId(id + ":" + index).setIndex(index).setSeq(++seq).build());
      if (results.size() == total && state == JobState.JOB_STATE_RUNNING) {
        boolean anyFailed =
            results.stream().anyMatch(r -> r.getState() == TaskState.TASK_STATE_FAILED);
        state = anyFailed ? JobState.JOB_STATE_FAILED : JobState.JOB_STATE_SUCCEEDED;
      }
      notifyAll();
    }

    synchronized void cancel() {
      if (state != JobState.JOB_STATE_RUNNING) {
        return;
      }
      for (int i = 0; i < total; i++) {
        finish(i, TaskResult.newBuilder().setState(TaskState.TASK_STATE_CANCELLED));
      }
      state = JobState.JOB_STATE_CANCELLED;
      running.forEach(f -> f.cancel(true));
      notifyAll();
    }

    synchronized Job proto() {
      return Job.newBuilder()
          .setId(id)
          .setState(state)
          .setTotal(total)
          .setChunkSize(1)
          .setSucceeded(
              (int)
                  results.stream()
                      .filter(r -> r.getState() == TaskState.TASK_STATE_SUCCEEDED)
                      .count())
          .setCreatedAtMs(1_700_000_000_000L)
          .build();
    }
  }

  /** An error as the real server sends it: the status plus a {@code google.rpc.ErrorInfo}. */
  static StatusRuntimeException error(Status.Code code, String reason, String message) {
    ErrorInfo info = ErrorInfo.newBuilder().setReason(reason).setDomain("quarry.dev").build();
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(code.value())
            .setMessage(message)
            .addDetails(Any.pack(info))
            .build());
  }

  private final class Service extends JobServiceGrpc.JobServiceImplBase {
    @Override
    public void findMissingBlobs(
        FindMissingBlobsRequest request, StreamObserver<FindMissingBlobsResponse> out) {
      var b = FindMissingBlobsResponse.newBuilder();
      request.getDigestsList().stream().filter(d -> !blobs.contains(d)).forEach(b::addMissing);
      out.onNext(b.build());
      out.onCompleted();
    }

    @Override
    public StreamObserver<UploadBlobRequest> uploadBlob(StreamObserver<UploadBlobResponse> out) {
      return new StreamObserver<>() {
        String digest;
        long size;
        final ByteArrayOutputStream data = new ByteArrayOutputStream();

        @Override
        public void onNext(UploadBlobRequest r) {
          if (r.hasHeader()) {
            digest = r.getHeader().getDigest();
            size = r.getHeader().getSize();
          } else {
            data.writeBytes(r.getData().toByteArray());
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          byte[] bytes = data.toByteArray();
          if (digest == null || bytes.length != size || !sha256(bytes).equals(digest)) {
            out.onError(
                Status.INVALID_ARGUMENT.withDescription("digest mismatch").asRuntimeException());
            return;
          }
          blobs.add(digest);
          if (bytes.length < (4 << 20)) {
            smallBlobs.put(digest, bytes);
          }
          out.onNext(UploadBlobResponse.newBuilder().setDigest(digest).setSize(size).build());
          out.onCompleted();
        }
      };
    }

    @Override
    public void registerFunction(RegisterFunctionRequest r, StreamObserver<FunctionInfo> out) {
      List<String> all = new ArrayList<>(r.getJarDigestsList());
      all.add(r.getPayloadDigest());
      List<String> missing = all.stream().filter(d -> !blobs.contains(d)).toList();
      if (!missing.isEmpty()) {
        out.onError(
            error(
                Status.Code.INVALID_ARGUMENT,
                "BLOB_NOT_UPLOADED",
                "blob(s) not uploaded: " + missing));
        return;
      }
      String id = "fn-" + ids.incrementAndGet();
      functions.put(id, r.getPayloadDigest());
      out.onNext(
          FunctionInfo.newBuilder()
              .setId(id)
              .setKind(FunctionKind.FUNCTION_KIND_SERIALIZED)
              .build());
      out.onCompleted();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void submitMap(SubmitMapRequest r, StreamObserver<SubmitMapResponse> out) {
      String payload = functions.get(r.getFunction());
      if (submitNotFoundReason != null) {
        out.onError(
            error(
                Status.Code.NOT_FOUND,
                submitNotFoundReason,
                "profile for function '" + r.getFunction() + "' not found"));
        return;
      }
      if (payload == null) {
        out.onError(
            error(
                Status.Code.NOT_FOUND,
                "FUNCTION_NOT_FOUND",
                "function '" + r.getFunction() + "' not found"));
        return;
      }
      Function<Object, Object> fn;
      try {
        fn = (Function<Object, Object>) read(ByteString.copyFrom(smallBlobs.get(payload)));
      } catch (Exception e) {
        out.onError(Status.INTERNAL.withDescription("bad payload: " + e).asRuntimeException());
        return;
      }
      String jobId = "job-" + ids.incrementAndGet();
      FakeJob job = new FakeJob(jobId, r.getInputsCount());
      jobs.put(jobId, job);
      var resp = SubmitMapResponse.newBuilder();
      for (int i = 0; i < r.getInputsCount(); i++) {
        resp.addTaskIds(jobId + ":" + i);
      }
      resp.setJob(job.proto());
      out.onNext(resp.build());
      out.onCompleted();
      for (int i = 0; i < r.getInputsCount(); i++) {
        int index = i;
        Input in = r.getInputs(i);
        Future<?> f = runners.submit(() -> run(job, index, fn, in));
        synchronized (job) {
          job.running.add(f);
        }
      }
    }

    private void run(FakeJob job, int index, Function<Object, Object> fn, Input in) {
      try {
        Object input = read(in.getData());
        Object result = fn.apply(input);
        job.finish(
            index,
            TaskResult.newBuilder()
                .setState(TaskState.TASK_STATE_SUCCEEDED)
                .setData(ByteString.copyFrom(write(result))));
      } catch (Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        job.finish(
            index,
            TaskResult.newBuilder().setState(TaskState.TASK_STATE_FAILED).setError(remoteError(e)));
      }
    }

    @Override
    public void getJob(GetJobRequest r, StreamObserver<Job> out) {
      FakeJob job = jobs.get(r.getJobId());
      if (job == null) {
        out.onError(
            error(Status.Code.NOT_FOUND, "JOB_NOT_FOUND", "job '" + r.getJobId() + "' not found"));
        return;
      }
      out.onNext(job.proto());
      out.onCompleted();
    }

    @Override
    public void cancelJob(CancelJobRequest r, StreamObserver<Job> out) {
      FakeJob job = jobs.get(r.getJobId());
      if (job == null) {
        out.onError(
            error(Status.Code.NOT_FOUND, "JOB_NOT_FOUND", "job '" + r.getJobId() + "' not found"));
        return;
      }
      job.cancel();
      out.onNext(job.proto());
      out.onCompleted();
    }

    @Override
    public void streamResults(StreamResultsRequest r, StreamObserver<TaskResult> out) {
      FakeJob job = jobs.get(r.getJobId());
      if (job == null) {
        out.onError(error(Status.Code.NOT_FOUND, "JOB_NOT_FOUND", "job not found"));
        return;
      }
      afterSeqs.add(r.getAfterSeq());
      if (streamFailure != null) {
        out.onError(streamFailure.asRuntimeException());
        return;
      }
      var call = (ServerCallStreamObserver<TaskResult>) out;
      boolean breakAfterOne = breakStreamsAfterOne.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      boolean completeEarly = completeStreamsEarly.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      runners.submit(
          () -> {
            long sent = r.getAfterSeq();
            int count = 0;
            try {
              while (!call.isCancelled()) {
                List<TaskResult> batch;
                boolean terminal;
                long last;
                synchronized (job) {
                  last = job.seq;
                  final long after = sent;
                  batch = job.results.stream().filter(t -> t.getSeq() > after).toList();
                  terminal = job.state != JobState.JOB_STATE_RUNNING;
                  if (batch.isEmpty() && !terminal) {
                    job.wait(50);
                    continue;
                  }
                }
                for (TaskResult t : batch) {
                  sent = t.getSeq();
                  if (t.getIndex() == dropIndex) {
                    continue;
                  }
                  out.onNext(t);
                  if (breakAfterOne && ++count == 1) {
                    out.onError(
                        Status.UNAVAILABLE.withDescription("injected break").asRuntimeException());
                    return;
                  }
                  if (completeEarly && !terminal) {
                    out.onCompleted();
                    return;
                  }
                }
                if (terminal && sent == last) {
                  out.onCompleted();
                  return;
                }
              }
            } catch (InterruptedException e) {
              out.onError(Status.CANCELLED.asRuntimeException());
            } catch (RuntimeException cancelled) {
              // client went away
            }
          });
    }
  }

  static Object read(ByteString data) throws IOException, ClassNotFoundException {
    try (var in = new ObjectInputStream(new ByteArrayInputStream(data.toByteArray()))) {
      return in.readObject();
    }
  }

  static byte[] write(Object o) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  static RemoteError remoteError(Throwable e) {
    var sw = new StringWriter();
    e.printStackTrace(new PrintWriter(sw));
    var b =
        RemoteError.newBuilder()
            .setType(e.getClass().getName())
            .setMessage(e.getMessage() == null ? "" : e.getMessage())
            .setStackTraceText(sw.toString())
            .setFunctionError(true);
    for (StackTraceElement f : e.getStackTrace()) {
      b.addStack(
          StackFrame.newBuilder()
              .setClassName(f.getClassName())
              .setMethodName(f.getMethodName())
              .setFileName(f.getFileName() == null ? "" : f.getFileName())
              .setLineNumber(f.getLineNumber()));
    }
    return b.build();
  }
}
