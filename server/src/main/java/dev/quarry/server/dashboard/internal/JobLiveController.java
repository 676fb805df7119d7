package dev.quarry.server.dashboard.internal;

import dev.quarry.server.api.Ids;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobService;
import dev.quarry.server.jobs.TaskStore.Span;
import dev.quarry.server.results.ResultStreamer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job page's live stream (Server-Sent Events) and the data of its two charts. Every open page of
 * a running job asks for the charts every 2 s: the data is read and turned into JSON once per job
 * and {@link #CHARTS_MAX_AGE} on this replica and the bytes shared by the pages (each caller's
 * access is checked first).
 */
@RestController
class JobLiveController {
  /** At most this many futures go into the charts; bigger jobs are sampled evenly by index. */
  static final int MAX_SPANS = 5000;

  /** How long one read of a job's chart data serves every page that asks for it. */
  static final Duration CHARTS_MAX_AGE = Duration.ofSeconds(1);

  /** At most this many jobs' chart data is kept for sharing (about 100 KB each). */
  static final int CHARTS_KEPT = 64;

  private final JobService jobs;
  private final LiveJobs live;
  private final ResultStreamer results;
  private final JsonMapper json;
  private final SharedReads<ChartsKey, byte[]> charts =
      new SharedReads<>(CHARTS_MAX_AGE, CHARTS_KEPT, System::nanoTime);

  JobLiveController(JobService jobs, LiveJobs live, ResultStreamer results, JsonMapper json) {
    this.jobs = jobs;
    this.live = live;
    this.results = results;
    this.json = json;
  }

  @GetMapping(value = "/jobs/{id}/events", produces = "text/event-stream")
  SseEmitter events(@AuthenticationPrincipal Principal caller, @PathVariable String id) {
    return live.open(jobs.get(caller, Ids.job(id)));
  }

  /**
   * The charts' data as columns: input index, state, start and end (ms after the job was created,
   * end -1 while running); {@code sampled} when the job has more futures than shown.
   */
  @GetMapping("/jobs/{id}/charts")
  ResponseEntity<byte[]> charts(
      @AuthenticationPrincipal Principal caller, @PathVariable String id) {
    JobRecord job = results.open(caller, Ids.job(id)); // one row, no counts
    // once ended, the data read while it ran is not reused: the last page load shows every run
    byte[] body =
        charts.get(
            new ChartsKey(job.id(), job.state().terminal()),
            () -> json.writeValueAsBytes(read(caller, job)));
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
  }

  private Charts read(Principal caller, JobRecord job) {
    List<Span> spans = jobs.spans(caller, job, MAX_SPANS);
    long t0 = job.createdAt().toEpochMilli();
    int n = spans.size();
    int[] index = new int[n];
    String[] state = new String[n];
    long[] start = new long[n];
    long[] end = new long[n];
    for (int i = 0; i < n; i++) {
      Span s = spans.get(i);
      index[i] = s.index();
      state[i] = s.state().name();
      start[i] = s.startMs() - t0;
      end[i] = s.endMs() == 0 ? -1 : s.endMs() - t0;
    }
    return new Charts(job.total(), job.total() > MAX_SPANS, index, state, start, end);
  }

  private record ChartsKey(UUID job, boolean ended) {}

  record Charts(
      int total, boolean sampled, int[] index, String[] state, long[] start, long[] end) {}
}
