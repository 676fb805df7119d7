package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.quarry.proto.v1.BlobHeader;
import dev.quarry.proto.v1.CancelJobRequest;
import dev.quarry.proto.v1.CreateKeyRequest;
import dev.quarry.proto.v1.CreateTenantRequest;
import dev.quarry.proto.v1.CredentialServiceGrpc;
import dev.quarry.proto.v1.DisableTenantRequest;
import dev.quarry.proto.v1.FindMissingBlobsRequest;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.GetFutureLogsRequest;
import dev.quarry.proto.v1.GetFutureStatsRequest;
import dev.quarry.proto.v1.GetJobRequest;
import dev.quarry.proto.v1.GetJobSummaryRequest;
import dev.quarry.proto.v1.Input;
import dev.quarry.proto.v1.JobServiceGrpc;
import dev.quarry.proto.v1.KeyServiceGrpc;
import dev.quarry.proto.v1.ListAuditEventsRequest;
import dev.quarry.proto.v1.ListFunctionsRequest;
import dev.quarry.proto.v1.ListJobsRequest;
import dev.quarry.proto.v1.ListKeysRequest;
import dev.quarry.proto.v1.ListTenantsRequest;
import dev.quarry.proto.v1.RegisterFunctionRequest;
import dev.quarry.proto.v1.RetryFailedRequest;
import dev.quarry.proto.v1.RevokeKeyRequest;
import dev.quarry.proto.v1.StreamResultsRequest;
import dev.quarry.proto.v1.SubmitMapRequest;
import dev.quarry.proto.v1.TenantServiceGrpc;
import dev.quarry.proto.v1.UploadBlobRequest;
import dev.quarry.proto.v1.WatchJobRequest;
import dev.quarry.server.grpc.GrpcServerLifecycle;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.RawHttp;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Calls every REST route and gRPC method with (a) no key, (b) a revoked key, (c) a viewer key on a
 * write, (d) another tenant's admin key on this tenant's resources, and checks 401 / 401 / 403 /
 * 404 (gRPC UNAUTHENTICATED / UNAUTHENTICATED / PERMISSION_DENIED / NOT_FOUND) and that nothing
 * changed. The lists of endpoints come from the running server, so a new endpoint without a row
 * here fails the test.
 */
class AuthorizationMatrixTest {
  static TestServer server;
  static Http admin;
  static String viewerKey;
  static String revokedKey;
  static String otherTenantKey;
  static String jobId;
  static String viewerKeyId;
  static String workerTokenId;
  static String uploadId;
  static ManagedChannel channel;

  /** How the fourth caller (another tenant's admin) must be answered. */
  enum Cross {
    NOT_FOUND,
    OWN_DATA,
    FORBIDDEN
  }

  record Rest(String method, String path, String body, boolean write, Cross cross) {}

