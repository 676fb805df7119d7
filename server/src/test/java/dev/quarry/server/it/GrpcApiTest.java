package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.proto.v1.GetJobRequest;
import dev.quarry.proto.v1.Input;
import dev.quarry.proto.v1.JobEvent;
import dev.quarry.proto.v1.JobServiceGrpc;
import dev.quarry.proto.v1.JobState;
import dev.quarry.proto.v1.ResultOrder;
import dev.quarry.proto.v1.StreamResultsRequest;
import dev.quarry.proto.v1.SubmitMapRequest;
import dev.quarry.proto.v1.TaskResult;
import dev.quarry.proto.v1.TaskState;
import dev.quarry.proto.v1.WatchJobRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gRPC API with plain stubs: streams, health, and a status with a message for bad input. */
class GrpcApiTest {
  static TestServer server;
  static ManagedChannel channel;
  static JobServiceGrpc.JobServiceBlockingStub jobs;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    channel = NettyChannelBuilder.forTarget(server.grpcTarget()).usePlaintext().build();
    jobs = withKey(JobServiceGrpc.newBlockingStub(channel), server.apiKey);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  static JobServiceGrpc.JobServiceBlockingStub withKey(
      JobServiceGrpc.JobServiceBlockingStub stub, String key) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @Test
  void watchJobStreamsProgressUntilTheJobEnds() {
    var submitted =
        jobs.submitMap(
            SubmitMapRequest.newBuilder()
                .setFunction("sleep")
                .addInputs(Input.newBuilder().setJson("100"))
                .addInputs(Input.newBuilder().setJson("100"))
                .build());
    assertThat(submitted.getTaskIdsCount()).isEqualTo(2);
    List<JobEvent> events = new ArrayList<>();
    jobs.watchJob(WatchJobRequest.newBuilder().setJobId(submitted.getJob().getId()).build())
        .forEachRemaining(events::add);
    assertThat(events).isNotEmpty();
    assertThat(events.get(events.size() - 1).getJob().getState())
        .isEqualTo(JobState.JOB_STATE_SUCCEEDED);
    assertThat(events.get(events.size() - 1).getJob().getSucceeded()).isEqualTo(2);

    List<TaskResult> results = new ArrayList<>();
    jobs.streamResults(
            StreamResultsRequest.newBuilder()
                .setJobId(submitted.getJob().getId())
                .setOrder(ResultOrder.RESULT_ORDER_INPUT)
                .build())
        .forEachRemaining(results::add);
    assertThat(results)
        .extracting(TaskResult::getState)
        .containsOnly(TaskState.TASK_STATE_SUCCEEDED);
    assertThat(results).extracting(r -> r.getData().toStringUtf8()).containsExactly("100", "100");
  }

