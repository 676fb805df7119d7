package dev.quarry.server.dashboard.internal;

import dev.quarry.proto.v1.RemoteError;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.api.Ids;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobService;
import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.TaskStore.FinishedTask;
import dev.quarry.server.jobs.TaskStore.JobPage;
import dev.quarry.server.jobs.TaskStore.JobQuery;
import dev.quarry.server.results.ResultStreamer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The jobs list, a job's page, its futures table (an htmx fragment, {@link FuturesTable}), a failed
 * future's error, and the cancel and retry-failed buttons, all through {@link JobService} as the
 * API does.
 */
@Controller
class JobPages {
  static final int JOBS_PER_PAGE = 50;
  static final int MAX_FILTER_CHARS = 200;
  private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

  private final JobService jobs;
  private final ResultStreamer results;
  private final FuturesTable table;
  private final Clock clock;

  JobPages(JobService jobs, ResultStreamer results, FuturesTable table, Clock clock) {
    this.jobs = jobs;
    this.results = results;
    this.table = table;
    this.clock = clock;
  }

  @GetMapping("/jobs")
  String list(
      @AuthenticationPrincipal Principal caller,
      @RequestParam(defaultValue = "") String state,
      @RequestParam(defaultValue = "") String function,
      @RequestParam(defaultValue = "") String profile,
      @RequestParam(defaultValue = "") String label,
      @RequestParam(defaultValue = "") String within,
      @RequestParam(required = false) @Nullable Long before,
      @RequestHeader(name = "HX-Request", required = false) @Nullable String htmx,
      Model model) {
    JobQuery query =
        new JobQuery(
            state(state), filter(function), filter(profile), filter(label), within(within), before);
    JobPage page = jobs.page(caller, query, JOBS_PER_PAGE);
    model.addAttribute("caller", caller);
    model.addAttribute("jobs", page.jobs().stream().map(Views.JobRow::of).toList());
    model.addAttribute("next", page.next());
    model.addAttribute("before", before);
    model.addAttribute("states", Arrays.stream(JobState.values()).map(Enum::name).toList());
    model.addAttribute("q", new Filters(state, function, profile, label, within));
    model.addAttribute("withins", WITHIN.keySet());
    return htmx != null ? "dashboard/jobs :: rows" : "dashboard/jobs";
  }

  /** The filters as typed, to fill the form again. */
  record Filters(String state, String function, String profile, String label, String within) {}

  /** The time filter's choices: jobs created within this long before now. */
  static final SequencedMap<String, Duration> WITHIN = new LinkedHashMap<>();

  static {
    WITHIN.put("1h", Duration.ofHours(1));
    WITHIN.put("24h", Duration.ofDays(1));
    WITHIN.put("7d", Duration.ofDays(7));
  }

  private @Nullable Instant within(String within) {
    if (within.isEmpty()) {
      return null;
    }
    Duration d = WITHIN.get(within);
    if (d == null) {
      throw ApiException.invalid("within must be one of " + WITHIN.keySet());
    }
    return clock.instant().minus(d);
  }

  @GetMapping("/jobs/{id}")
  String job(@AuthenticationPrincipal Principal caller, @PathVariable String id, Model model) {
    JobRecord job = jobs.get(caller, Ids.job(id));
    model.addAttribute("caller", caller);
    model.addAttribute("job", Views.JobRow.of(job));
    model.addAttribute("p", Progress.of(job, clock.instant()));
    model.addAttribute("mayChange", caller.role().allows(Role.MEMBER));
    model.addAttribute("futures", table.html(job, 0, false)); // the first page is in the page
    return "dashboard/job";
  }

  @GetMapping("/jobs/{id}/futures")
  ResponseEntity<String> futures(
      @AuthenticationPrincipal Principal caller,
      @PathVariable String id,
      @RequestParam(defaultValue = "0") int from,
      @RequestParam(defaultValue = "false") boolean failed) {
    JobRecord job = results.open(caller, Ids.job(id)); // one row, no counts; checks the tenant
    return ResponseEntity.ok().contentType(HTML).body(table.html(job, from, failed));
  }

  @GetMapping("/jobs/{id}/futures/{index}/error")
  String error(
      @AuthenticationPrincipal Principal caller,
      @PathVariable String id,
      @PathVariable int index,
      Model model) {
    UUID jobId = Ids.job(id);
    JobRecord job = results.open(caller, jobId);
    FinishedTask task =
        jobs.futures(caller, jobId, index, false, 1).stream()
            .filter(t -> t.index() == index && t.errorType() != null)
            .findFirst()
            .orElseThrow(() -> ApiException.notFound(ErrorReason.JOB_NOT_FOUND, id));
    RemoteError e = results.error(job, task);
    model.addAttribute("index", index);
    model.addAttribute("type", e.getType());
    model.addAttribute("message", e.getMessage());
    model.addAttribute("stackTrace", e.getStackTraceText());
    return "dashboard/futures :: error";
  }

  @PostMapping("/jobs/{id}/cancel")
  String cancel(@AuthenticationPrincipal Principal caller, @PathVariable String id) {
    jobs.cancel(caller, Ids.job(id));
    return "redirect:/jobs/" + id;
  }

  @PostMapping("/jobs/{id}/retry-failed")
  String retryFailed(@AuthenticationPrincipal Principal caller, @PathVariable String id) {
    jobs.retryFailed(caller, Ids.job(id));
    return "redirect:/jobs/" + id;
  }

  private static @Nullable JobState state(String state) {
    if (state.isEmpty()) {
      return null;
    }
    try {
      return JobState.valueOf(state);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("state must be one of " + Arrays.toString(JobState.values()));
    }
  }

  private static @Nullable String filter(String value) {
    if (value.length() > MAX_FILTER_CHARS) {
      throw ApiException.invalid("a filter is at most " + MAX_FILTER_CHARS + " characters");
    }
    return value.isBlank() ? null : value.strip();
  }
}
