package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarry.backend.pull.PullPool;
import dev.quarry.proto.v1.ServerMessage;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.WorkerHeartbeat;
import dev.quarry.proto.v1.WorkerHello;
import dev.quarry.proto.v1.WorkerMessage;
import dev.quarry.proto.v1.WorkerServiceGrpc;
import dev.quarry.server.QuarryServer;
import dev.quarry.server.backend.standalone.StandaloneBackendPlugin;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.JobFixtures;
import dev.quarry.testkit.ServerFixture;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Pull workers end to end: a server of its own (short leases so a hung worker is noticed within
 * seconds; tokens rechecked only hourly, so a revocation must act by itself), real worker processes
 * ({@code PullWorkerMain}) started here, jobs submitted and read through REST.
 */
class StandaloneWorkersTest {
  private static final String OPERATOR_KEY = "test-operator-key-standalone-0123456789";
  private static final Duration LEASE = Duration.ofMillis(1500);
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

  private static ServerFixture server;
  private static Http operator;
  private static Path logs;
  private final List<Process> workers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server =
        ServerFixture.builder(QuarryServer.class)
            .arg(
                "--quarry.backend.pool-size=1",
                "--quarry.operator-key=" + OPERATOR_KEY,
                "--quarry.dispatch.retry-initial-backoff=50ms",
                "--quarry.workers.lease-time=" + LEASE.toMillis() + "ms",
                "--quarry.workers.token-recheck=1h")
            .start();
    operator = server.http(OPERATOR_KEY);
    logs = Files.createTempDirectory("quarry-pull-workers");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (logs != null) {
      ServerFixture.deleteRecursively(logs);
    }
  }

  @AfterEach
  void killWorkers() throws Exception {
    for (Process p : workers) {
      signal(p, "CONT");
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    workers.clear();
  }

  @Test
  void runsAThousandInputMapOverThreeWorkers() throws Exception {
    Tenant t = tenant("thousand");
    String token = t.token("pool");
    for (int i = 0; i < 3; i++) {
      worker(token, 2, "w" + i);
    }
    awaitWorkers(t, "pool", 3);
    String inputs =
        IntStream.range(0, 1000).mapToObj(Integer::toString).collect(Collectors.joining(","));
    String job =
        JobFixtures.submit(
            t.admin,
            "{\"function\":\"echo\",\"chunkSize\":5,\"profile\":\"pool\",\"inputs\":["
                + inputs
                + "]}");
    assertThat(JobFixtures.awaitTerminal(t.admin, job, JOB_TIMEOUT).get("state").asString())
        .isEqualTo("SUCCEEDED");
    assertEachResultOnce(t.admin, job, 1000, i -> i);
    // the pull worker measured each future: input 999 is 3 bytes of JSON each way
    var stats = t.admin.get("/v1/jobs/" + job + "/futures/999/stats").json();
    assertThat(stats.get("bytesRead").asLong()).isEqualTo(3);
    assertThat(stats.get("bytesWritten").asLong()).isEqualTo(3);
    assertThat(stats.get("peakMemoryBytes").asLong()).isPositive();
    assertThat(stats.get("workerId").asString()).isNotBlank();
    var summary = t.admin.get("/v1/jobs/" + job + "/summary").json();
    assertThat(summary.get("totals").get("succeeded").asInt()).isEqualTo(1000);
    assertThat(summary.get("cost").get("available").asBoolean()).isFalse();
  }

  @Test
  void retriesTheTasksOfAWorkerKilledMidTask() throws Exception {
    Tenant t = tenant("killed");
    String token = t.token("pool");
    Process victim = worker(token, 2, "victim");
    awaitWorkers(t, "pool", 1);
    String job = submitSleeps(t, 20, 400);
    // the victim holds two invocations now; a second worker joins, then the victim dies
    await().atMost(JOB_TIMEOUT).until(() -> running(t, job) >= 1);
    worker(token, 2, "survivor");
    awaitWorkers(t, "pool", 2);
    victim.destroyForcibly();
    assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(JobFixtures.awaitTerminal(t.admin, job, JOB_TIMEOUT).get("state").asString())
        .isEqualTo("SUCCEEDED");
    assertEachResultOnce(t.admin, job, 20, i -> i);
  }

  @Test
  void retriesTheInvocationsOfAHungWorkerWhenItsLeaseExpires() throws Exception {
    Tenant t = tenant("hung");
    String token = t.token("pool");
    Process hung = worker(token, 2, "hung");
    awaitWorkers(t, "pool", 1);
    String job = submitSleeps(t, 6, 1000);
    await().atMost(JOB_TIMEOUT).until(() -> running(t, job) >= 1);
    signal(hung, "STOP");
    worker(token, 2, "healthy");
    assertThat(JobFixtures.awaitTerminal(t.admin, job, JOB_TIMEOUT).get("state").asString())
        .isEqualTo("SUCCEEDED");
    // the hung worker wakes up and reports what it ran: those late outcomes are dropped
    signal(hung, "CONT");
    awaitWorkers(t, "pool", 2);
    assertEachResultOnce(t.admin, job, 6, i -> i);
    assertThat(JobFixtures.status(t.admin, job).get("succeeded").asInt()).isEqualTo(6);
  }

  @Test
  void cutsOffARevokedTokenAtOnceAndRetriesItsInvocations() throws Exception {
    Tenant t = tenant("revoked");
    t.profile("pool");
    Http.Response created =
        t.admin.post("/v1/worker-tokens", "{\"name\":\"doomed\",\"profile\":\"pool\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String doomedId = created.json().get("token").get("id").asString();
    Process doomed = worker(created.json().get("secret").asString(), 2, "doomed");
    awaitWorkers(t, "pool", 1);
    String job = submitSleeps(t, 4, 3000);
    await().atMost(JOB_TIMEOUT).until(() -> running(t, job) >= 2);

    long revokedAt = System.nanoTime();
    assertThat(t.admin.post("/v1/worker-tokens/" + doomedId + "/revoke", "").status())
        .isEqualTo(200);
    // PERMISSION_DENIED ends the worker (exit 4) well before its 3 s invocations could finish
    assertThat(doomed.waitFor(2500, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(doomed.exitValue()).isEqualTo(4);
    assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofMillis(2500));
    assertThat(t.admin.get("/v1/worker-tokens").body()).contains("\"connected\":0");

    worker(t.token("pool"), 2, "replacement");
    assertThat(JobFixtures.awaitTerminal(t.admin, job, JOB_TIMEOUT).get("state").asString())
        .isEqualTo("SUCCEEDED");
    assertEachResultOnce(t.admin, job, 4, i -> i);
    assertThat(t.admin.get("/v1/audit").body()).contains("worker-token.revoke");
  }

  @Test
  void aWorkerOfOneTenantNeverReceivesAnotherTenantsInvocations() throws Exception {
    Tenant a = tenant("iso-a");
    Tenant b = tenant("iso-b");
    worker(a.token("pool"), 4, "a-worker");
    awaitWorkers(a, "pool", 1);
    b.profile("pool");
    // b's job is submitted first, on a profile of the same name; only a's worker is connected
    String bJob =
        JobFixtures.submit(
            b.admin,
            "{\"function\":\"echo\",\"chunkSize\":1,\"profile\":\"pool\",\"inputs\":[1,2,3]}");
    String aJob =
        JobFixtures.submit(
            a.admin,
            "{\"function\":\"echo\",\"chunkSize\":1,\"profile\":\"pool\",\"inputs\":[4,5,6]}");
    assertThat(JobFixtures.awaitTerminal(a.admin, aJob, JOB_TIMEOUT).get("state").asString())
        .isEqualTo("SUCCEEDED");
    JsonNode bStatus = JobFixtures.status(b.admin, bJob);
    assertThat(bStatus.get("state").asString()).isIn("PENDING", "RUNNING");
    assertThat(bStatus.get("succeeded").asInt()).isZero();
    // and a's job is invisible to b, whatever the worker
    assertThat(b.admin.get("/v1/jobs/" + aJob).status()).isEqualTo(404);

    worker(b.token("pool"), 1, "b-worker");
    assertThat(JobFixtures.awaitTerminal(b.admin, bJob, JOB_TIMEOUT).get("state").asString())
        .isEqualTo("SUCCEEDED");
    assertEachResultOnce(b.admin, bJob, 3, i -> i + 1);
  }

  @Test
  void drainingWorkerFinishesWhatItHoldsAndTakesNothingNew() throws Exception {
    Tenant t = tenant("drain");
    String token = t.token("pool");
    Process draining = worker(token, 1, "draining");
    awaitWorkers(t, "pool", 1);
    String job = submitSleeps(t, 4, 800);
    await().atMost(JOB_TIMEOUT).until(() -> running(t, job) >= 1);
    draining.destroy(); // SIGTERM
    assertThat(draining.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(draining.exitValue()).isZero();
    // it finished the invocation it held (its outcome is recorded: no other worker exists that
    // could have run it) and took nothing else
    awaitWorkers(t, "pool", 0);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> JobFixtures.status(t.admin, job).get("succeeded").asInt() == 1);
    worker(token, 2, "next");
    assertThat(JobFixtures.awaitTerminal(t.admin, job, JOB_TIMEOUT).get("state").asString())
        .isEqualTo("SUCCEEDED");
    assertEachResultOnce(t.admin, job, 4, i -> i);
  }

  @Test
  void aWorkerReconnectsWhenItsConnectionIsCut() throws Exception {
    Tenant t = tenant("reconnect");
    String token = t.token("pool");
    try (CuttableProxy proxy = new CuttableProxy(server.grpcPort())) {
      worker(token, 2, "flaky", "127.0.0.1:" + proxy.port());
      awaitWorkers(t, "pool", 1);
      proxy.cutAll();
      // the server drops the session, the worker dials again after its backoff
      await().atMost(Duration.ofSeconds(30)).until(() -> proxy.accepted() >= 2);
      awaitWorkers(t, "pool", 1);
      String job =
          JobFixtures.submit(
              t.admin, "{\"function\":\"echo\",\"profile\":\"pool\",\"inputs\":[1,2,3]}");
      assertThat(JobFixtures.awaitTerminal(t.admin, job, JOB_TIMEOUT).get("state").asString())
          .isEqualTo("SUCCEEDED");
      assertEachResultOnce(t.admin, job, 3, i -> i + 1);
    }
  }

  @Test
  void refusesBadTokensAndMalformedMessagesWithAClearStatus() throws Exception {
    Tenant t = tenant("refuse");
    String token = t.token("pool");
    ManagedChannel channel =
        Grpc.newChannelBuilder(server.grpcTarget(), InsecureChannelCredentials.create()).build();
    try {
      WorkerMessage hello =
          WorkerMessage.newBuilder()
              .setHello(WorkerHello.newBuilder().setSlots(1).setName("probe").setProtocol(1))
              .build();
      assertThat(connect(channel, null, hello).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(connect(channel, "qw_nope_nope", hello).getCode())
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      // an API key, even the tenant admin's, does not open the worker service ...
      assertThat(connect(channel, t.admin.key(), hello).getCode())
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      // ... and a worker token opens nothing else
      assertThat(t.admin.withKey(token).get("/v1/jobs").status()).isEqualTo(401);

      Status noHello =
          connect(
              channel,
              token,
              WorkerMessage.newBuilder()
                  .setHeartbeat(WorkerHeartbeat.getDefaultInstance())
                  .build());
      assertThat(noHello.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(noHello.getDescription()).contains("hello");
      Status tooManySlots =
          connect(
              channel,
              token,
              WorkerMessage.newBuilder()
                  .setHello(WorkerHello.newBuilder().setSlots(100_000))
                  .build());
      assertThat(tooManySlots.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(tooManySlots.getDescription()).contains("slots");
      assertThat(connect(channel, token, WorkerMessage.getDefaultInstance()).getCode())
          .isEqualTo(Status.Code.INVALID_ARGUMENT);
      Status garbage = connectRaw(channel, token, new byte[] {(byte) 0xff, 0x01, 0x02});
      assertThat(garbage.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

      // storage of an invocation the worker does not hold is denied, and the stream lives on
      CompletableFuture<ServerMessage> reply = new CompletableFuture<>();
      StreamObserver<WorkerMessage> out =
          stub(channel, token)
              .connect(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ServerMessage m) {
                      if (m.hasStorage()) {
                        reply.complete(m);
                      }
                    }

                    @Override
                    public void onError(Throwable e) {
                      reply.completeExceptionally(e);
                    }

                    @Override
                    public void onCompleted() {}
                  });
      out.onNext(hello);
      out.onNext(
          WorkerMessage.newBuilder()
              .setStorage(
                  StorageCall.newBuilder()
                      .setCallId(7)
                      .setInvocationId("someone-elses")
                      .setOp(StorageCall.Op.OP_READ)
                      .setKey("tenants/other/secret"))
              .build());
      ServerMessage denied = reply.get(10, TimeUnit.SECONDS);
      assertThat(denied.getStorage().getDenied()).isTrue();
      assertThat(denied.getStorage().getCallId()).isEqualTo(7);
      out.onCompleted();

      // tokens are for standalone profiles only, and bad names are refused
      t.admin.put("/v1/profiles/plain", "{\"backend\":\"local\"}");
      assertThat(
              t.admin.post("/v1/worker-tokens", "{\"name\":\"x\",\"profile\":\"plain\"}").status())
          .isEqualTo(400);
      assertThat(
              t.admin.post("/v1/worker-tokens", "{\"name\":\"x\",\"profile\":\"absent\"}").status())
          .isEqualTo(404);
      assertThat(
              t.admin.post("/v1/worker-tokens", "{\"name\":\"\\n\",\"profile\":\"pool\"}").status())
          .isEqualTo(400);
      assertThat(t.admin.post("/v1/worker-tokens/not-a-uuid/revoke", "").status()).isEqualTo(404);
      // the list never shows a secret
      assertThat(t.admin.get("/v1/worker-tokens").body()).doesNotContain(token);
      // a worker started with a bad token exits with status 4 instead of retrying forever
      Process refused = worker("qw_bad_token", 1, "refused");
      assertThat(refused.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(refused.exitValue()).isEqualTo(4);
    } finally {
      channel.shutdownNow();
    }
  }

  // ---- helpers

  private record Tenant(String id, Http admin) {
    void profile(String name) throws Exception {
      Http.Response r = admin.put("/v1/profiles/" + name, "{\"backend\":\"standalone\"}");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    String token(String profile) throws Exception {
      profile(profile);
      Http.Response r =
          admin.post("/v1/worker-tokens", "{\"name\":\"t\",\"profile\":\"" + profile + "\"}");
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.json().get("secret").asString()).startsWith("qw_");
      return r.json().get("secret").asString();
    }
  }

  private static Tenant tenant(String id) throws Exception {
    Http.Response r =
        operator.post("/v1/admin/tenants", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return new Tenant(id, server.http(r.json().get("adminKeySecret").asString()));
  }

  private Process worker(String token, int slots, String name) throws IOException {
    return worker(token, slots, name, server.grpcTarget());
  }

  private Process worker(String token, int slots, String name, String target) throws IOException {
    Path tokenFile = Files.createTempFile(logs, "token", "");
    Files.writeString(tokenFile, token);
    Path log = logs.resolve(name + "-" + System.nanoTime() + ".log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.quarry.worker.pull.PullWorkerMain",
                "--server",
                target,
                "--token-file",
                tokenFile.toString(),
                "--slots",
                Integer.toString(slots),
                "--name",
                name,
                "--drain-timeout",
                "60")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    workers.add(p);
    return p;
  }

  private static void awaitWorkers(Tenant t, String profile, int n) {
    PullPool pool = server.context().getBean(StandaloneBackendPlugin.class).pool(t.id(), profile);
    await("workers of " + t.id()).atMost(Duration.ofSeconds(60)).until(() -> pool.workers() == n);
  }

  private static int running(Tenant t, String job) throws Exception {
    return JobFixtures.status(t.admin, job).get("running").asInt();
  }

  private static String submitSleeps(Tenant t, int n, int ms) throws Exception {
    String inputs =
        IntStream.range(0, n)
            .mapToObj(i -> "{\"ms\":" + ms + ",\"value\":" + i + "}")
            .collect(Collectors.joining(","));
    return JobFixtures.submit(
        t.admin,
        "{\"function\":\"sleep\",\"chunkSize\":1,\"maxAttempts\":5,\"profile\":\"pool\",\"inputs\":["
            + inputs
            + "]}");
  }

  private static void assertEachResultOnce(
      Http http, String job, int n, java.util.function.IntUnaryOperator expected) throws Exception {
    List<JsonNode> lines = JobFixtures.results(http, job);
    assertThat(lines).hasSize(n);
    Set<Integer> seen = new HashSet<>();
    for (JsonNode line : lines) {
      int index = line.get("index").asInt();
      assertThat(seen.add(index)).as("index %d twice", index).isTrue();
      assertThat(line.get("result").asInt()).isEqualTo(expected.applyAsInt(index));
    }
    assertThat(seen).hasSize(n);
  }

  /** A TCP forwarder on a free loopback port whose connections the test can cut. */
  private static final class CuttableProxy implements AutoCloseable {
    private final java.net.ServerSocket listener;
    private final List<java.net.Socket> open = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger accepted =
        new java.util.concurrent.atomic.AtomicInteger();

    CuttableProxy(int targetPort) throws IOException {
      listener = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
      Thread.ofVirtual()
          .start(
              () -> {
                while (!listener.isClosed()) {
                  try {
                    java.net.Socket client = listener.accept();
                    java.net.Socket upstream =
                        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(upstream);
                    accepted.incrementAndGet();
                    pump(client, upstream);
                    pump(upstream, client);
                  } catch (IOException e) {
                    // closed
                  }
                }
              });
    }

    private void pump(java.net.Socket from, java.net.Socket to) {
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  from.getInputStream().transferTo(to.getOutputStream());
                } catch (IOException e) {
                  // cut
                }
                closeQuietly(from);
                closeQuietly(to);
              });
    }

    int port() {
      return listener.getLocalPort();
    }

    int accepted() {
      return accepted.get();
    }

    void cutAll() {
      open.forEach(CuttableProxy::closeQuietly);
      open.clear();
    }

    private static void closeQuietly(java.net.Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
      cutAll();
    }
  }

  private static void signal(Process p, String signal) {
    if (!p.isAlive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static WorkerServiceGrpc.WorkerServiceStub stub(ManagedChannel channel, String token) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return WorkerServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** Opens a stream, sends one message, and returns the status the server ends it with. */
  private static Status connect(ManagedChannel channel, String token, WorkerMessage first)
      throws Exception {
    CompletableFuture<Status> end = new CompletableFuture<>();
    WorkerServiceGrpc.WorkerServiceStub stub =
        token == null ? WorkerServiceGrpc.newStub(channel) : stub(channel, token);
    StreamObserver<WorkerMessage> out =
        stub.connect(
            new StreamObserver<>() {
              @Override
              public void onNext(ServerMessage m) {}

              @Override
              public void onError(Throwable e) {
                end.complete(Status.fromThrowable(e));
              }

              @Override
              public void onCompleted() {
                end.complete(Status.OK);
              }
            });
    out.onNext(first);
    Status status = end.get(10, TimeUnit.SECONDS);
    return status;
  }

  /** Like {@link #connect} with bytes that are no WorkerMessage. */
  private static Status connectRaw(ManagedChannel channel, String token, byte[] bytes)
      throws Exception {
    MethodDescriptor.Marshaller<byte[]> raw =
        new MethodDescriptor.Marshaller<>() {
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
        };
    MethodDescriptor<byte[], byte[]> method =
        WorkerServiceGrpc.getConnectMethod().toBuilder(raw, raw).build();
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    ClientCall<byte[], byte[]> call = channel.newCall(method, CallOptions.DEFAULT);
    CompletableFuture<Status> end = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            end.complete(status);
          }
        },
        headers);
    call.request(1);
    call.sendMessage(bytes);
    return end.get(10, TimeUnit.SECONDS);
  }
}
