package dev.quarry.client;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a job (one map) on the server.
 *
 * @param id the job id
 * @param functionId the id of the function it runs
 * @param functionName the function's name ({@code anonymous:<id>} for serialized functions)
 * @param state the job's state
 * @param total number of inputs (futures)
 * @param pending futures waiting to run
 * @param running futures running
 * @param succeeded futures that succeeded
 * @param failed futures that failed
 * @param cancelled futures that were cancelled
 * @param chunkSize inputs per invocation
 * @param createdAt when the job was submitted
 * @param finishedAt when the job ended, null while it runs
 * @param label the label given at submit (may be empty)
 * @param message why the job is waiting or failed, when known (may be empty)
 */
public record JobInfo(
    String id,
    String functionId,
    String functionName,
    State state,
    int total,
    int pending,
    int running,
    int succeeded,
    int failed,
    int cancelled,
    int chunkSize,
    Instant createdAt,
    @Nullable Instant finishedAt,
    String label,
    String message) {

  /** The state of a job. */
  public enum State {
    /** Some futures are not done yet. */
    RUNNING,
    /** Every future succeeded. */
    SUCCEEDED,
    /** Every future is done and at least one failed. */
    FAILED,
    /** The job was cancelled. */
    CANCELLED,
    /** A state this client version does not know. */
    UNKNOWN;

    /** Whether the job has ended (succeeded, failed or cancelled). */
    public boolean isTerminal() {
      return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
  }

  /** Futures that are done: succeeded + failed + cancelled. */
  public int done() {
    return succeeded + failed + cancelled;
  }

  /** When the job ended, if it has. */
  public Optional<Instant> finished() {
    return Optional.ofNullable(finishedAt);
  }
}
