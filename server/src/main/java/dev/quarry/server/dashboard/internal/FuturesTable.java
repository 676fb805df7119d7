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
 * A page of a job's futures table ({@code dashboard/futures :: table}) as HTML, read and rendered
 * once per {@link #MAX_AGE} for every page that shows it: the job pages that open on a job as it
 * starts carry its first page, and would each read and render the same rows; a page's {@code
 * futures} requests get the same HTML; and when a job ends its first page is sent to all of the
 * job's open pages over their streams ({@link LiveJobs}) instead of each page asking for it. The
 * table holds nothing of the caller (no form, no token: its links are plain paths), only the job's.
 * Callers check the caller's access to the job first; the job's tenant is part of every key.
 */
@Component
class FuturesTable {
  static final int PER_PAGE = 50;

  /** How long one read of a page of a job's futures serves every page that shows it. */
  static final Duration MAX_AGE = Duration.ofSeconds(1);

  /** At most this many pages of futures are kept for sharing (about 20 KB each). */
  static final int KEPT = 256;

  private final TaskStore store;
  private final ITemplateEngine templates;
  private final SharedReads<Key, String> pages = new SharedReads<>(MAX_AGE, KEPT, System::nanoTime);

  FuturesTable(TaskStore store, ITemplateEngine templates) {
    this.store = store;
    this.templates = templates;
  }

  /**
   * The page of {@code job}'s futures from input index {@code from} on (only the failed ones if
   * {@code failed}) as HTML, as the job's state was when it was read. Every text in it is escaped
   * by the template; pages insert it as it is.
   */
  String html(JobRecord job, int from, boolean failed) {
    int first = Math.max(0, from);
    return pages.get(
        new Key(job.tenantId(), job.id(), first, failed, job.state()),
        () ->
            templates.process(
                "dashboard/futures",
                Set.of("table"),
                new Context(Locale.ROOT, variables(job, first, failed))));
  }

  private Map<String, Object> variables(JobRecord job, int first, boolean failed) {
    List<FinishedTask> read = store.tasks(job.tenantId(), job.id(), first, failed, PER_PAGE + 1);
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

  /** A page of a job's futures as its state was when the page was asked for. */
  private record Key(String tenant, UUID job, int from, boolean failed, JobState state) {}
}
