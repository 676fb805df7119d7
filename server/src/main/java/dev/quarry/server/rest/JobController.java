package dev.quarry.server.rest;

import dev.quarry.proto.v1.ResultOrder;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.Ids;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.data.DataPlanner;
import dev.quarry.server.data.DataSpec;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobService;
import dev.quarry.server.jobs.SubmitCommand;
import dev.quarry.server.jobs.SubmitService;
import dev.quarry.server.results.FutureLogs;
import dev.quarry.server.results.ResultInputs;
import dev.quarry.server.results.ResultStreamer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Submitting, reading, cancelling jobs and streaming their results as NDJSON.
 *
 * <p>Long because it is the REST face of every job call (submit from inputs, data or futures, list,
 * get, cancel, retry, results, logs), each a thin translation with its own input rules.
 */
@RestController
public class JobController {
  private static final Set<String> SUBMIT_FIELDS =
      Set.of(
          "function",
          "inputs",
          "data",
          "inputFutures",
          "chunkSize",
          "maxAttempts",
          "retryFunctionErrors",
          "timeoutMs",
          "label",
          "profile");

  private final SubmitService submits;
  private final JobService jobs;
  private final ResultStreamer results;
  private final FutureLogs logs;
  private final QuarryProperties props;
  private final DataPlanner data;
  private final ResultInputs resultInputs;

  public JobController(
      SubmitService submits,
      JobService jobs,
      ResultStreamer results,
      FutureLogs logs,
      QuarryProperties props,
      DataPlanner data,
      ResultInputs resultInputs) {
    this.data = data;
    this.resultInputs = resultInputs;
    this.submits = submits;
    this.jobs = jobs;
    this.results = results;
    this.logs = logs;
    this.props = props;
  }

