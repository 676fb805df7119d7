package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.client.ClientOptions;
import dev.quarry.testkit.Http;
import dev.quarry.worker.pull.PullWorker;
import dev.quarry.worker.pull.PullWorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Functions that use storage on pull workers (backend {@code standalone}): real {@link PullWorker}s
 * (one per team, one slot, in this JVM) connected over gRPC to the shared test server; the
 * function's calls travel on the worker's stream and are served only while the worker holds the
 * invocation's lease ({@code PullPoolTest} checks the refusal of an invocation not held).
 */
class PullContextStorageTest extends ContextStorageCases {
  private static final String PROFILE = "pool";

  static TestServer server;
  static Teams teams;
  static final List<PullWorker> workers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    String keyA = TenancyTest.newTenant();
    String keyB = TenancyTest.newTenant();
    worker(workerToken(keyA), "ctx-a");
    worker(workerToken(keyB), "ctx-b");
    teams =
        Teams.connect(
            server.grpcTarget(),
            ClientOptions.builder().apiKey(keyA).profile(PROFILE),
            ClientOptions.builder().apiKey(keyB).profile(PROFILE));
  }

  @AfterAll
  static void stop() throws Exception {
    teams.close();
    for (PullWorker w : workers) {
      w.drain();
    }
  }

  @Override
  Teams teams() {
    return teams;
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
}
