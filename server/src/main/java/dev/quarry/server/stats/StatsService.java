package dev.quarry.server.stats;

import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.backend.BackendPlugin;
import dev.quarry.server.backend.BackendPlugins;
import dev.quarry.server.backend.Pricing;
import dev.quarry.server.credentials.ProfileService;
import dev.quarry.server.jobs.FutureStats;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.JobTotals;
import dev.quarry.server.jobs.TaskStore;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Per-future statistics and job summaries, for REST, gRPC and (through them) the Java client. Every
 * call checks the job is the caller's first: another tenant's job is the same 404 as a missing one.
 */
@Service
public class StatsService {
  private final TaskStore tasks;
  private final ProfileService profiles;
  private final BackendPlugins plugins;
  private final QuarryProperties.Backend defaultBackend;

  public StatsService(
      TaskStore tasks, ProfileService profiles, BackendPlugins plugins, QuarryProperties props) {
    this.tasks = tasks;
    this.profiles = profiles;
    this.plugins = plugins;
    this.defaultBackend = props.backend();
  }

  /**
   * @throws ApiException NOT_FOUND ({@code JOB_NOT_FOUND}) if the job is not the caller's;
   *     NOT_FOUND if it has no future {@code index}
   */
  public FutureStats future(Principal caller, UUID job, int index) {
    JobRecord record = job(caller, job);
    return tasks
        .futureStats(caller.tenantId(), job, index)
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorReason.NOT_FOUND,
                    "job '"
                        + job
                        + "' has no future "
                        + index
                        + " (it has "
                        + record.total()
                        + ")"));
  }

  /**
   * @throws ApiException NOT_FOUND ({@code JOB_NOT_FOUND}) if the job is not the caller's
   */
  public JobSummary summary(Principal caller, UUID job) {
    JobRecord record = job(caller, job);
    JobTotals totals = tasks.totals(caller.tenantId(), job);
    String profile = record.profile() == null ? "" : record.profile();
    Map<String, String> settings;
    String kind;
    if (profile.isEmpty()) {
      kind = defaultBackend.type();
      settings = defaultBackend.settings();
    } else {
      Optional<ProfileService.Profile> p = profiles.lookup(caller.tenantId(), profile);
      if (p.isEmpty()) {
        return new JobSummary(
            job,
            record.state(),
            "",
            totals,
            Cost.none("profile '" + profile + "' no longer exists"));
      }
      kind = p.get().backend();
      settings = p.get().settings();
    }
    return new JobSummary(job, record.state(), kind, totals, cost(kind, settings, totals));
  }

  private Cost cost(String kind, Map<String, String> settings, JobTotals totals) {
    Optional<BackendPlugin> plugin = plugins.find(kind);
    Optional<Pricing> pricing;
    try {
      pricing = plugin.flatMap(p -> p.pricing(settings));
    } catch (ApiException e) {
      // a setting stored before its rule existed: no estimate rather than a failed summary
      return Cost.none("the profile's pricing settings are invalid: " + e.getMessage());
    }
    return pricing
        .map(p -> Cost.estimate(p, totals.gbSeconds(), totals.billedInvocations()))
        .orElseGet(() -> Cost.none("backend '" + kind + "' has no cost model"));
  }

  private JobRecord job(Principal caller, UUID job) {
    caller.require(Role.VIEWER);
    return tasks
        .findWithoutCounts(caller.tenantId(), job)
        .orElseThrow(() -> ApiException.notFound(ErrorReason.JOB_NOT_FOUND, job.toString()));
  }
}
