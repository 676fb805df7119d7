package dev.quarry.server.dispatch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.RecentSubmits;
import dev.quarry.server.jobs.TaskStore;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The specs of jobs being dispatched (function, timeout, attempts, profile: none of them change
 * while a job runs), read once per job instead of once per claimed chunk. Bounded, least recently
 * used first out, and idle entries leave after a while. A job submitted on this replica is taken
 * from {@link RecentSubmits}, as committed, without reading its row back.
 */
@Component
class JobSpecs {
  private static final int MAX_JOBS = 10_000;
  private static final Duration IDLE = Duration.ofMinutes(10);

  private final TaskStore tasks;
  private final RecentSubmits recent;
  private final Cache<UUID, JobRecord> specs =
      Caffeine.newBuilder().maximumSize(MAX_JOBS).expireAfterAccess(IDLE).build();

  JobSpecs(TaskStore tasks, RecentSubmits recent) {
    this.tasks = tasks;
    this.recent = recent;
  }

  JobRecord get(UUID job) {
    return specs.get(job, this::load);
  }

  private JobRecord load(UUID id) {
    JobRecord created = recent.get(id);
    if (created != null) {
      return created;
    }
    return tasks.spec(id).orElseThrow(() -> new IllegalStateException("no job " + id));
  }
}