  @Test
  void badRequestsGetAStatusWithAMessage() {
    assertStatus(
        () ->
            jobs.getJob(
                GetJobRequest.newBuilder()
                    .setJobId("00000000-0000-0000-0000-000000000000")
                    .build()),
        Status.Code.NOT_FOUND,
        "job");
    assertStatus(
        () -> jobs.getJob(GetJobRequest.newBuilder().setJobId("nope").build()),
        Status.Code.NOT_FOUND,
        "nope");
    assertStatus(
        () -> jobs.submitMap(SubmitMapRequest.newBuilder().setFunction("echo").build()),
        Status.Code.INVALID_ARGUMENT,
        "empty");
    assertStatus(
        () ->
            jobs.submitMap(
                SubmitMapRequest.newBuilder()
                    .setFunction("missing")
                    .addInputs(Input.newBuilder().setJson("1"))
                    .build()),
        Status.Code.NOT_FOUND,
        "missing");
    assertStatus(
        () ->
            jobs.submitMap(
                SubmitMapRequest.newBuilder()
                    .setFunction("echo")
                    .setChunkSize(-1)
                    .addInputs(Input.newBuilder().setJson("1"))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "chunkSize");
    assertStatus(
        () ->
            jobs.submitMap(
                SubmitMapRequest.newBuilder()
                    .setFunction("echo")
                    .addInputs(Input.newBuilder())
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "input 0");
    var noKey = JobServiceGrpc.newBlockingStub(channel);
    assertStatus(
        () -> noKey.getJob(GetJobRequest.newBuilder().setJobId("x").build()),
        Status.Code.UNAUTHENTICATED,
        "API key");
    assertStatus(
        () -> withKey(noKey, "qk_x_y").getJob(GetJobRequest.newBuilder().setJobId("x").build()),
        Status.Code.UNAUTHENTICATED,
        "invalid");
  }

  @Test
  void badWritesAndTraversalAttemptsAreRejectedWithAMessage() {
    assertStatus(
        () ->
            jobs.findMissingBlobs(
                dev.quarry.proto.v1.FindMissingBlobsRequest.newBuilder()
                    .addDigests("../../tenants/other/blobs/x")
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "digest");
    assertStatus(
        () ->
            jobs.findMissingBlobs(
                dev.quarry.proto.v1.FindMissingBlobsRequest.newBuilder()
                    .addDigests("%2e%2e%2f" + "0".repeat(55))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "digest");
    assertStatus(
        () ->
            jobs.registerFunction(
                dev.quarry.proto.v1.RegisterFunctionRequest.newBuilder()
                    .setKind(dev.quarry.proto.v1.FunctionKind.FUNCTION_KIND_SERIALIZED)
                    .setPayloadDigest("/etc/passwd")
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "digest");
    assertStatus(
        () ->
            jobs.registerFunction(
                dev.quarry.proto.v1.RegisterFunctionRequest.newBuilder()
                    .setKind(dev.quarry.proto.v1.FunctionKind.FUNCTION_KIND_JAR_ENTRY)
                    .setName("../up")
                    .setEntryClass("a.B")
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "name");
    var keys = dev.quarry.proto.v1.KeyServiceGrpc.newBlockingStub(channel);
    var keysWithKey =
        keys.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(auth()));
    assertStatus(
        () ->
            keysWithKey.createKey(
                dev.quarry.proto.v1.CreateKeyRequest.newBuilder()
                    .setName("k")
                    .setRole("root")
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "role");
    assertStatus(
        () ->
            keysWithKey.revokeKey(
                dev.quarry.proto.v1.RevokeKeyRequest.newBuilder().setId("1 or 1=1").build()),
        Status.Code.NOT_FOUND,
        "key");
    var creds =
        dev.quarry.proto.v1.CredentialServiceGrpc.newBlockingStub(channel)
            .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(auth()));
    assertStatus(
        () ->
            creds.putCredential(
                dev.quarry.proto.v1.PutCredentialRequest.newBuilder()
                    .setName("x")
                    .setKind("gcp")
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "kind");
    assertStatus(
        () ->
            creds.putCredential(
                dev.quarry.proto.v1.PutCredentialRequest.newBuilder()
                    .setName("../x")
                    .setKind("aws")
                    .putFields("roleArn", "r")
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "name");
    assertStatus(
        () ->
            creds.putProfile(
                dev.quarry.proto.v1.PutProfileRequest.newBuilder()
                    .setName("p")
                    .setBackend("local")
                    .setCredential("ghost")
                    .build()),
        Status.Code.NOT_FOUND,
        "ghost");
    var tenants =
        dev.quarry.proto.v1.TenantServiceGrpc.newBlockingStub(channel)
            .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(auth()));
    assertStatus(
        () ->
            tenants.createTenant(
                dev.quarry.proto.v1.CreateTenantRequest.newBuilder()
                    .setId("x1")
                    .setName("x")
                    .build()),
        Status.Code.PERMISSION_DENIED,
        "operator");
  }

  static Metadata auth() {
    Metadata md = new Metadata();
    md.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + server.apiKey);
    return md;
  }

  @Test
  void healthServiceAnswersServing() {
    var health = HealthGrpc.newBlockingStub(channel);
    assertThat(
            health
                .check(HealthCheckRequest.newBuilder().setService("quarry.v1.JobService").build())
                .getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void reflectionListsTheJobService() throws Exception {
    var reflection = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel);
    var services = new java.util.concurrent.CompletableFuture<List<String>>();
    var requests =
        reflection.serverReflectionInfo(
            new io.grpc.stub.StreamObserver<>() {
              @Override
              public void onNext(io.grpc.reflection.v1.ServerReflectionResponse r) {
                services.complete(
                    r.getListServicesResponse().getServiceList().stream()
                        .map(io.grpc.reflection.v1.ServiceResponse::getName)
                        .toList());
              }

              @Override
              public void onError(Throwable t) {
                services.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {}
            });
    requests.onNext(
        io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
    assertThat(services.get(10, TimeUnit.SECONDS))
        .contains("quarry.v1.JobService", "grpc.health.v1.Health");
    requests.onCompleted();
  }

  static void assertStatus(Runnable call, Status.Code code, String text) {
    assertThatThrownBy(call::run)
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> {
              Status s = ((StatusRuntimeException) e).getStatus();
              assertThat(s.getCode()).isEqualTo(code);
              assertThat(s.getDescription()).contains(text);
            });
  }
}
