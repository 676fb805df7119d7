package dev.quarry.server.results;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.TaskStore;
import dev.quarry.server.storage.ProfileStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * What a future's function printed to stdout and stderr during its latest recorded attempt, as the
 * worker stored it (at most 1 MiB and a truncation line). Reads are bounded whatever the stored
 * object's size, since tenant code could overwrite its own log object.
 */
@Service
public class FutureLogs {
  /** The most a log read returns: the worker's bound plus room for its truncation line. */
  public static final int MAX_BYTES = 1024 * 1024 + 256;

  private final TaskStore jobs;
  private final ProfileStores stores;

  public FutureLogs(TaskStore jobs, ProfileStores stores) {
    this.jobs = jobs;
    this.stores = stores;
  }

  /**
   * The log of future {@code index} of {@code job}; empty when it printed nothing (or has not
   * finished an attempt yet).
   *
   * @throws ApiException NOT_FOUND ({@code JOB_NOT_FOUND}) if the job is not the caller's,
   *     NOT_FOUND if the job has no future {@code index}
   */
  public byte[] read(Principal caller, UUID job, int index) {
    caller.require(Role.VIEWER);
    JobRecord record =
        jobs.findWithoutCounts(caller.tenantId(), job)
            .orElseThrow(() -> ApiException.notFound(ErrorReason.JOB_NOT_FOUND, job.toString()));
    if (index < 0 || index >= record.total()) {
      throw new ApiException(
          ErrorReason.NOT_FOUND,
          "job '" + job + "' has no future " + index + " (it has " + record.total() + ")");
    }
    Optional<String> key = jobs.logKey(job, index);
    if (key.isEmpty()) {
      return new byte[0];
    }
    // the job's profile may keep its objects in its own bucket
    Optional<InputStream> in =
        stores.forProfile(record.tenantId(), record.profile()).store().open(key.get());
    if (in.isEmpty()) {
      return new byte[0];
    }
    try (InputStream s = in.get()) {
      return s.readNBytes(MAX_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException("reading log " + key.get(), e);
    }
  }
}
