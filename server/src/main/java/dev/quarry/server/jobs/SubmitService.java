package dev.quarry.server.jobs;

import dev.quarry.backend.BackendException;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.backend.BackendRegistry;
import dev.quarry.server.functions.FunctionService;
import dev.quarry.server.jobs.TaskStore.NewJob;
import dev.quarry.server.jobs.TaskStore.TaskRow;
import dev.quarry.server.observability.RequestIds;
import dev.quarry.server.storage.ProfileStores;
import dev.quarry.storage.ObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Creates a job and one task per input in a single transaction (one insert, one COPY, one notify),
 * after checking every limit, so a rejected request changes nothing.
 *
 * <p>Long because every limit of a submit (sizes, attempts, timeout, label, quotas) is checked
 * here, in the order the README documents, before anything is written.
 */
@Service
public class SubmitService {
  /** Attempts per input, the first included. */
  public static final int MAX_ATTEMPTS = 20;

  public static final int MAX_LABEL = 200;

  /** Function names and ids, profile names. */
  public static final int MAX_NAME = 255;

  private final TaskStore tasks;
  private final BackendRegistry backends;
  private final WorkSignal work;
  private final FunctionService functions;
  private final ProfileStores stores;
  private final QuarryProperties props;
  private final java.time.Clock clock;
  private final dev.quarry.server.credentials.ProfileService profiles;
  private final dev.quarry.server.limits.LimitsService tenantLimits;
  private final RecentSubmits recent;

  public SubmitService(
      TaskStore tasks,
      BackendRegistry backends,
      WorkSignal work,
      FunctionService functions,
      ProfileStores stores,
      QuarryProperties props,
      java.time.Clock clock,
      dev.quarry.server.credentials.ProfileService profiles,
      dev.quarry.server.limits.LimitsService tenantLimits,
      RecentSubmits recent) {
    this.recent = recent;
    this.profiles = profiles;
    this.tenantLimits = tenantLimits;
    this.clock = clock;
    this.tasks = tasks;
    this.backends = backends;
    this.work = work;
    this.functions = functions;
    this.stores = stores;
    this.props = props;
  }

  /** The created job, as it stands right after the commit. */
  public record Submitted(UUID jobId, int total, JobRecord job) {}

