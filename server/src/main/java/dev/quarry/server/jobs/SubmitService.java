package dev.quarry.server.jobs;

import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.functions.FunctionService;
import dev.quarry.storage.ObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates a job and one task per input in a single transaction (one insert, one COPY, one
 * notify), after checking every limit, so a rejected request changes nothing.
 */
@Service
public class SubmitService {
  /** Attempts per input, the first included. */
  public static final int MAX_ATTEMPTS = 20;
  public static final int MAX_LABEL = 200;
  /** Function names and ids, profile names. */
  public static final int MAX_NAME = 255;
  private final JdbcClient jdbc;
  private final DataSource dataSource;
  private final TransactionTemplate tx;
  private final FunctionService functions;
  private final ObjectStore store;
  private final QuarryProperties props;
  private final java.time.Clock clock;
  private final dev.quarry.server.credentials.ProfileService profiles;
  private final dev.quarry.server.limits.LimitsService tenantLimits;
  private final List<Runnable> submitListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  public SubmitService(
      JdbcClient jdbc,
      DataSource dataSource,
      TransactionTemplate tx,
      FunctionService functions,
      ObjectStore store,
      QuarryProperties props,
      java.time.Clock clock,
      dev.quarry.server.credentials.ProfileService profiles,
      dev.quarry.server.limits.LimitsService tenantLimits) {
    this.profiles = profiles;
    this.tenantLimits = tenantLimits;
    this.clock = clock;
    this.jdbc = jdbc;
    this.dataSource = dataSource;
    this.tx = tx;
    this.functions = functions;
    this.store = store;
    this.props = props;
  }

