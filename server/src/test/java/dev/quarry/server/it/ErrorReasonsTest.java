package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.quarry.proto.v1.CreateTenantRequest;
import dev.quarry.proto.v1.FindMissingBlobsRequest;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.GetJobRequest;
import dev.quarry.proto.v1.Input;
import dev.quarry.proto.v1.JobServiceGrpc;
import dev.quarry.proto.v1.RegisterFunctionRequest;
import dev.quarry.proto.v1.SubmitMapRequest;
import dev.quarry.proto.v1.TenantServiceGrpc;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.RawHttp;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real errors from a running server carry their stable reason: {@code reason} (and {@code
 * metadata}) in REST bodies, a {@code google.rpc.ErrorInfo} (and a {@code RetryInfo} on 429s) in
 * gRPC trailers.
 */
class ErrorReasonsTest {
  static TestServer server;
  static Http admin;
  static Http operator;
  static ManagedChannel channel;
  static JobServiceGrpc.JobServiceBlockingStub jobs;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    admin = new Http(server.restUrl(), server.apiKey);
    operator = admin.withKey(TestServer.OPERATOR_KEY);
    channel = NettyChannelBuilder.forTarget(server.grpcTarget()).usePlaintext().build();
    jobs = withKey(JobServiceGrpc.newBlockingStub(channel), server.apiKey);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void restErrorsNameTheirReason() throws Exception {
    assertReason(
        admin.post("/v1/jobs", "{\"function\":\"nope\",\"inputs\":[1]}"),
        404,
        "NOT_FOUND",
        "FUNCTION_NOT_FOUND");
    assertReason(admin.get("/v1/jobs/" + UUID.randomUUID()), 404, "NOT_FOUND", "JOB_NOT_FOUND");
    assertReason(admin.delete("/v1/profiles/ghost"), 404, "NOT_FOUND", "PROFILE_NOT_FOUND");
    assertReason(admin.get("/v1/no-such-thing"), 404, "NOT_FOUND", "ROUTE_NOT_FOUND");
    assertReason(
        admin.post("/v1/jobs", "{\"function\":"), 400, "INVALID_ARGUMENT", "MALFORMED_REQUEST");
    assertReason(
        admin.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1],\"chunkSize\":0}"),
        400,
        "INVALID_ARGUMENT",
        "INVALID_ARGUMENT");
    assertReason(
        admin.withKey("qk_abc_def").get("/v1/jobs"), 401, "UNAUTHENTICATED", "UNAUTHENTICATED");
    assertReason(admin.withKey(null).get("/v1/jobs"), 401, "UNAUTHENTICATED", "UNAUTHENTICATED");
    assertReason(
        admin.post("/v1/admin/tenants", "{\"id\":\"nobody\",\"name\":\"N\"}"),
        403,
        "PERMISSION_DENIED",
        "PERMISSION_DENIED");
    String tenant = "reasons-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(
            operator
                .post("/v1/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"R\"}")
                .status())
        .isEqualTo(201);
    assertReason(
        operator.post("/v1/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"R\"}"),
        409,
        "CONFLICT",
        "ALREADY_EXISTS");
    assertReason(
        operator.put("/v1/admin/tenants/ghost-tenant/limits", "{\"maxJobsInFlight\":1}"),
        404,
        "NOT_FOUND",
        "TENANT_NOT_FOUND");
    assertReason(
        admin.postBytes("/v1/jobs", "{}".getBytes(), "text/plain"),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void containerAndFirewallRefusalsNameTheirReason() throws Exception {
    String key = "Authorization: Bearer " + server.apiKey + "\r\n";
    assertRaw(RawHttp.get(server.httpPort, "/v1/jobs/a%2Fb", key), 400, "REQUEST_REJECTED");
    assertRaw(RawHttp.get(server.httpPort, "/v1/jobs/a%b", key), 400, "REQUEST_REJECTED");
    assertRaw(
        RawHttp.send(server.httpPort, "TRACE", "/v1/jobs", key, new byte[0]),
        405,
        "METHOD_NOT_ALLOWED");
    assertRaw(RawHttp.get(server.httpPort, "/v1/nothing-here", key), 404, "ROUTE_NOT_FOUND");
  }

  @Test
  void grpcErrorsCarryAnErrorInfoWithTheReason() {
    assertGrpc(
        () ->
            jobs.getJob(GetJobRequest.newBuilder().setJobId(UUID.randomUUID().toString()).build()),
        Status.Code.NOT_FOUND,
        "JOB_NOT_FOUND");
    assertGrpc(
        () -> jobs.getJob(GetJobRequest.newBuilder().setJobId("not-a-uuid").build()),
        Status.Code.NOT_FOUND,
        "JOB_NOT_FOUND");
    assertGrpc(
        () ->
            jobs.submitMap(
                SubmitMapRequest.newBuilder()
                    .setFunction("nope")
                    .addInputs(Input.newBuilder().setJson("1"))
                    .build()),
        Status.Code.NOT_FOUND,
        "FUNCTION_NOT_FOUND");
    assertGrpc(
        () -> jobs.submitMap(SubmitMapRequest.newBuilder().setFunction("echo").build()),
        Status.Code.INVALID_ARGUMENT,
        "INVALID_ARGUMENT");
    String neverUploaded = "0".repeat(64);
    assertThat(
            jobs.findMissingBlobs(
                    FindMissingBlobsRequest.newBuilder().addDigests(neverUploaded).build())
                .getMissingList())
        .containsExactly(neverUploaded);
    assertGrpc(
        () ->
            jobs.registerFunction(
                RegisterFunctionRequest.newBuilder()
                    .setKind(FunctionKind.FUNCTION_KIND_SERIALIZED)
                    .setPayloadDigest(neverUploaded)
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "BLOB_NOT_UPLOADED");
    assertGrpc(
        () -> jobs.getJob(GetJobRequest.newBuilder().setJobId("a\0b").build()),
        Status.Code.INVALID_ARGUMENT,
        "INVALID_ARGUMENT");
    var noKey = JobServiceGrpc.newBlockingStub(channel);
    assertGrpc(
        () -> noKey.getJob(GetJobRequest.newBuilder().setJobId("x").build()),
        Status.Code.UNAUTHENTICATED,
        "UNAUTHENTICATED");
    var tenants = withKey(TenantServiceGrpc.newBlockingStub(channel), server.apiKey);
    assertGrpc(
        () ->
            tenants.createTenant(CreateTenantRequest.newBuilder().setId("x1").setName("x").build()),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");
  }

  @Test
  void aGrpcMessageThatDoesNotParseIsMalformedRequest() {
    MethodDescriptor<byte[], byte[]> getJob =
        MethodDescriptor.newBuilder(RawBytes.INSTANCE, RawBytes.INSTANCE)
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(JobServiceGrpc.getGetJobMethod().getFullMethodName())
            .build();
    Metadata md = new Metadata();
    md.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + server.apiKey);
    Channel withKey =
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md));
    // field 1, length-delimited, with a length far past the end of the message
    byte[] garbage = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    assertGrpc(
        () ->
            ClientCalls.blockingUnaryCall(
                withKey,
                getJob,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                garbage),
        Status.Code.INVALID_ARGUMENT,
        "MALFORMED_REQUEST");
  }

  @Test
  void grpcLimitsNameTheLimitAndSayWhenToRetry() throws Exception {
    String tenant = "reasons-" + UUID.randomUUID().toString().substring(0, 8);
    String key =
        operator
            .post("/v1/admin/tenants", "{\"id\":\"" + tenant + "\",\"name\":\"R\"}")
            .json()
            .get("adminKeySecret")
            .asString();
    assertThat(
            operator
                .put("/v1/admin/tenants/" + tenant + "/limits", "{\"maxJobsInFlight\":1}")
                .status())
        .isEqualTo(200);
    var limited = withKey(JobServiceGrpc.newBlockingStub(channel), key);
    SubmitMapRequest sleep =
        SubmitMapRequest.newBuilder()
            .setFunction("sleep")
            .addInputs(Input.newBuilder().setJson("10000"))
            .build();
    String first = limited.submitMap(sleep).getJob().getId();
    try {
      StatusRuntimeException e =
          assertGrpc(
              () -> limited.submitMap(sleep), Status.Code.RESOURCE_EXHAUSTED, "QUOTA_EXCEEDED");
      assertThat(errorInfo(e).getMetadataMap())
          .containsExactly(Map.entry("limit", "maxJobsInFlight"));
      assertThat(retryInfo(e).getRetryDelay().getSeconds()).isEqualTo(1);
      assertThat(
              e.getTrailers()
                  .get(Metadata.Key.of("quarry-retryable", Metadata.ASCII_STRING_MARSHALLER)))
          .isEqualTo("true");
    } finally {
      limited.cancelJob(dev.quarry.proto.v1.CancelJobRequest.newBuilder().setJobId(first).build());
    }

    assertThat(
            operator
                .put("/v1/admin/tenants/" + tenant + "/limits", "{\"requestsPerSecond\":1}")
                .status())
        .isEqualTo(200);
    StatusRuntimeException rateLimited = null;
    // one request per second: of 20 back-to-back calls, some second sees two
    for (int i = 0; i < 20 && rateLimited == null; i++) {
      try {
        limited.getJob(GetJobRequest.newBuilder().setJobId(first).build());
      } catch (StatusRuntimeException e) {
        rateLimited = e;
      }
    }
    assertThat(rateLimited).isNotNull();
    assertThat(rateLimited.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(errorInfo(rateLimited).getReason()).isEqualTo("RATE_LIMITED");
    assertThat(errorInfo(rateLimited).getMetadataMap()).containsEntry("limit", "requestsPerSecond");
    assertThat(retryInfo(rateLimited).getRetryDelay().getSeconds()).isEqualTo(1);
  }

  static void assertReason(Http.Response r, int status, String code, String reason) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().get("code").asString()).as(r.body()).isEqualTo(code);
    assertThat(r.json().get("reason").asString()).as(r.body()).isEqualTo(reason);
    assertThat(r.json().get("message").asString()).as(r.body()).isNotBlank();
  }

  static void assertRaw(RawHttp.Answer a, int status, String reason) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.isJsonError()).as(a.body()).isTrue();
    assertThat(Http.JSON.readTree(a.body()).get("reason").asString())
        .as(a.body())
        .isEqualTo(reason);
  }

  static StatusRuntimeException assertGrpc(Runnable call, Status.Code code, String reason) {
    StatusRuntimeException[] thrown = new StatusRuntimeException[1];
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).isNotBlank();
              ErrorInfo info = errorInfo(e);
              assertThat(info.getReason()).as(e.getStatus().getDescription()).isEqualTo(reason);
              assertThat(info.getDomain()).isEqualTo("quarry.dev");
              thrown[0] = e;
            });
    return thrown[0];
  }

  static ErrorInfo errorInfo(StatusRuntimeException e) {
    return detail(e, ErrorInfo.class);
  }

  static RetryInfo retryInfo(StatusRuntimeException e) {
    return detail(e, RetryInfo.class);
  }

  private static <T extends com.google.protobuf.Message> T detail(
      StatusRuntimeException e, Class<T> type) {
    var status = StatusProto.fromThrowable(e);
    assertThat(status).as("google.rpc.Status in the trailers").isNotNull();
    assertThat(status.getCode()).isEqualTo(e.getStatus().getCode().value());
    return status.getDetailsList().stream()
        .filter(d -> d.is(type))
        .findFirst()
        .map(
            d -> {
              try {
                return d.unpack(type);
              } catch (InvalidProtocolBufferException x) {
                throw new AssertionError(x);
              }
            })
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + status));
  }

  static <S extends AbstractStub<S>> S withKey(S stub, String key) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
