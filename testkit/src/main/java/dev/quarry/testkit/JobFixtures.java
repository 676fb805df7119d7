package dev.quarry.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * Submit a job over REST and wait for what it should come to, with Awaitility.
 *
 * <pre>{@code
 * String job = JobFixtures.submit(admin, "{\"function\":\"echo\",\"inputs\":[1,2]}");
 * JobFixtures.awaitState(admin, job, "SUCCEEDED", Duration.ofSeconds(30));
 * List<JsonNode> lines = JobFixtures.results(admin, job);
 * }</pre>
 */
public final class JobFixtures {
  /** The states a job does not leave. */
  public static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

  private JobFixtures() {}

  /**
   * Posts {@code jobJson} to {@code /v1/jobs} and returns the new job's id.
   *
   * @throws AssertionError if the server does not answer 201
   */
  public static String submit(Http http, String jobJson) throws IOException, InterruptedException {
    Http.Response r = http.post("/v1/jobs", jobJson);
    if (r.status() != 201) {
      throw new AssertionError("submit answered " + r.status() + ": " + r.body());
    }
    return r.json().get("id").asString();
  }

  /** The job's status document ({@code GET /v1/jobs/{id}}). */
  public static JsonNode status(Http http, String jobId) throws IOException, InterruptedException {
    Http.Response r = http.get("/v1/jobs/" + jobId);
    if (r.status() != 200) {
      throw new AssertionError("job " + jobId + " answered " + r.status() + ": " + r.body());
    }
    return r.json();
  }

  /**
   * Waits until the job is in {@code state} and returns its status.
   *
   * @throws org.awaitility.core.ConditionTimeoutException if it is not within {@code timeout}
   */
  public static JsonNode awaitState(Http http, String jobId, String state, Duration timeout) {
    return awaitStatus(http, jobId, timeout, s -> s.get("state").asString().equals(state));
  }

  /** Waits until the job is terminal (succeeded, failed or cancelled) and returns its status. */
  public static JsonNode awaitTerminal(Http http, String jobId, Duration timeout) {
    return awaitStatus(http, jobId, timeout, s -> TERMINAL.contains(s.get("state").asString()));
  }

  /** Waits until the job's {@code message} contains {@code fragment} and returns that message. */
  public static String awaitMessage(Http http, String jobId, String fragment, Duration timeout) {
    return awaitStatus(http, jobId, timeout, s -> s.get("message").asString().contains(fragment))
        .get("message")
        .asString();
  }

  /**
   * The job's results ({@code GET /v1/jobs/{id}/results}, NDJSON), one node per line; waits as the
   * server does until the job is terminal.
   */
  public static List<JsonNode> results(Http http, String jobId)
      throws IOException, InterruptedException {
    return ndjson(http.get("/v1/jobs/" + jobId + "/results"));
  }

  /**
   * An NDJSON answer, one node per non-blank line.
   *
   * @throws AssertionError if the status is not 200
   */
  public static List<JsonNode> ndjson(Http.Response response) {
    if (response.status() != 200) {
      throw new AssertionError("answered " + response.status() + ": " + response.body());
    }
    return response.body().lines().filter(l -> !l.isBlank()).map(Http.JSON::readTree).toList();
  }

  private interface StatusCondition {
    boolean test(JsonNode status);
  }

  private static JsonNode awaitStatus(
      Http http, String jobId, Duration timeout, StatusCondition condition) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    await("job " + jobId)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              JsonNode s = status(http, jobId);
              last.set(s);
              return condition.test(s);
            });
    return last.get();
  }
}