  /**
   * @throws ApiException INVALID_ARGUMENT, NOT_FOUND (function), PAYLOAD_TOO_LARGE
   */
  public Submitted submit(Principal caller, SubmitCommand cmd) {
    caller.require(Role.MEMBER);
    var limits = tenantLimits.of(caller.tenantId());
    var dispatch = props.dispatch();
    int n = cmd.inputs().size();
    if (n == 0) {
      throw ApiException.invalid("inputs must not be empty");
    }
    if (n > limits.maxInputsPerJob()) {
      throw ApiException.overLimit(
          ErrorReason.PAYLOAD_TOO_LARGE,
          "maxInputsPerJob",
          "maxInputsPerJob: a job may have at most "
              + limits.maxInputsPerJob()
              + " inputs, got "
              + n);
    }
    int chunk = cmd.chunkSize() == 0 ? 1 : cmd.chunkSize();
    if (chunk < 1 || chunk > props.limits().maxChunkSize()) {
      throw ApiException.invalid(
          "chunkSize must be between 1 and " + props.limits().maxChunkSize() + ", got " + chunk);
    }
    int attempts = cmd.maxAttempts() == 0 ? dispatch.defaultMaxAttempts() : cmd.maxAttempts();
    if (attempts < 1 || attempts > MAX_ATTEMPTS) {
      throw ApiException.invalid(
          "maxAttempts must be between 1 and " + MAX_ATTEMPTS + ", got " + attempts);
    }
    Duration timeout = cmd.timeout() == null ? dispatch.defaultTimeout() : cmd.timeout();
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(dispatch.maxTimeout()) > 0) {
      throw ApiException.invalid("timeout must be between 1 ms and " + dispatch.maxTimeout());
    }
    if (cmd.label().length() > MAX_LABEL) {
      throw ApiException.invalid("label must be at most " + MAX_LABEL + " characters");
    }
    dev.quarry.server.api.Texts.requirePrintable("label", cmd.label());
    if (cmd.function().length() > MAX_NAME
        || cmd.profile() != null && cmd.profile().length() > MAX_NAME) {
      throw ApiException.invalid(
          "function and profile must be at most " + MAX_NAME + " characters");
    }
    long total = 0;
    for (int i = 0; i < n; i++) {
      int size = cmd.inputs().get(i).length;
      total += size;
      if (size > limits.maxInputBytes()) {
        throw ApiException.overLimit(
            ErrorReason.PAYLOAD_TOO_LARGE,
            "maxInputBytes",
            "maxInputBytes: input "
                + i
                + " has "
                + size
                + " bytes; the limit is "
                + limits.maxInputBytes());
      }
    }
    if (total > limits.maxRequestBytes()) {
      throw ApiException.overLimit(
          ErrorReason.PAYLOAD_TOO_LARGE,
          "maxRequestBytes",
          "maxRequestBytes: the inputs have "
              + total
              + " bytes; the limit is "
              + limits.maxRequestBytes());
    }
    FunctionRef fn = functions.resolve(caller.tenantId(), cmd.function());
    String profile = null;
    boolean ownBucket = false;
    if (cmd.profile() != null && !cmd.profile().isEmpty()) {
      var chosen = profiles.forSubmit(caller, cmd.profile());
      profile = chosen.name();
      ownBucket = chosen.settings().containsKey(ProfileStores.BUCKET);
    }
    int inline = inlineLimit(caller.tenantId(), profile);
    // The insert checks maxJobsInFlight itself, atomically; checked here first only when objects
    // are written before the insert (the bundle to the profile's bucket, large inputs), so that a
    // rejected submit writes nothing anywhere.
    boolean writesFirst = ownBucket || cmd.inputs().stream().anyMatch(in -> in.length > inline);
    if (writesFirst && tasks.runningJobs(caller.tenantId()) >= limits.maxJobsInFlight()) {
      throw tooManyJobs(caller.tenantId(), limits.maxJobsInFlight());
    }
    // a profile naming its own bucket gets the job's objects there, the function's bundle included
    ProfileStores.Located at = stores.forProfile(caller.tenantId(), profile);
    stores.stage(at, bundleKeys(caller.tenantId(), fn));
    ObjectStore store = at.store();
    UUID job = UUID.randomUUID();
    List<TaskRow> rows = stageInputs(store, caller.tenantId(), job, cmd.inputs(), inline);
    String auditTarget = job + " (" + n + " inputs, function " + fn.name() + ")";
    JobRecord created =
        new JobRecord(
            caller.tenantId(),
            job,
            JobState.RUNNING,
            fn,
            n,
            chunk,
            attempts,
            cmd.retryFunctionErrors(),
            timeout.toMillis(),
            cmd.label(),
            "",
            clock.instant(),
            null,
            java.util.Map.of(TaskState.PENDING, n),
            profile,
            RequestIds.current());
    NewJob newJob = new NewJob(created, caller.keyId(), auditTarget);
    boolean inserted;
    try {
      inserted = tasks.insert(newJob, rows, limits.maxJobsInFlight());
    } catch (RuntimeException | Error e) {
      deleteStaged(store, rows);
      throw e;
    }
    if (!inserted) {
      // another submit took the last slot between the check above and the insert
      deleteStaged(store, rows);
      throw tooManyJobs(caller.tenantId(), limits.maxJobsInFlight());
    }
    recent.created(created);
    work.wakeUp();
    return new Submitted(job, n, created);
  }

  private ApiException tooManyJobs(String tenant, int limit) {
    return ApiException.overLimit(
        ErrorReason.QUOTA_EXCEEDED,
        "maxJobsInFlight",
        "maxJobsInFlight: the tenant has "
            + tasks.runningJobs(tenant)
            + " jobs running; the limit is "
            + limit
            + ". Wait for one to finish or cancel one.");
  }

  /** Removes the inputs staged in storage for a job that was not created. */
  private static List<String> bundleKeys(String tenant, FunctionRef fn) {
    List<String> keys = new ArrayList<>();
    if (fn.payloadDigest() != null) {
      keys.add(StorageKeys.blob(tenant, fn.payloadDigest()));
    }
    fn.jarDigests().forEach(d -> keys.add(StorageKeys.blob(tenant, d)));
    return keys;
  }

  private static void deleteStaged(ObjectStore store, List<TaskRow> rows) {
    for (TaskRow r : rows) {
      if (r.inputKey() != null) {
        try {
          store.delete(r.inputKey());
        } catch (RuntimeException e) {
          // best effort: the object is orphaned, not visible to anyone
        }
      }
    }
  }

  /**
   * Where inputs travel is decided here, once: inputs larger than the server's inline limit, or
   * than the limit of the lane the job will run on (a platform keeps its payloads small), are
   * written to storage now and travel as keys on every attempt.
   */
  private int inlineLimit(String tenant, @Nullable String profile) {
    int server = props.limits().inlineInputBytes();
    try {
      return Math.min(server, backends.lane(tenant, profile).inlineInputBytes());
    } catch (BackendException e) {
      // the profile cannot be used now: the job will fail at dispatch and say why
      return server;
    }
  }

  private static List<TaskRow> stageInputs(
      ObjectStore store, String tenant, UUID job, List<byte[]> inputs, int inline) {
    List<TaskRow> rows = new ArrayList<>(inputs.size());
    try {
      for (int i = 0; i < inputs.size(); i++) {
        byte[] data = inputs.get(i);
        if (data.length <= inline) {
          rows.add(new TaskRow(i, data, null));
        } else {
          String key = StorageKeys.input(tenant, job, i);
          rows.add(new TaskRow(i, null, key));
          store.put(key, data);
        }
      }
    } catch (RuntimeException | Error e) {
      deleteStaged(store, rows);
      throw e;
    }
    return rows;
  }
}
