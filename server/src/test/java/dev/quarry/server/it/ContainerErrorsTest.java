package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.testkit.RawHttp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #17, defect 4: what Tomcat or Spring refuse before a controller runs answers JSON {@code
 * {code, message, retryable}} with a 4xx, never an HTML page or Spring's default shape.
 */
class ContainerErrorsTest {
  static TestServer server;

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.get();
  }

  @Test
  void requestsRefusedByTheContainerOrFirewallAnswerJson4xx() throws Exception {
    String key = "Authorization: Bearer " + server.apiKey + "\r\n";
    Map<String, RawHttp.Answer> answers = new LinkedHashMap<>();
    for (String target :
        List.of(
            "/v1/jobs/a%2Fb",
            "/v1/jobs/a%5Cb",
            "/v1/jobs/a%00b",
            "/v1/jobs/a%ffb",
            "/v1/jobs/{}",
            "/v1/jobs/a%b",
            "/v1/jobs/a\u0001b",
            "/v1/jobs/" + "x".repeat(20_000))) {
      answers.put(
          "GET " + target.substring(0, Math.min(40, target.length())),
          RawHttp.get(server.httpPort, target, key));
    }
    answers.put(
        "100 KB Authorization",
        RawHttp.get(
            server.httpPort, "/v1/jobs", "Authorization: Bearer " + "k".repeat(100_000) + "\r\n"));
    answers.put(
        "DEL in a header", RawHttp.get(server.httpPort, "/v1/jobs", key + "X-Test: a\u007fb\r\n"));
    answers.put("TRACE", RawHttp.send(server.httpPort, "TRACE", "/v1/jobs", key, new byte[0]));
    answers.put(
        "TRACE without key", RawHttp.send(server.httpPort, "TRACE", "/v1/jobs", "", new byte[0]));
    answers.put(
        "unknown method", RawHttp.send(server.httpPort, "BREW", "/v1/jobs", key, new byte[0]));
    answers.put("PATCH", RawHttp.send(server.httpPort, "PATCH", "/v1/jobs", key, new byte[0]));
    answers.put("unknown route", RawHttp.get(server.httpPort, "/v1/nothing-here", key));
    List<String> failures = new ArrayList<>();
    answers.forEach(
        (what, a) -> {
          if (a.status() < 400 || a.status() >= 500 || !a.isJsonError()) {
            failures.add(
                what
                    + " -> "
                    + a.status()
                    + " "
                    + a.headers().replace("\r\n", " | ")
                    + " "
                    + a.body());
          }
        });
    assertThat(failures).isEmpty();
    assertThat(answers.get("TRACE").status()).isEqualTo(405);
  }

  @Test
  void healthStaysOpenWithoutAKey() throws Exception {
    RawHttp.Answer health = RawHttp.get(server.managementPort, "/actuator/health", "");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"");
  }
}
