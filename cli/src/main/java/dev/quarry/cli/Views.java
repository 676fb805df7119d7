package dev.quarry.cli;

import dev.quarry.client.JobInfo;
import dev.quarry.client.RetriedJob;
import dev.quarry.client.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** How jobs and results look in tables and in JSON. */
final class Views {
  static final List<String> JOB_HEADERS =
      List.of("JOB", "STATE", "FUNCTION", "DONE", "FAILED", "CREATED", "LABEL");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private Views() {}

  static Map<String, Object> job(JobInfo j) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", j.id());
    m.put("state", j.state().name());
    m.put("function", j.functionName());
    m.put("functionId", j.functionId());
    m.put("total", j.total());
    m.put("pending", j.pending());
    m.put("running", j.running());
    m.put("succeeded", j.succeeded());
    m.put("failed", j.failed());
    m.put("cancelled", j.cancelled());
    m.put("chunkSize", j.chunkSize());
    m.put("createdAt", j.createdAt().toString());
    m.put("finishedAt", j.finished().map(Instant::toString).orElse(null));
    m.put("label", j.label());
    m.put("message", j.message());
    return m;
  }

  /** {@code jobs retry-failed}: how many futures run again, and the job. */
  static Map<String, Object> retried(RetriedJob r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("retried", r.retried());
    m.put("job", job(r.job()));
    return m;
  }

  static List<String> jobRow(JobInfo j) {
    return List.of(
        j.id(),
        j.state().name(),
        j.functionName(),
        j.done() + "/" + j.total(),
        Integer.toString(j.failed()),
        TIME.format(j.createdAt()),
        j.label());
  }

  /** One NDJSON line of {@code jobs results}. */
  static Map<String, Object> outcome(TaskOutcome r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", r.index());
    m.put("taskId", r.taskId());
    m.put("state", r.state());
    if (r.state().equals("SUCCEEDED")) {
      m.put(
          "result",
          r.json() ? (Object) parse(r) : "<java-serialized, " + r.data().length + " bytes>");
    } else {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("type", r.errorType());
      e.put("message", r.errorMessage());
      m.put("error", e);
    }
    m.put("attempts", r.attempts());
    m.put("durationMs", r.durationMs());
    m.put("coldStart", r.coldStart());
    return m;
  }

  static String resultText(TaskOutcome r) {
    if (r.state().equals("SUCCEEDED")) {
      return r.json()
          ? Output.Json.COMPACT.writeValueAsString(parse(r))
          : "<java-serialized, " + r.data().length + " bytes>";
    }
    return r.errorType() + ": " + r.errorMessage();
  }

  private static JsonNode parse(TaskOutcome r) {
    return Output.Json.COMPACT.readTree(r.data());
  }

  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    return s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
  }
}
