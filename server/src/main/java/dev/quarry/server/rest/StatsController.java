package dev.quarry.server.rest;

import dev.quarry.server.api.Ids;
import dev.quarry.server.jobs.FutureStats;
import dev.quarry.server.stats.JobSummary;
import dev.quarry.server.stats.StatsService;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A future's statistics and a job's summary with its cost estimate. */
@RestController
public class StatsController {
  private final StatsService stats;

  public StatsController(StatsService stats) {
    this.stats = stats;
  }

  /** Queue time, start and end, worker, cold start, CPU, peak memory, bytes, attempts. */
  @GetMapping("/v1/jobs/{id}/futures/{index}/stats")
  FutureStats future(
      @PathVariable String id, @PathVariable String index, HttpServletRequest request) {
    return stats.future(Bodies.principal(request), Ids.job(id), JobController.futureIndex(index));
  }

  /** Counts, duration and queue-time percentiles, totals and the cost estimate. */
  @GetMapping("/v1/jobs/{id}/summary")
  JobSummary summary(@PathVariable String id, HttpServletRequest request) {
    return stats.summary(Bodies.principal(request), Ids.job(id));
  }
}
