package dev.quarry.server.dashboard.internal;

import dev.quarry.server.api.Ids;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobService;
import dev.quarry.server.results.ResultStreamer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A job page's live stream (Server-Sent Events: progress, and the charts' data while the job runs)
 * and the data of its two charts for the page's first and last load, shared by all pages of the job
 * ({@link ChartData}) after each caller's access is checked.
 */
@RestController
class JobLiveController {
  private final JobService jobs;
  private final LiveJobs live;
  private final ResultStreamer results;
  private final ChartData charts;

  JobLiveController(JobService jobs, LiveJobs live, ResultStreamer results, ChartData charts) {
    this.jobs = jobs;
    this.live = live;
    this.results = results;
    this.charts = charts;
  }

  @GetMapping(value = "/jobs/{id}/events", produces = "text/event-stream")
  SseEmitter events(@AuthenticationPrincipal Principal caller, @PathVariable String id) {
    return live.open(jobs.get(caller, Ids.job(id)));
  }

  /** The charts' data ({@link ChartData.Charts} as JSON). */
  @GetMapping("/jobs/{id}/charts")
  ResponseEntity<byte[]> charts(
      @AuthenticationPrincipal Principal caller, @PathVariable String id) {
    JobRecord job = results.open(caller, Ids.job(id)); // one row, no counts; checks the tenant
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(charts.json(job));
  }
}