  @PostMapping(value = "/v1/jobs", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<JobView> submit(HttpServletRequest request) throws IOException {
    Principal p = Bodies.principal(request);
    p.require(dev.quarry.server.auth.Role.MEMBER);
    JsonNode body =
        Bodies.jsonObject(Bodies.read(request, props.limits().maxRequestBytes()), "inputs");
    for (String field : body.propertyNames()) {
      if (!SUBMIT_FIELDS.contains(field)) {
        throw ApiException.invalid("unknown field '" + field + "'; allowed: " + SUBMIT_FIELDS);
      }
    }
    String function = text(body, "function", true);
    JsonNode inputs = body.get("inputs");
    List<byte[]> encoded;
    int sources =
        (inputs == null ? 0 : 1) + (body.has("data") ? 1 : 0) + (body.has("inputFutures") ? 1 : 0);
    if (sources > 1) {
      throw ApiException.invalid("a map takes one of 'inputs', 'data' or 'inputFutures'");
    }
    if (body.has("data")) {
      encoded = this.data.inputs(p, function, dataSpec(body.get("data"))).inputs();
    } else if (body.has("inputFutures")) {
      encoded = resultInputs.inputs(p, function, strings(body, "inputFutures"));
    } else {
      if (inputs == null || !inputs.isArray()) {
        throw ApiException.invalid("'inputs' must be a JSON array");
      }
      encoded = new ArrayList<>(inputs.size());
      for (JsonNode input : inputs) {
        encoded.add(Bodies.JSON.writeValueAsBytes(input));
      }
    }
    // Absent means the server default; a value given must be in range (0 is not "default").
    long timeoutMs = integer(body, "timeoutMs", 1, props.dispatch().maxTimeout().toMillis());
    var submitted =
        submits.submit(
            p,
            new SubmitCommand(
                function,
                encoded,
                (int) integer(body, "chunkSize", 1, props.limits().maxChunkSize()),
                (int) integer(body, "maxAttempts", 1, SubmitService.MAX_ATTEMPTS),
                bool(body, "retryFunctionErrors"),
                timeoutMs == 0 ? null : Duration.ofMillis(timeoutMs),
                body.has("label") ? text(body, "label", false) : "",
                body.has("profile") ? text(body, "profile", false) : null));
    return ResponseEntity.status(201).body(JobView.of(submitted.job()));
  }

  private static final Set<String> DATA_FIELDS =
      Set.of("bucket", "prefix", "keys", "urls", "objChunkSize", "objChunkNumber");

  /** Most entries of {@code inputFutures} or {@code data.urls} the parser reads. */
  private static final int MAX_STRINGS = 100_000;

  /** A non-empty array of strings, at most {@value #MAX_STRINGS}. */
  private static List<String> strings(JsonNode parent, String field) {
    JsonNode a = parent.get(field);
    if (a == null || !a.isArray() || a.isEmpty() || a.size() > MAX_STRINGS) {
      throw ApiException.invalid(
          "'" + field + "' must be an array of 1 to " + MAX_STRINGS + " strings");
    }
    List<String> out = new ArrayList<>(a.size());
    for (JsonNode s : a) {
      if (!s.isString()) {
        throw ApiException.invalid("'" + field + "' must hold strings");
      }
      out.add(s.asString());
    }
    return out;
  }

  /**
   * {@code {"bucket", "prefix" | "keys": [...], "objChunkSize" | "objChunkNumber"}}, or {@code
   * {"urls": [...], ...}}.
   */
  private static DataSpec dataSpec(JsonNode d) {
    if (!d.isObject()) {
      throw ApiException.invalid("'data' must be a JSON object");
    }
    for (String field : d.propertyNames()) {
      if (!DATA_FIELDS.contains(field)) {
        throw ApiException.invalid("unknown field 'data." + field + "'; allowed: " + DATA_FIELDS);
      }
    }
    List<String> keys = new ArrayList<>();
    JsonNode k = d.get("keys");
    if (k != null) {
      if (!k.isArray() || k.isEmpty() || k.size() > DataPlanner.MAX_KEYS) {
        throw ApiException.invalid(
            "'data.keys' must be an array of 1 to " + DataPlanner.MAX_KEYS + " strings");
      }
      for (JsonNode key : k) {
        if (!key.isString()) {
          throw ApiException.invalid("'data.keys' must hold strings");
        }
        keys.add(key.asString());
      }
    }
    List<String> urls = d.has("urls") ? strings(d, "urls") : List.of();
    return new DataSpec(
        urls.isEmpty() ? text(d, "bucket", true) : d.has("bucket") ? text(d, "bucket", false) : "",
        d.has("prefix") ? text(d, "prefix", false) : "",
        keys,
        urls,
        integer(d, "objChunkSize", DataPlanner.MIN_CHUNK_SIZE, Long.MAX_VALUE),
        (int) integer(d, "objChunkNumber", 1, DataPlanner.MAX_CHUNK_NUMBER));
  }

  @GetMapping("/v1/jobs")
  Map<String, List<JobView>> list(
      @RequestParam(defaultValue = "50") int limit, HttpServletRequest request) {
    return Map.of(
        "jobs", jobs.list(Bodies.principal(request), limit).stream().map(JobView::of).toList());
  }

  @GetMapping("/v1/jobs/{id}")
  JobView get(@PathVariable String id, HttpServletRequest request) {
    return JobView.of(jobs.get(Bodies.principal(request), Ids.job(id)));
  }

  @PostMapping("/v1/jobs/{id}/cancel")
  JobView cancel(@PathVariable String id, HttpServletRequest request) {
    return JobView.of(jobs.cancel(Bodies.principal(request), Ids.job(id)));
  }

  /** Runs the job's failed futures again; {@code retried} says how many. */
  @PostMapping("/v1/jobs/{id}/retry-failed")
  RetryFailedView retryFailed(@PathVariable String id, HttpServletRequest request) {
    JobService.Retried r = jobs.retryFailed(Bodies.principal(request), Ids.job(id));
    return new RetryFailedView(r.retried(), JobView.of(r.job()));
  }

  /** The body of {@code retry-failed}: how many futures run again, and the job after. */
  record RetryFailedView(int retried, JobView job) {}

  /** NDJSON, one finished future per line, until the job ends. */
  @GetMapping("/v1/jobs/{id}/results")
  void results(
      @PathVariable String id,
      @RequestParam(defaultValue = "completion") String order,
      HttpServletRequest request,
      HttpServletResponse response)
      throws IOException, InterruptedException {
    ResultOrder resultOrder =
        switch (order) {
          case "completion" -> ResultOrder.RESULT_ORDER_COMPLETION;
          case "input" -> ResultOrder.RESULT_ORDER_INPUT;
          default -> throw ApiException.invalid("order must be 'completion' or 'input'");
        };
    JobRecord job = results.openForStream(Bodies.principal(request), Ids.job(id));
    response.setContentType("application/x-ndjson");
    response.setCharacterEncoding("UTF-8");
    NdjsonSink sink = new NdjsonSink(response.getOutputStream(), job.function().codec());
    results.stream(job, resultOrder, 0, sink);
    sink.flush();
  }

  /** What the future's function printed (stdout and stderr) in its latest attempt, as text. */
  @GetMapping("/v1/jobs/{id}/futures/{index}/logs")
  ResponseEntity<byte[]> logs(
      @PathVariable String id, @PathVariable String index, HttpServletRequest request) {
    byte[] log = logs.read(Bodies.principal(request), Ids.job(id), futureIndex(index));
    return ResponseEntity.ok()
        .contentType(new MediaType(MediaType.TEXT_PLAIN, java.nio.charset.StandardCharsets.UTF_8))
        .body(log);
  }

  static int futureIndex(String index) {
    if (index.isEmpty() || index.length() > 10 || !index.chars().allMatch(Character::isDigit)) {
      throw ApiException.invalid("a future index is a whole number from 0");
    }
    long value = Long.parseLong(index);
    if (value > Integer.MAX_VALUE) {
      throw ApiException.invalid("a future index is a whole number from 0");
    }
    return (int) value;
  }

  private static String text(JsonNode body, String field, boolean required) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw ApiException.invalid("'" + field + "' is required");
      }
      return "";
    }
    if (!v.isString()) {
      throw ApiException.invalid("'" + field + "' must be a string");
    }
    return v.asString();
  }

  private static long integer(JsonNode body, String field, long min, long max) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      throw ApiException.invalid(
          "'" + field + "' must be a whole number between " + min + " and " + max);
    }
    return v.asLong();
  }

  private static boolean bool(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw ApiException.invalid("'" + field + "' must be true or false");
    }
    return v.asBoolean();
  }
}
