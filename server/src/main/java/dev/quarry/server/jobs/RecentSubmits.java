package dev.quarry.server.jobs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The jobs this replica has just created, as committed. What does not change while a job runs (its
 * function, inputs count, timeout, attempts, profile) is taken from here instead of reading the row
 * back from the database: by the dispatcher when it claims the job's first chunk, and by a result
 * stream opened right after the submit; two statements less per single call (and the row of a
 * function with a large classpath carries hundreds of jar digests). A job created by another
 * replica, or older than {@link #KEPT}, is read from the database as before. The record's state and
 * counters are those at creation: callers must not read them.
 */
@Component
public class RecentSubmits {
  static final int MAX_JOBS = 10_000;
  static final Duration KEPT = Duration.ofMinutes(1);

  private final Cache<UUID, JobRecord> jobs =
      Caffeine.newBuilder().maximumSize(MAX_JOBS).expireAfterWrite(KEPT).build();

  /** Remembers a job whose insert has committed. */
  public void created(JobRecord job) {
    jobs.put(job.id(), job);
  }

  /** The job as it was created here, if it was and is still kept. */
  public @Nullable JobRecord get(UUID id) {
    return jobs.getIfPresent(id);
  }
}
