package dev.quarry.server.dashboard.internal;

import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobState;
import dev.quarry.server.jobs.TaskStore;
import dev.quarry.server.jobs.TaskStore.FinishedTask;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * A page of a job's futures table ({@code dashboard/futures :: table}). Its rows are read once per
 * {@link #MAX_AGE} for every page that shows them (the pages that open on a job as it starts would
 * each read the same rows), and when a job ends its first page is rendered once and sent to all of
 * the job's open pages over their streams ({@link LiveJobs}) instead of each page asking for it.
 * Callers check the caller's access to the job first; the job's tenant is part of every key.
 */
@Component
class FuturesTable {
  static final int PER_PAGE = 50;

  /** How long one read of a page of a job's futures serves every page that shows it. */
  static final Duration MAX_AGE = Duration.ofSeconds(1);

  /** At most this many pages of futures are kept for sharing. */
  static final int KEPT = 256;

  private final TaskStore store;
  private final ITemplateEngine templates;
  private final SharedReads<Key, List<FinishedTask>> rows =
      new SharedReads<>(MAX_AGE, KEPT, System::nanoTime);

  FuturesTable(TaskStore store, ITemplateEngine templates) {
    this.store = store;
    this.templates = templates;
  }

  /**
   * The template's variables for the page of {@code job}'s futures from input index {@code from} on
   * (only the failed ones if {@code failed}), as the job's state was when it was read.
   */
  Map<String, Object> variables(JobRecord job, int from, boolean failed) {
    int first = Math.max(0, from);
    List<FinishedTask> read =
        rows.get(
            new Key(job.tenantId(), job.id(), first, failed, job.state()),
            () -> store.tasks(job.tenantId(), job.id(), first, failed, PER_PAGE + 1));
    boolean more = read.size() > PER_PAGE;
    List<FinishedTask> shown = more ? read.subList(0, PER_PAGE) : read;
    Map<String, Object> vars = new HashMap<>();
    vars.put("jobId", job.id().toString());
    vars.put("failed", failed);
    vars.put("from", first);
    vars.put("futures", shown.stream().map(t -> Views.FutureRow.of(job, t)).toList());
    vars.put("next", more ? shown.get(shown.size() - 1).index() + 1 : null);
    return vars;
  }

  /** The table's first page (all futures) as HTML, as a page would load it. */
  String firstPageHtml(JobRecord job) {
    return templates.process(
        "dashboard/futures", Set.of("table"), new Context(Locale.ROOT, variables(job, 0, false)));
  }

  /** A page of a job's futures as its state was when the page was asked for. */
  private record Key(String tenant, UUID job, int from, boolean failed, JobState state) {}
}
