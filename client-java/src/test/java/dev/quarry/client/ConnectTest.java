package dev.quarry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real connect path: Netty channel, config file, service config. */
@Timeout(60)
class ConnectTest {
  @TempDir Path tmp;

  @Test
  void theReadmeExampleRunsOverTcpWithTheKeyFromTheConfigFile() throws Exception {
    try (var server = new FakeQuarryServer(true)) {
      Path config = tmp.resolve("config");
      Files.writeString(config, "api_key=key-from-file\ngrpc_address=localhost\\:1\n");
      String previous = System.getProperty("quarry.config");
      System.setProperty("quarry.config", config.toString());
      try (var fexec = FunctionExecutor.connect("localhost:" + server.port())) {
        JobFuture<String> f = fexec.callAsync(name -> "Hello " + name + "!", "World");
        assertThat(f.get()).isEqualTo("Hello World!");
        var futures = fexec.map(x -> x * 2, List.of(1, 2, 3, 4));
        assertThat(fexec.getResult(futures)).containsExactly(2, 4, 6, 8);
        assertThat(fexec.getJob(futures.get(0).jobId()).state()).isEqualTo(JobInfo.State.SUCCEEDED);
      } finally {
        if (previous == null) {
          System.clearProperty("quarry.config");
        } else {
          System.setProperty("quarry.config", previous);
        }
      }
      assertThat(server.authHeaders).isNotEmpty().allMatch("Bearer key-from-file"::equals);
    }
  }

  @Test
  void connectWithOptionsUsesTheConfiguredAddress() throws Exception {
    try (var server = new FakeQuarryServer(true)) {
      Path config = tmp.resolve("config");
      Files.writeString(config, "api_key=k2\ngrpc_address=localhost\\:" + server.port() + "\n");
      try (var fexec =
          FunctionExecutor.connect(ClientOptions.builder().configFile(config).build())) {
        assertThat(fexec.callAsync((Integer x) -> x + 1, 1).get()).isEqualTo(2);
      }
      assertThat(server.authHeaders).allMatch("Bearer k2"::equals);
    }
  }

  @Test
  void aClosedPortIsUnavailable() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (var fexec =
        FunctionExecutor.connect(
            "localhost:" + port, ClientOptions.builder().apiKey("k").build())) {
      assertThatThrownBy(() -> fexec.getJob("j"))
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getMessage()).contains("localhost:" + port);
              });
    }
  }

  @Test
  void aListOfServersSkipsOneThatIsDown() throws Exception {
    int dead = closedPort();
    try (var server = new FakeQuarryServer(true);
        var fexec =
            FunctionExecutor.connect(
                "127.0.0.1:" + dead + ",127.0.0.1:" + server.port(),
                ClientOptions.builder().apiKey("k").build())) {
      assertThat(fexec.callAsync((Integer x) -> x + 1, 41).get()).isEqualTo(42);
      assertThat(server.authHeaders).isNotEmpty();
    }
  }

  @Test
  void whenTheServerInUseGoesAwayTheNextCallsGoToTheNextServer() throws Exception {
    try (var first = new FakeQuarryServer(true);
        var second = new FakeQuarryServer(true)) {
      try (var fexec =
          FunctionExecutor.connect(
              "127.0.0.1:" + first.port() + ", 127.0.0.1:" + second.port(),
              ClientOptions.builder().apiKey("k").build())) {
        assertThat(fexec.callAsync((Integer x) -> x * 2, 1).get()).isEqualTo(2);
        assertThat(first.authHeaders).isNotEmpty();
        assertThat(second.authHeaders).isEmpty();

        first.close();

        assertThat(fexec.callAsync((Integer x) -> x * 2, 2).get()).isEqualTo(4);
        assertThat(second.authHeaders).isNotEmpty();
      }
    }
  }

  @Test
  void aMalformedEntryInAListIsRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                FunctionExecutor.connect(
                    "127.0.0.1:9090,nohost", ClientOptions.builder().apiKey("k").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nohost'");
  }

  private static int closedPort() throws java.io.IOException {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