  record Grpc(Function<Channel, Object> call, boolean write, Cross cross) {}

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.get();
    admin = new Http(server.restUrl(), server.apiKey);
    Http operator = admin.withKey(TestServer.OPERATOR_KEY);
    String other = "authz-" + UUID.randomUUID().toString().substring(0, 8);
    Http.Response created =
        operator.post("/v1/admin/tenants", "{\"id\":\"" + other + "\",\"name\":\"Other team\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    otherTenantKey = created.json().get("adminKeySecret").asString();
    Http.Response viewer = admin.post("/v1/keys", "{\"name\":\"viewer\",\"role\":\"viewer\"}");
    viewerKey = viewer.json().get("secret").asString();
    viewerKeyId = viewer.json().get("key").get("id").asString();
    Http.Response revoked = admin.post("/v1/keys", "{\"name\":\"revoked\",\"role\":\"member\"}");
    revokedKey = revoked.json().get("secret").asString();
    assertThat(
            admin
                .post("/v1/keys/" + revoked.json().get("key").get("id").asString() + "/revoke", "")
                .status())
        .isEqualTo(200);
    assertThat(
            admin
                .put(
                    "/v1/credentials/team-aws",
                    "{\"kind\":\"aws\",\"fields\":{\"accessKeyId\":\"test-access-key-id-matrix\","
                        + "\"secretAccessKey\":\"matrix-secret-value\"}}")
                .status())
        .isEqualTo(200);
    assertThat(
            admin
                .put("/v1/profiles/aws-prod", "{\"backend\":\"local\",\"credential\":\"team-aws\"}")
                .status())
        .isEqualTo(200);
    jobId =
        admin
            .post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1]}")
            .json()
            .get("id")
            .asString();
    RestEndToEndTest.ndjson(admin.get("/v1/jobs/" + jobId + "/results"));
    // a stored object whose key names the profile, so a listing that leaked it would show
    assertThat(admin.put("/v1/storage/matrix/aws-prod.txt", "tenant A's object").status())
        .isEqualTo(200);
    // a multipart upload in progress, which another tenant must not reach
    uploadId =
        admin
            .post(
                "/v1/storage-uploads", "{\"bucket\":\"matrix\",\"key\":\"upload.bin\",\"size\":5}")
            .json()
            .get("uploadId")
            .asString();
    assertThat(admin.put("/v1/profiles/workers", "{\"backend\":\"standalone\"}").status())
        .isEqualTo(200);
    workerTokenId =
        admin
            .post("/v1/worker-tokens", "{\"name\":\"matrix\",\"profile\":\"workers\"}")
            .json()
            .get("token")
            .get("id")
            .asString();
    channel = NettyChannelBuilder.forTarget(server.grpcTarget()).usePlaintext().build();
  }

  @AfterAll
  static void tearDown() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  static Map<String, Rest> restCases() {
    Map<String, Rest> c = new LinkedHashMap<>();
    c.put("GET /v1/functions", new Rest("GET", "/v1/functions", null, false, Cross.OWN_DATA));
    c.put(
        "POST /v1/functions",
        new Rest("POST", "/v1/functions?name=upper&entryClass=a.B", "PK", true, Cross.OWN_DATA));
    c.put(
        "POST /v1/jobs",
        new Rest(
            "POST", "/v1/jobs", "{\"function\":\"upper\",\"inputs\":[1]}", true, Cross.NOT_FOUND));
    c.put("GET /v1/jobs", new Rest("GET", "/v1/jobs", null, false, Cross.OWN_DATA));
    c.put("GET /v1/jobs/{id}", new Rest("GET", "/v1/jobs/" + jobId, null, false, Cross.NOT_FOUND));
    c.put(
        "POST /v1/jobs/{id}/cancel",
        new Rest("POST", "/v1/jobs/" + jobId + "/cancel", "", true, Cross.NOT_FOUND));
    c.put(
        "POST /v1/jobs/{id}/retry-failed",
        new Rest("POST", "/v1/jobs/" + jobId + "/retry-failed", "", true, Cross.NOT_FOUND));
    c.put(
        "GET /v1/jobs/{id}/results",
        new Rest("GET", "/v1/jobs/" + jobId + "/results", null, false, Cross.NOT_FOUND));
    c.put(
        "GET /v1/jobs/{id}/futures/{index}/logs",
        new Rest("GET", "/v1/jobs/" + jobId + "/futures/0/logs", null, false, Cross.NOT_FOUND));
    c.put(
        "GET /v1/jobs/{id}/futures/{index}/stats",
        new Rest("GET", "/v1/jobs/" + jobId + "/futures/0/stats", null, false, Cross.NOT_FOUND));
    c.put(
        "GET /v1/jobs/{id}/summary",
        new Rest("GET", "/v1/jobs/" + jobId + "/summary", null, false, Cross.NOT_FOUND));
    c.put(
        "POST /v1/admin/tenants",
        new Rest(
            "POST",
            "/v1/admin/tenants",
            "{\"id\":\"zz-new\",\"name\":\"x\"}",
            true,
            Cross.FORBIDDEN));
    c.put(
        "GET /v1/admin/tenants", new Rest("GET", "/v1/admin/tenants", null, true, Cross.FORBIDDEN));
    c.put(
        "POST /v1/admin/tenants/{id}/disable",
        new Rest("POST", "/v1/admin/tenants/default/disable", "", true, Cross.FORBIDDEN));
    c.put(
        "POST /v1/keys",
        new Rest("POST", "/v1/keys", "{\"name\":\"k\",\"role\":\"viewer\"}", true, Cross.OWN_DATA));
    c.put("GET /v1/keys", new Rest("GET", "/v1/keys", null, true, Cross.OWN_DATA));
    c.put(
        "POST /v1/keys/{id}/revoke",
        new Rest("POST", "/v1/keys/" + viewerKeyId + "/revoke", "", true, Cross.NOT_FOUND));
    c.put(
        "POST /v1/worker-tokens",
        new Rest(
            "POST",
            "/v1/worker-tokens",
            "{\"name\":\"w\",\"profile\":\"workers\"}",
            true,
            Cross.NOT_FOUND));
    c.put(
        "GET /v1/worker-tokens", new Rest("GET", "/v1/worker-tokens", null, true, Cross.OWN_DATA));
    c.put(
        "POST /v1/worker-tokens/{id}/revoke",
        new Rest(
            "POST", "/v1/worker-tokens/" + workerTokenId + "/revoke", "", true, Cross.NOT_FOUND));
    c.put("GET /v1/audit", new Rest("GET", "/v1/audit", null, true, Cross.OWN_DATA));
    c.put(
        "PUT /v1/credentials/{name}",
        new Rest(
            "PUT",
            "/v1/credentials/b-own",
            "{\"kind\":\"aws\",\"fields\":{\"roleArn\":\"arn:aws:iam::1:role/x\"}}",
            true,
            Cross.OWN_DATA));
    c.put("GET /v1/credentials", new Rest("GET", "/v1/credentials", null, true, Cross.OWN_DATA));
    c.put(
        "DELETE /v1/credentials/{name}",
        new Rest("DELETE", "/v1/credentials/team-aws", null, true, Cross.NOT_FOUND));
    c.put(
        "PUT /v1/profiles/{name}",
        new Rest(
            "PUT",
            "/v1/profiles/other",
            "{\"backend\":\"local\",\"credential\":\"team-aws\"}",
            true,
            Cross.NOT_FOUND));
    c.put("GET /v1/profiles", new Rest("GET", "/v1/profiles", null, false, Cross.OWN_DATA));
    c.put(
        "DELETE /v1/profiles/{name}",
        new Rest("DELETE", "/v1/profiles/aws-prod", null, true, Cross.NOT_FOUND));
    c.put(
        "GET /v1/admin/tenants/{id}/limits",
        new Rest("GET", "/v1/admin/tenants/default/limits", null, true, Cross.FORBIDDEN));
    c.put(
        "PUT /v1/admin/tenants/{id}/limits",
        new Rest(
            "PUT",
            "/v1/admin/tenants/default/limits",
            "{\"maxJobsInFlight\":1}",
            true,
            Cross.FORBIDDEN));
    c.put(
        "POST /v1/admin/secrets/rotate",
        new Rest("POST", "/v1/admin/secrets/rotate", "", true, Cross.FORBIDDEN));
    c.put(
        "PUT /v1/storage/{bucket}/{*key}",
        new Rest("PUT", "/v1/storage/matrix/b-own.txt", "own", true, Cross.OWN_DATA));
    c.put(
        "GET /v1/storage/{bucket}/{*key}",
        new Rest("GET", "/v1/storage/matrix/aws-prod.txt", null, false, Cross.NOT_FOUND));
    c.put(
        "DELETE /v1/storage/{bucket}/{*key}",
        new Rest("DELETE", "/v1/storage/matrix/aws-prod.txt", null, true, Cross.OWN_DATA));
    c.put(
        "GET /v1/storage/{bucket}",
        new Rest("GET", "/v1/storage/matrix?prefix=aws", null, false, Cross.OWN_DATA));
    c.put(
        "POST /v1/storage/{bucket}",
        new Rest(
            "POST", "/v1/storage/matrix", "{\"delete\":[\"aws-prod.txt\"]}", true, Cross.OWN_DATA));
    c.put(
        "POST /v1/storage-uploads",
        new Rest(
            "POST",
            "/v1/storage-uploads",
            "{\"bucket\":\"matrix\",\"key\":\"b-up.bin\",\"size\":5}",
            true,
            Cross.OWN_DATA));
    c.put(
        "PUT /v1/storage-uploads/{id}/parts/{partNumber}",
        new Rest(
            "PUT", "/v1/storage-uploads/" + uploadId + "/parts/1", "hello", true, Cross.NOT_FOUND));
    c.put(
        "POST /v1/storage-uploads/{id}/complete",
        new Rest(
            "POST",
            "/v1/storage-uploads/" + uploadId + "/complete",
            "{\"parts\":[{\"partNumber\":1,\"etag\":\"\\\"5d41402abc4b2a76b9719d911017c592\\\"\"}]}",
            true,
            Cross.NOT_FOUND));
    c.put(
        "DELETE /v1/storage-uploads/{id}",
        new Rest("DELETE", "/v1/storage-uploads/" + uploadId, null, true, Cross.NOT_FOUND));
    String fn = "quarry-worker-000000000000-1024";
    c.put(
        "GET /v1/profiles/{profile}/runtimes",
        new Rest("GET", "/v1/profiles/aws-prod/runtimes", null, false, Cross.NOT_FOUND));
    c.put(
        "POST /v1/profiles/{profile}/runtimes",
        new Rest("POST", "/v1/profiles/aws-prod/runtimes", "", true, Cross.NOT_FOUND));
    c.put(
        "PUT /v1/profiles/{profile}/runtimes/{name}",
        new Rest("PUT", "/v1/profiles/aws-prod/runtimes/" + fn, "", true, Cross.NOT_FOUND));
    c.put(
        "DELETE /v1/profiles/{profile}/runtimes/{name}",
        new Rest("DELETE", "/v1/profiles/aws-prod/runtimes/" + fn, null, true, Cross.NOT_FOUND));
    return c;
  }

  static Map<String, Grpc> grpcCases() {
    Map<String, Grpc> c = new LinkedHashMap<>();
    c.put(
        "quarry.v1.JobService/FindMissingBlobs",
        new Grpc(
            ch ->
                JobServiceGrpc.newBlockingStub(ch)
                    .findMissingBlobs(
                        FindMissingBlobsRequest.newBuilder().addDigests("0".repeat(64)).build()),
            false,
            Cross.OWN_DATA));
    c.put(
        "quarry.v1.JobService/UploadBlob",
        new Grpc(AuthorizationMatrixTest::upload, true, Cross.OWN_DATA));
    c.put(
        "quarry.v1.JobService/RegisterFunction",
        new Grpc(
            ch ->
                JobServiceGrpc.newBlockingStub(ch)
                    .registerFunction(
                        RegisterFunctionRequest.newBuilder()
                            .setKind(FunctionKind.FUNCTION_KIND_SERIALIZED)
                            .setPayloadDigest("0".repeat(64))
                            .build()),
            true,
            Cross.OWN_DATA));
    c.put(
        "quarry.v1.JobService/ListFunctions",
        new Grpc(
            ch ->
                JobServiceGrpc.newBlockingStub(ch)
                    .listFunctions(ListFunctionsRequest.getDefaultInstance()),
            false,
            Cross.OWN_DATA));
    c.put(
        "quarry.v1.JobService/SubmitMap",
        new Grpc(
            ch ->
                JobServiceGrpc.newBlockingStub(ch)
                    .submitMap(
                        SubmitMapRequest.newBuilder()
                            .setFunction("upper")
                            .addInputs(Input.newBuilder().setJson("1"))
                            .build()),
            true,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.JobService/GetJob",
        new Grpc(
            ch ->
                JobServiceGrpc.newBlockingStub(ch)
                    .getJob(GetJobRequest.newBuilder().setJobId(jobId).build()),
            false,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.JobService/ListJobs",
        new Grpc(
            ch -> JobServiceGrpc.newBlockingStub(ch).listJobs(ListJobsRequest.getDefaultInstance()),
            false,
            Cross.OWN_DATA));
    c.put(
        "quarry.v1.JobService/CancelJob",
        new Grpc(
            ch ->
                JobServiceGrpc.newBlockingStub(ch)
                    .cancelJob(CancelJobRequest.newBuilder().setJobId(jobId).build()),
            true,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.JobService/RetryFailed",
        new Grpc(
            ch ->
                JobServiceGrpc.newBlockingStub(ch)
                    .retryFailed(RetryFailedRequest.newBuilder().setJobId(jobId).build()),
            true,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.JobService/GetFutureLogs",
        new Grpc(
            ch ->
                JobServiceGrpc.newBlockingStub(ch)
                    .getFutureLogs(
                        GetFutureLogsRequest.newBuilder().setJobId(jobId).setIndex(0).build()),
            false,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.JobService/GetFutureStats",
        new Grpc(
            ch ->
                JobServiceGrpc.newBlockingStub(ch)
                    .getFutureStats(
                        GetFutureStatsRequest.newBuilder().setJobId(jobId).setIndex(0).build()),
            false,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.JobService/GetJobSummary",
        new Grpc(
            ch ->
                JobServiceGrpc.newBlockingStub(ch)
                    .getJobSummary(GetJobSummaryRequest.newBuilder().setJobId(jobId).build()),
            false,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.JobService/WatchJob",
        new Grpc(
            ch ->
                JobServiceGrpc.newBlockingStub(ch)
                    .watchJob(WatchJobRequest.newBuilder().setJobId(jobId).build())
                    .hasNext(),
            false,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.JobService/StreamResults",
        new Grpc(
            ch ->
                JobServiceGrpc.newBlockingStub(ch)
                    .streamResults(StreamResultsRequest.newBuilder().setJobId(jobId).build())
                    .hasNext(),
            false,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.TenantService/CreateTenant",
        new Grpc(
            ch ->
                TenantServiceGrpc.newBlockingStub(ch)
                    .createTenant(
                        CreateTenantRequest.newBuilder().setId("zz-new").setName("x").build()),
            true,
            Cross.FORBIDDEN));
    c.put(
        "quarry.v1.TenantService/ListTenants",
        new Grpc(
            ch ->
                TenantServiceGrpc.newBlockingStub(ch)
                    .listTenants(ListTenantsRequest.getDefaultInstance()),
            true,
            Cross.FORBIDDEN));
    c.put(
        "quarry.v1.TenantService/DisableTenant",
        new Grpc(
            ch ->
                TenantServiceGrpc.newBlockingStub(ch)
                    .disableTenant(DisableTenantRequest.newBuilder().setId("default").build()),
            true,
            Cross.FORBIDDEN));
    c.put(
        "quarry.v1.KeyService/CreateKey",
        new Grpc(
            ch ->
                KeyServiceGrpc.newBlockingStub(ch)
                    .createKey(
                        CreateKeyRequest.newBuilder().setName("k").setRole("viewer").build()),
            true,
            Cross.OWN_DATA));
    c.put(
        "quarry.v1.KeyService/ListKeys",
        new Grpc(
            ch -> KeyServiceGrpc.newBlockingStub(ch).listKeys(ListKeysRequest.getDefaultInstance()),
            true,
            Cross.OWN_DATA));
    c.put(
        "quarry.v1.KeyService/RevokeKey",
        new Grpc(
            ch ->
                KeyServiceGrpc.newBlockingStub(ch)
                    .revokeKey(RevokeKeyRequest.newBuilder().setId(viewerKeyId).build()),
            true,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.WorkerTokenService/CreateWorkerToken",
        new Grpc(
            ch ->
                dev.quarry.proto.v1.WorkerTokenServiceGrpc.newBlockingStub(ch)
                    .createWorkerToken(
                        dev.quarry.proto.v1.CreateWorkerTokenRequest.newBuilder()
                            .setName("w")
                            .setProfile("workers")
                            .build()),
            true,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.WorkerTokenService/ListWorkerTokens",
        new Grpc(
            ch ->
                dev.quarry.proto.v1.WorkerTokenServiceGrpc.newBlockingStub(ch)
                    .listWorkerTokens(
                        dev.quarry.proto.v1.ListWorkerTokensRequest.getDefaultInstance()),
            true,
            Cross.OWN_DATA));
    c.put(
        "quarry.v1.WorkerTokenService/RevokeWorkerToken",
        new Grpc(
            ch ->
                dev.quarry.proto.v1.WorkerTokenServiceGrpc.newBlockingStub(ch)
                    .revokeWorkerToken(
                        dev.quarry.proto.v1.RevokeWorkerTokenRequest.newBuilder()
                            .setId(workerTokenId)
                            .build()),
            true,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.KeyService/ListAuditEvents",
        new Grpc(
            ch ->
                KeyServiceGrpc.newBlockingStub(ch)
                    .listAuditEvents(ListAuditEventsRequest.getDefaultInstance()),
            true,
            Cross.OWN_DATA));
    c.put(
        "quarry.v1.TenantService/GetTenantLimits",
        new Grpc(
            ch ->
                TenantServiceGrpc.newBlockingStub(ch)
                    .getTenantLimits(
                        dev.quarry.proto.v1.GetTenantLimitsRequest.newBuilder()
                            .setTenantId("default")
                            .build()),
            true,
            Cross.FORBIDDEN));
    c.put(
        "quarry.v1.TenantService/SetTenantLimits",
        new Grpc(
            ch ->
                TenantServiceGrpc.newBlockingStub(ch)
                    .setTenantLimits(
                        dev.quarry.proto.v1.SetTenantLimitsRequest.newBuilder()
                            .setTenantId("default")
                            .putLimits("maxJobsInFlight", 1)
                            .build()),
            true,
            Cross.FORBIDDEN));
    c.put(
        "quarry.v1.TenantService/RotateSecrets",
        new Grpc(
            ch ->
                TenantServiceGrpc.newBlockingStub(ch)
                    .rotateSecrets(dev.quarry.proto.v1.RotateSecretsRequest.getDefaultInstance()),
            true,
            Cross.FORBIDDEN));
    c.put(
        "quarry.v1.CredentialService/PutCredential",
        new Grpc(
            ch ->
                CredentialServiceGrpc.newBlockingStub(ch)
                    .putCredential(
                        dev.quarry.proto.v1.PutCredentialRequest.newBuilder()
                            .setName("b-own")
                            .setKind("aws")
                            .putFields("roleArn", "arn:aws:iam::1:role/x")
                            .build()),
            true,
            Cross.OWN_DATA));
    c.put(
        "quarry.v1.CredentialService/ListCredentials",
        new Grpc(
            ch ->
                CredentialServiceGrpc.newBlockingStub(ch)
                    .listCredentials(
                        dev.quarry.proto.v1.ListCredentialsRequest.getDefaultInstance()),
            true,
            Cross.OWN_DATA));
    c.put(
        "quarry.v1.CredentialService/DeleteCredential",
        new Grpc(
            ch ->
                CredentialServiceGrpc.newBlockingStub(ch)
                    .deleteCredential(
                        dev.quarry.proto.v1.DeleteCredentialRequest.newBuilder()
                            .setName("team-aws")
                            .build()),
            true,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.CredentialService/PutProfile",
        new Grpc(
            ch ->
                CredentialServiceGrpc.newBlockingStub(ch)
                    .putProfile(
                        dev.quarry.proto.v1.PutProfileRequest.newBuilder()
                            .setName("other")
                            .setBackend("local")
                            .setCredential("team-aws")
                            .build()),
            true,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.CredentialService/ListProfiles",
        new Grpc(
            ch ->
                CredentialServiceGrpc.newBlockingStub(ch)
                    .listProfiles(dev.quarry.proto.v1.ListProfilesRequest.getDefaultInstance()),
            false,
            Cross.OWN_DATA));
    c.put(
        "quarry.v1.CredentialService/DeleteProfile",
        new Grpc(
            ch ->
                CredentialServiceGrpc.newBlockingStub(ch)
                    .deleteProfile(
                        dev.quarry.proto.v1.DeleteProfileRequest.newBuilder()
                            .setName("aws-prod")
                            .build()),
            true,
            Cross.NOT_FOUND));
    StorageGrpcCases.add(c, uploadId);
    String fn = "quarry-worker-000000000000-1024";
    c.put(
        "quarry.v1.RuntimeService/ListRuntimes",
        new Grpc(
            ch ->
                dev.quarry.proto.v1.RuntimeServiceGrpc.newBlockingStub(ch)
                    .listRuntimes(
                        dev.quarry.proto.v1.ListRuntimesRequest.newBuilder()
                            .setProfile("aws-prod")
                            .build()),
            false,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.RuntimeService/DeployRuntime",
        new Grpc(
            ch ->
                dev.quarry.proto.v1.RuntimeServiceGrpc.newBlockingStub(ch)
                    .deployRuntime(
                        dev.quarry.proto.v1.DeployRuntimeRequest.newBuilder()
                            .setProfile("aws-prod")
                            .build()),
            true,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.RuntimeService/UpdateRuntime",
        new Grpc(
            ch ->
                dev.quarry.proto.v1.RuntimeServiceGrpc.newBlockingStub(ch)
                    .updateRuntime(
                        dev.quarry.proto.v1.UpdateRuntimeRequest.newBuilder()
                            .setProfile("aws-prod")
                            .setName(fn)
                            .build()),
            true,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.RuntimeService/DeleteRuntime",
        new Grpc(
            ch ->
                dev.quarry.proto.v1.RuntimeServiceGrpc.newBlockingStub(ch)
                    .deleteRuntime(
                        dev.quarry.proto.v1.DeleteRuntimeRequest.newBuilder()
                            .setProfile("aws-prod")
                            .setName(fn)
                            .build()),
            true,
            Cross.NOT_FOUND));
    return c;
  }

  @Test
  void everyRegisteredEndpointHasARow() throws Exception {
    var mapping =
        server.context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    TreeSet<String> routes = new TreeSet<>();
    mapping
        .getHandlerMethods()
        .keySet()
        .forEach(
            info ->
                info.getPatternValues().stream()
                    .filter(p -> p.startsWith("/v1/"))
                    .forEach(
                        p ->
                            info.getMethodsCondition()
                                .getMethods()
                                .forEach(m -> routes.add(m + " " + p))));
    assertThat(routes).isEqualTo(new TreeSet<>(restCases().keySet()));

    TreeSet<String> methods = new TreeSet<>();
    server
        .context
        .getBean(GrpcServerLifecycle.class)
        .authenticatedServices()
        .forEach(
            def ->
                def.getMethods()
                    .forEach(m -> methods.add(m.getMethodDescriptor().getFullMethodName())));
    assertThat(methods).isEqualTo(new TreeSet<>(grpcCases().keySet()));
  }

  @Test
  void restAnswers401401403404AndChangesNothing() throws Exception {
    String before = fingerprint();
    List<String> failures = new ArrayList<>();
    for (var e : restCases().entrySet()) {
      Rest c = e.getValue();
      expect(
          failures,
          e.getKey() + " no key",
          send(new Http(server.restUrl(), null), c),
          401,
          "UNAUTHENTICATED");
      expect(
          failures,
          e.getKey() + " revoked key",
          send(admin.withKey(revokedKey), c),
          401,
          "UNAUTHENTICATED");
      if (c.write()) {
        expect(
            failures,
            e.getKey() + " viewer",
            send(admin.withKey(viewerKey), c),
            403,
            "PERMISSION_DENIED");
      }
      Http.Response other = send(admin.withKey(otherTenantKey), c);
      switch (c.cross()) {
        case NOT_FOUND -> expect(failures, e.getKey() + " other tenant", other, 404, "NOT_FOUND");
        case FORBIDDEN ->
            expect(failures, e.getKey() + " other tenant", other, 403, "PERMISSION_DENIED");
        case OWN_DATA -> {
          if (other.body().contains(jobId)
              || other.body().contains(viewerKeyId)
              || other.body().contains("aws-prod")) {
            failures.add(e.getKey() + " other tenant saw tenant A's data: " + other.body());
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(fingerprintWithoutOtherTenant()).isEqualTo(before.replaceAll("other:.*", ""));
  }

  @Test
  void grpcAnswersTheSameStatusesAndChangesNothing() throws Exception {
    String before = fingerprint();
    List<String> failures = new ArrayList<>();
    for (var e : grpcCases().entrySet()) {
      Grpc c = e.getValue();
      expect(failures, e.getKey() + " no key", call(channel, c), Status.Code.UNAUTHENTICATED);
      expect(
          failures,
          e.getKey() + " revoked key",
          call(withKey(revokedKey), c),
          Status.Code.UNAUTHENTICATED);
      if (c.write()) {
        expect(
            failures,
            e.getKey() + " viewer",
            call(withKey(viewerKey), c),
            Status.Code.PERMISSION_DENIED);
      }
      Status other = call(withKey(otherTenantKey), c);
      switch (c.cross()) {
        case NOT_FOUND ->
            expect(failures, e.getKey() + " other tenant", other, Status.Code.NOT_FOUND);
        case FORBIDDEN ->
            expect(failures, e.getKey() + " other tenant", other, Status.Code.PERMISSION_DENIED);
        case OWN_DATA -> {
          if (other.getCode() == Status.Code.NOT_FOUND
              || other.getCode() == Status.Code.PERMISSION_DENIED
              || other.getCode() == Status.Code.UNAUTHENTICATED) {
            failures.add(e.getKey() + " other tenant on its own data: " + other);
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(fingerprintWithoutOtherTenant()).isEqualTo(before.replaceAll("other:.*", ""));
  }

  /**
   * Spellings of a route that a servlet container or Spring may map to the same handler (issue #17:
   * {@code /v1;x/jobs} got through a raw-URI prefix check). Without a key each must be a JSON 401,
   * or a JSON 400 from the firewall; never 2xx, 404 or 5xx.
   */
  static List<String> pathVariants(String path) {
    String route = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    String query = path.substring(route.length());
    String rest = route.substring("/v1".length());
    int last = route.lastIndexOf('/');
    String head = route.substring(0, last + 1);
    String tail = route.substring(last + 1);
    List<String> v = new ArrayList<>();
    v.add("/v1;x" + rest);
    v.add("/v1;" + rest);
    v.add("/%76%31" + rest);
    v.add(
        "/v1/"
            + rest.substring(1)
                .replaceFirst("^([a-z])", "%" + Integer.toHexString(rest.charAt(1))));
    v.add("/v1/" + rest);
    v.add(route + "/");
    v.add(route + ";jsessionid=x");
    v.add("/V1" + rest);
    v.add(head + tail.toUpperCase(java.util.Locale.ROOT));
    v.add("/v1/./" + rest.substring(1));
    v.add("/x/../v1" + rest);
    v.add("/v1%2F" + rest.substring(1));
    return v.stream().map(x -> x + query).toList();
  }

  @Test
  void restPathVariantsWithoutAKeyAre401OrAJson400() throws Exception {
    String before = fingerprint();
    List<String> failures = new ArrayList<>();
    int tried = 0;
    for (var e : restCases().entrySet()) {
      Rest c = e.getValue();
      byte[] body = c.body() == null ? new byte[0] : c.body().getBytes();
      for (String variant : pathVariants(c.path())) {
        tried++;
        RawHttp.Answer a =
            RawHttp.send(
                server.httpPort, c.method(), variant, "Content-Type: application/json\r\n", body);
        boolean ok =
            a.isJsonError()
                && (a.status() == 401 && a.body().contains("\"code\":\"UNAUTHENTICATED\"")
                    || a.status() == 400 && a.body().contains("\"code\":\"INVALID_ARGUMENT\""));
        if (!ok) {
          failures.add(c.method() + " " + variant + " -> " + a.status() + " " + a.body());
        }
      }
    }
    assertThat(tried).isGreaterThan(restCases().size() * 10);
    assertThat(failures).isEmpty();
    assertThat(fingerprintWithoutOtherTenant()).isEqualTo(before.replaceAll("other:.*", ""));
  }

  private static Http.Response send(Http http, Rest c) throws Exception {
    return switch (c.method()) {
      case "GET" -> http.get(c.path());
      case "PUT" -> http.put(c.path(), c.body());
      case "DELETE" -> http.delete(c.path());
      case "POST" ->
          c.path().startsWith("/v1/functions")
              ? http.postBytes(c.path(), c.body().getBytes(), "application/java-archive")
              : http.post(c.path(), c.body());
      default -> throw new IllegalArgumentException(c.method());
    };
  }

  private static void expect(
      List<String> failures, String what, Http.Response r, int status, String code) {
    if (r.status() != status || !r.body().contains("\"code\":\"" + code + "\"")) {
      failures.add(
          what + ": expected " + status + " " + code + ", got " + r.status() + " " + r.body());
    }
  }

  private static void expect(List<String> failures, String what, Status s, Status.Code code) {
    if (s.getCode() != code || s.getDescription() == null || s.getDescription().isBlank()) {
      failures.add(what + ": expected " + code + " with a message, got " + s);
    }
  }

  private static Channel withKey(String key) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md));
  }

  private static Status call(Channel ch, Grpc c) {
    try {
      c.call().apply(ch);
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private static Object upload(Channel ch) {
    return StorageGrpcCases.clientStream(
        JobServiceGrpc.newStub(ch)::uploadBlob,
        List.of(
            UploadBlobRequest.newBuilder()
                .setHeader(
                    BlobHeader.newBuilder()
                        .setDigest(
                            "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881")
                        .setSize(1))
                .build(),
            UploadBlobRequest.newBuilder().setData(ByteString.copyFrom("x".getBytes())).build()));
  }

  /** Tenant A's state (and, after "other:", tenant B's, which B's own calls may change). */
  private static String fingerprint() throws Exception {
    return query(
            "select (select count(*) from tenants) || '/' || (select count(*) from tenants where disabled_at is not null)"
                + " || '/' || (select count(*) from api_keys where tenant_id = 'default')"
                + " || '/' || (select count(*) from api_keys where tenant_id = 'default' and revoked_at is not null)"
                + " || '/' || (select count(*) from jobs where tenant_id = 'default')"
                + " || '/' || (select count(*) from functions where tenant_id = 'default')"
                + " || '/' || (select count(*) from blobs where tenant_id = 'default')"
                + " || '/' || (select string_agg(name || key_id || encode(sealed, 'hex'), ',') from credentials where tenant_id = 'default')"
                + " || '/' || (select string_agg(name || backend || coalesce(credential_name, ''), ',') from backend_profiles where tenant_id = 'default')"
                + " || '/' || (select count(*) from tenant_limits where tenant_id = 'default')"
                + " || '/' || (select string_agg(bucket || object_key || etag, ',') from storage_objects where tenant_id = 'default')"
                + " || '/' || (select state from jobs where id = '"
                + jobId
                + "')")
        + "other:";
  }

  private static String fingerprintWithoutOtherTenant() throws Exception {
    return fingerprint().replaceAll("other:.*", "");
  }

  private static String query(String sql) throws Exception {
    try (Connection c = server.database.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
