package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.testkit.Http;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prometheus metrics on the management port: no key needed, JVM, Hikari, Resilience4j and Quarry's
 * own gauges present, and nothing of it on the REST port.
 */
class MetricsEndpointTest {
  static TestServer server;
  static Http rest;
  static Http management;
  static int managementPort;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    rest = new Http(server.restUrl(), server.apiKey);
    managementPort =
        Integer.parseInt(server.context.getEnvironment().getProperty("local.management.port"));
    management = new Http("http://127.0.0.1:" + managementPort, null);
    // one job, so the backend's retry and circuit breaker have been used at least once
    String id =
        rest.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1,2,3]}")
            .json()
            .get("id")
            .asString();
    assertThat(RestEndToEndTest.ndjson(rest.get("/v1/jobs/" + id + "/results"))).hasSize(3);
  }

  @Test
  void prometheusScrapeNeedsNoKeyAndHasJvmPoolAndResilienceMetrics() throws Exception {
    Http.Response scrape = management.get("/actuator/prometheus");
    assertThat(scrape.status()).isEqualTo(200);
    assertThat(scrape.body())
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_threads_live_threads")
        .contains("process_uptime_seconds")
        .contains("hikaricp_connections_active{")
        .contains("hikaricp_connections_max{")
        .doesNotContain("resilience4j_retry_calls_total")
        .contains("resilience4j_bulkhead_available_concurrent_calls{")
        .contains("resilience4j_circuitbreaker_state{")
        .contains("http_server_requests_seconds_count{")
        .contains("quarry_jobs_running ")
        .contains("quarry_tasks{state=\"pending\"}")
        .contains("quarry_tasks{state=\"running\"}");
  }

  @Test
  void healthProbesAnswerOnBothPorts() throws Exception {
    assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
    assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(200);
    assertThat(rest.get("/livez").status()).isEqualTo(200);
    assertThat(rest.get("/readyz").status()).isEqualTo(200);
  }

  @Test
  void healthProbeMainExitsZeroOnlyWhenReady() throws Exception {
    assertThat(probe(server.restUrl() + "/readyz")).isZero();
    assertThat(probe("http://127.0.0.1:" + managementPort + "/actuator/health/readiness")).isZero();
    assertThat(probe(server.restUrl() + "/no-such-endpoint")).isEqualTo(1);
    try (var closed = new java.net.ServerSocket(0)) {
      int port = closed.getLocalPort();
      closed.close();
      assertThat(probe("http://127.0.0.1:" + port + "/readyz")).isEqualTo(1);
    }
  }

  /** Runs HealthProbe as the container engine would: a separate JVM on the server's class path. */
  private static int probe(String url) throws Exception {
    String javaBin =
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                javaBin,
                "-cp",
                "target/classes",
                dev.quarry.server.observability.HealthProbe.class.getName(),
                url)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  @Test
  void restPortServesNoActuatorEndpoints() throws Exception {
    assertThat(rest.get("/actuator/prometheus").status()).isEqualTo(404);
    assertThat(rest.get("/actuator/health").status()).isEqualTo(404);
  }

  @Test
  void managementPortListensOnLoopbackOnlyByDefault() throws Exception {
    InetAddress external = externalAddress();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        external != null, "this machine has no non-loopback address");
    try (Socket s = new Socket()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> s.connect(new InetSocketAddress(external, managementPort), 2000))
          .isInstanceOf(java.io.IOException.class);
    }
  }

  private static InetAddress externalAddress() throws Exception {
    var interfaces = java.net.NetworkInterface.networkInterfaces().toList();
    for (var ni : interfaces) {
      if (ni.isUp() && !ni.isLoopback()) {
        for (var a : ni.inetAddresses().toList()) {
          if (a instanceof java.net.Inet4Address) {
            return a;
          }
        }
      }
    }
    return null;
  }
}