  /** Runs {@code listener} after every committed submit (the local dispatcher's wake-up). */
  public void onSubmit(Runnable listener) {
    submitListeners.add(listener);
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
      throw ApiException.overLimit(ErrorReason.PAYLOAD_TOO_LARGE, "maxInputsPerJob",
          "maxInputsPerJob: a job may have at most " + limits.maxInputsPerJob() + " inputs, got " + n);
    }
    int chunk = cmd.chunkSize() == 0 ? 1 : cmd.chunkSize();
    if (chunk < 1 || chunk > props.limits().maxChunkSize()) {
      throw ApiException.invalid("chunkSize must be between 1 and " + props.limits().maxChunkSize() + ", got " + chunk);
    }
    int attempts = cmd.maxAttempts() == 0 ? dispatch.defaultMaxAttempts() : cmd.maxAttempts();
    if (attempts < 1 || attempts > MAX_ATTEMPTS) {
      throw ApiException.invalid("maxAttempts must be between 1 and " + MAX_ATTEMPTS + ", got " + attempts);
    }
    Duration timeout = cmd.timeout() == null ? dispatch.defaultTimeout() : cmd.timeout();
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(dispatch.maxTimeout()) > 0) {
      throw ApiException.invalid("timeout must be between 1 ms and " + dispatch.maxTimeout());
    }
    if (cmd.label().length() > MAX_LABEL) {
      throw ApiException.invalid("label must be at most " + MAX_LABEL + " characters");
    }
    dev.quarry.server.api.Texts.requirePrintable("label", cmd.label());
    if (cmd.function().length() > MAX_NAME || cmd.profile() != null && cmd.profile().length() > MAX_NAME) {
      throw ApiException.invalid("function and profile must be at most " + MAX_NAME + " characters");
    }
    long total = 0;
    for (int i = 0; i < n; i++) {
      int size = cmd.inputs().get(i).length;
      total += size;
      if (size > limits.maxInputBytes()) {
        throw ApiException.overLimit(ErrorReason.PAYLOAD_TOO_LARGE, "maxInputBytes",
            "maxInputBytes: input " + i + " has " + size + " bytes; the limit is " + limits.maxInputBytes());
      }
    }
    if (total > limits.maxRequestBytes()) {
      throw ApiException.overLimit(ErrorReason.PAYLOAD_TOO_LARGE, "maxRequestBytes",
          "maxRequestBytes: the inputs have " + total + " bytes; the limit is " + limits.maxRequestBytes());
    }
    FunctionRef fn = functions.resolve(caller.tenantId(), cmd.function());
    String profile = null;
    if (cmd.profile() != null && !cmd.profile().isEmpty()) {
      profile = profiles.forSubmit(caller, cmd.profile()).name();
    }
    if (runningJobs(caller.tenantId()) >= limits.maxJobsInFlight()) {
      throw tooManyJobs(caller.tenantId(), limits.maxJobsInFlight());
    }
    UUID job = UUID.randomUUID();
    List<TaskCopy.Row> rows = storeInputs(caller.tenantId(), job, cmd.inputs());
    String auditTarget = job + " (" + n + " inputs, function " + fn.name() + ")";
    boolean inserted;
    try {
      inserted =
          insert(caller, job, fn, n, chunk, attempts, cmd.retryFunctionErrors(), timeout,
              cmd.label(), profile, rows, limits.maxJobsInFlight(), auditTarget);
    } catch (RuntimeException | Error e) {
      deleteStaged(rows);
      throw e;
    }
    if (!inserted) {
      // another submit took the last slot between the check above and the insert
      deleteStaged(rows);
      throw tooManyJobs(caller.tenantId(), limits.maxJobsInFlight());
    }
    submitListeners.forEach(Runnable::run);
    JobRecord created =
        new JobRecord(
            caller.tenantId(), job, JobState.RUNNING, fn, n, chunk, attempts,
            cmd.retryFunctionErrors(), timeout.toMillis(), cmd.label(), "", clock.instant(), null,
            java.util.Map.of(TaskState.PENDING, n), profile);
    return new Submitted(job, n, created);
  }

  private long runningJobs(String tenant) {
    return jdbc.sql("select count(*) from jobs where tenant_id = ? and state = 'RUNNING'")
        .param(tenant)
        .query(Long.class)
        .single();
  }

  private ApiException tooManyJobs(String tenant, int limit) {
    return ApiException.overLimit(
        ErrorReason.QUOTA_EXCEEDED, "maxJobsInFlight",
        "maxJobsInFlight: the tenant has " + runningJobs(tenant) + " jobs running; the limit is "
            + limit + ". Wait for one to finish or cancel one.");
  }

  /** Removes the inputs staged in storage for a job that was not created. */
  private void deleteStaged(List<TaskCopy.Row> rows) {
    for (TaskCopy.Row r : rows) {
      if (r.inputKey() != null) {
        try {
          store.delete(r.inputKey());
        } catch (RuntimeException e) {
          // best effort: the object is orphaned, not visible to anyone
        }
      }
    }
  }

  private List<TaskCopy.Row> storeInputs(String tenant, UUID job, List<byte[]> inputs) {
    int inline = props.limits().inlineInputBytes();
    List<TaskCopy.Row> rows = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      byte[] data = inputs.get(i);
      if (data.length <= inline) {
        rows.add(new TaskCopy.Row(i, data, null));
      } else {
        String key = StorageKeys.input(tenant, job, i);
        store.put(key, data);
        rows.add(new TaskCopy.Row(i, null, key));
      }
    }
    return rows;
  }

  private static final int SINGLE_STATEMENT_MAX = 1000;

  // Inserts the job only while the tenant has fewer running jobs than its limit (last parameter).
  private static final String INSERT_JOB =
      "insert into jobs (tenant_id, id, state, function_id, function_name, function_kind,"
          + " entry_class, payload_digest, jar_digests, bundle_digest, codec, total, chunk_size,"
          + " max_attempts, retry_function_errors, timeout_ms, label, created_by, profile_name)"
          + " select ?, ?, 'RUNNING', ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?, ?, ?, ?::uuid, ?"
          + " where (select count(*) from jobs where tenant_id = ? and state = 'RUNNING') < ?"
          + " returning seq";

  private static final String AUDIT =
      "insert into audit_events (tenant_id, key_id, actor, action, target)"
          + " select ?, ?::uuid, ?, 'job.submit', ? from j";

  /**
   * Small jobs go in with one statement (job, tasks from unnest arrays, notify); large ones with
   * an insert and a COPY in one transaction.
   */
  private boolean insert(
      Principal caller, UUID job, FunctionRef fn, int total, int chunk, int attempts,
      boolean retryErrors, Duration timeout, String label, String profile, List<TaskCopy.Row> rows,
      int maxJobsInFlight, String auditTarget) {
    Object[] jobParams = {
      caller.tenantId(), job, fn.id(), fn.name(), fn.kind(), fn.entryClass(), fn.payloadDigest(),
      fn.jarDigests().toArray(String[]::new), fn.bundleDigest(), fn.codec(), total, chunk,
      attempts, retryErrors, timeout.toMillis(), label, caller.keyId(), profile,
      caller.tenantId(), maxJobsInFlight,
      caller.tenantId(), caller.keyId(), "key:" + caller.keyId(), auditTarget
    };
    if (rows.size() <= SINGLE_STATEMENT_MAX) {
      int n = rows.size();
      Integer[] idx = new Integer[n];
      byte[][] inline = new byte[n][];
      String[] keys = new String[n];
      for (int i = 0; i < n; i++) {
        idx[i] = rows.get(i).index();
        inline[i] = rows.get(i).inline();
        keys[i] = rows.get(i).inputKey();
      }
      Object[] params = java.util.Arrays.copyOf(jobParams, jobParams.length + 6);
      params[jobParams.length] = caller.tenantId();
      params[jobParams.length + 1] = job;
      params[jobParams.length + 2] = chunk;
      params[jobParams.length + 3] = idx;
      params[jobParams.length + 4] = inline;
      params[jobParams.length + 5] = keys;
      return jdbc.sql(
              "with j as (" + INSERT_JOB + "), a as (" + AUDIT + "), t as (insert into tasks"
                  + " (tenant_id, job_id, idx, job_seq, chunk, state, input, input_key)"
                  + " select ?, ?, i.idx, j.seq, i.idx / ?, 'PENDING', i.input, i.input_key"
                  + " from j, unnest(?::int[], ?::bytea[], ?::text[]) as i(idx, input, input_key))"
                  + " select seq from j, pg_notify('quarry_work', '')")
          .params(params)
          .query(Long.class)
          .optional()
          .isPresent();
    }
    return Boolean.TRUE.equals(tx.execute(
        s -> {
          var inserted =
              jdbc.sql("with j as (" + INSERT_JOB + "), a as (" + AUDIT + ")"
                      + " select seq from j, pg_notify('quarry_work', '')")
                  .params(jobParams)
                  .query(Long.class)
                  .optional();
          if (inserted.isEmpty()) {
            return false;
          }
          long seq = inserted.get();
          try {
            TaskCopy.copy(
                DataSourceUtils.getConnection(dataSource), caller.tenantId(), job, seq, chunk, rows);
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not insert tasks", e);
          }
          return true;
        }));
  }
}
