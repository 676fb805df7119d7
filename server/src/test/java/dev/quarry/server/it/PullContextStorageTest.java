package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.QuarryStorage;
import dev.quarry.proto.v1.ServerMessage;
import dev.quarry.proto.v1.StorageCall;
import dev.quarry.proto.v1.WorkerHello;
import dev.quarry.proto.v1.WorkerMessage;
import dev.quarry.proto.v1.WorkerServiceGrpc;
import dev.quarry.testkit.Http;
import dev.quarry.worker.pull.PullWorker;
import dev.quarry.worker.pull.PullWorkerOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Functions that use storage on pull workers (backend {@code standalone}): real {@link PullWorker}s
 * (one per team, one slot, in this JVM) connected over gRPC to the shared test server; the
 * function's calls travel on the worker's stream and are served only while the worker holds the
 * invocation's lease.
 */
class PullContextStorageTest extends ContextStorageCases {
  private static final String PROFILE = "pool";

  static TestServer server;
  static String tokenA;
  static FunctionExecutor fexecA;
  static FunctionExecutor fexecB;
  static QuarryStorage storageA;
  static final List<PullWorker> workers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    String keyA = TenancyTest.newTenant();
    String keyB = TenancyTest.newTenant();
    tokenA = workerToken(keyA);
    worker(tokenA, "ctx-a");
    worker(workerToken(keyB), "ctx-b");
    fexecA = executor(keyA);
    fexecB = executor(keyB);
    storageA = fexecA.storage();
    storageA.putObject("docs", "in/hello.txt", "hello world");
  }

  @AfterAll
  static void stop() throws Exception {
    storageA.close();
    fexecA.close();
    fexecB.close();
    for (PullWorker w : workers) {
      w.drain();
    }
  }

  @Override
  FunctionExecutor a() {
    return fexecA;
  }

  @Override
  FunctionExecutor b() {
    return fexecB;
  }

  @Override
  QuarryStorage storageA() {
    return storageA;
  }

  @Test
  void aWorkerHoldingNoLeaseIsDeniedTheTeamsObjects() throws Exception {
    ManagedChannel channel =
        Grpc.newChannelBuilder(server.grpcTarget(), InsecureChannelCredentials.create()).build();
    try {
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + tokenA);
      CompletableFuture<ServerMessage> reply = new CompletableFuture<>();
      StreamObserver<WorkerMessage> out =
          WorkerServiceGrpc.newStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
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
      out.onNext(
          WorkerMessage.newBuilder()
              .setHello(WorkerHello.newBuilder().setSlots(1).setName("probe").setProtocol(1))
              .build());
      out.onNext(
          WorkerMessage.newBuilder()
              .setStorage(
                  StorageCall.newBuilder()
                      .setCallId(3)
                      .setInvocationId("not-held")
                      .setOp(StorageCall.Op.OP_OBJECT_READ)
                      .setBucket("docs")
                      .setKey("in/hello.txt")
                      .setLength(100))
              .build());
      ServerMessage denied = reply.get(20, TimeUnit.SECONDS);
      assertThat(denied.getStorage().getDenied()).isTrue();
      assertThat(denied.getStorage().getData().isEmpty()).isTrue();
      out.onCompleted();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static String workerToken(String key) throws Exception {
    Http admin = new Http(server.restUrl(), key);
    Http.Response p = admin.put("/v1/profiles/" + PROFILE, "{\"backend\":\"standalone\"}");
    assertThat(p.status()).as(p.body()).isEqualTo(200);
    Http.Response r =
        admin.post("/v1/worker-tokens", "{\"name\":\"ctx\",\"profile\":\"" + PROFILE + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("secret").asString();
  }

  private static void worker(String token, String name) {
    PullWorker w =
        new PullWorker(
            new PullWorkerOptions(
                server.grpcTarget(), token, 1, name, false, Duration.ofSeconds(20)));
    workers.add(w);
    Thread.ofPlatform()
        .daemon()
        .name("pull-worker-" + name)
        .start(
            () -> {
              try {
                w.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  private static FunctionExecutor executor(String key) {
    return FunctionExecutor.connect(
        server.grpcTarget(), ClientOptions.builder().apiKey(key).profile(PROFILE).build());
  }
}
