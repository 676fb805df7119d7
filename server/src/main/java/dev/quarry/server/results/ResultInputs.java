package dev.quarry.server.results;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.api.Ids;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.functions.FunctionService;
import dev.quarry.server.jobs.JobRecord;
import dev.quarry.server.jobs.TaskState;
import dev.quarry.server.jobs.TaskStore;
import dev.quarry.server.jobs.TaskStore.FinishedTask;
import dev.quarry.server.limits.LimitsService;
import dev.quarry.storage.ObjectStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The inputs of a map over earlier futures' results ({@code inputFutures}): each future's stored
 * result, read here on the server, so the client downloads nothing. Every future must be the
 * caller's (another tenant's job answers JOB_NOT_FOUND, as a missing one) and must have succeeded:
 * the map is refused rather than made to wait, so a submit never blocks on other work. The earlier
 * job's codec must be the function's, since the bytes go to it as they are.
 *
 * <p>Bounded: at most {@code maxInputsPerJob} futures, and the results together at most {@code
 * maxRequestBytes} (each at most {@code maxInputBytes}), checked as they are read.
 */
@Component
public class ResultInputs {
  private static final int PAGE = 256;

  private final TaskStore tasks;
  private final ResultReader reader;
  private final FunctionService functions;
  private final LimitsService limits;

  ResultInputs(
      TaskStore tasks, ResultReader reader, FunctionService functions, LimitsService limits) {
    this.tasks = tasks;
    this.reader = reader;
    this.functions = functions;
    this.limits = limits;
  }

  /**
   * The results of {@code taskIds} ({@code job:index}), in that order.
   *
   * @throws ApiException JOB_NOT_FOUND for a malformed id or a job that is not the caller's,
   *     FUTURE_NOT_READY for a future that has not succeeded (or whose result is gone),
   *     INVALID_ARGUMENT for an index outside its job or a codec mismatch, PAYLOAD_TOO_LARGE over
   *     the tenant's limits, PERMISSION_DENIED below the member role
   */
  public List<byte[]> inputs(Principal caller, String function, List<String> taskIds) {
    caller.require(Role.MEMBER);
    var limit = limits.of(caller.tenantId());
    if (taskIds.size() > limit.maxInputsPerJob()) {
      throw ApiException.overLimit(
          ErrorReason.PAYLOAD_TOO_LARGE,
          "maxInputsPerJob",
          "maxInputsPerJob: a job may have at most "
              + limit.maxInputsPerJob()
              + " inputs, got "
              + taskIds.size()
              + " futures");
    }
    String codec = functions.resolve(caller.tenantId(), function).codec();
    Map<UUID, TreeSet<Integer>> wanted = new HashMap<>();
    List<UUID> jobOf = new ArrayList<>(taskIds.size());
    List<Integer> indexOf = new ArrayList<>(taskIds.size());
    for (String id : taskIds) {
      int colon = id.lastIndexOf(':');
      UUID job = Ids.job(colon < 0 ? id : id.substring(0, colon));
      int index = colon < 0 ? -1 : parseIndex(id.substring(colon + 1));
      jobOf.add(job);
      indexOf.add(index);
      wanted.computeIfAbsent(job, j -> new TreeSet<>()).add(index);
    }
    Map<UUID, Map<Integer, byte[]>> results = new HashMap<>();
    long[] total = {0};
    for (var entry : wanted.entrySet()) {
      JobRecord job =
          tasks
              .findWithoutCounts(caller.tenantId(), entry.getKey())
              .orElseThrow(
                  () ->
                      ApiException.notFound(ErrorReason.JOB_NOT_FOUND, entry.getKey().toString()));
      if (!job.function().codec().equals(codec)) {
        throw ApiException.invalid(
            "the futures of job "
                + job.id()
                + " hold "
                + job.function().codec()
                + " results; the function takes "
                + codec
                + " inputs");
      }
      results.put(job.id(), read(job, entry.getValue(), limit, total));
    }
    List<byte[]> out = new ArrayList<>(taskIds.size());
    for (int i = 0; i < taskIds.size(); i++) {
      out.add(results.get(jobOf.get(i)).get(indexOf.get(i)));
    }
    return out;
  }

  private static int parseIndex(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw ApiException.invalid("a future id is 'job:index'; the index must be a number");
    }
  }

  private Map<Integer, byte[]> read(
      JobRecord job,
      TreeSet<Integer> indexes,
      dev.quarry.server.limits.TenantLimits limit,
      long[] total) {
    if (indexes.first() < 0 || indexes.last() >= job.total()) {
      throw ApiException.invalid(
          "job " + job.id() + " has futures 0 to " + (job.total() - 1) + " only");
    }
    ObjectStore store = reader.storeOf(job);
    Map<Integer, byte[]> out = new HashMap<>();
    int cursor = indexes.first();
    while (out.size() < indexes.size()) {
      List<FinishedTask> page = tasks.finishedFrom(job.id(), cursor, PAGE);
      for (FinishedTask row : page) {
        if (indexes.contains(row.index())) {
          out.put(row.index(), result(job, row, store, limit, total));
        }
      }
      Integer missing = missing(indexes, out, page);
      if (missing != null) {
        throw notReady(job.id(), missing, "has not finished");
      }
      cursor = page.getLast().index() + 1;
    }
    return out;
  }

  /** The first wanted index the page shows unfinished (or all left, for an empty page). */
  private static @org.jspecify.annotations.Nullable Integer missing(
      TreeSet<Integer> indexes, Map<Integer, byte[]> found, List<FinishedTask> page) {
    int upTo = page.size() < PAGE ? Integer.MAX_VALUE : page.getLast().index();
    for (int i : indexes) {
      if (i > upTo) {
        return null;
      }
      if (!found.containsKey(i)) {
        return i;
      }
    }
    return null;
  }

  private static byte[] result(
      JobRecord job,
      FinishedTask row,
      ObjectStore store,
      dev.quarry.server.limits.TenantLimits limit,
      long[] total) {
    if (row.state() != TaskState.SUCCEEDED || row.resultKey() == null) {
      throw notReady(job.id(), row.index(), "ended " + row.state());
    }
    byte[] bytes =
        store
            .read(row.resultKey())
            .orElseThrow(() -> notReady(job.id(), row.index(), "has no stored result any more"));
    total[0] += bytes.length;
    if (bytes.length > limit.maxInputBytes() || total[0] > limit.maxRequestBytes()) {
      throw ApiException.overLimit(
          ErrorReason.PAYLOAD_TOO_LARGE,
          bytes.length > limit.maxInputBytes() ? "maxInputBytes" : "maxRequestBytes",
          "the results of the futures are larger than the tenant's maxInputBytes ("
              + limit.maxInputBytes()
              + " each) or maxRequestBytes ("
              + limit.maxRequestBytes()
              + " together)");
    }
    return bytes;
  }

  private static ApiException notReady(UUID job, int index, String why) {
    return new ApiException(
        ErrorReason.FUTURE_NOT_READY,
        "future " + job + ":" + index + " " + why + "; only succeeded futures can be inputs");
  }
}
