package dev.quarry.backend.kubernetes;

/**
 * Something wrong with one worker pod, in plain words for the job's message.
 *
 * @param pod the pod's name
 * @param kind what went wrong
 * @param message e.g. {@code pod quarry-w-1a2b-1-x7k2q was killed: out of memory (limit 512Mi)}
 */
public record PodProblem(String pod, Kind kind, String message) {

  /** Kinds of problems; {@link #costsAttempt()} says whether a task in the pod was lost. */
  public enum Kind {
    /** The image cannot be pulled or the container cannot be created. */
    CANNOT_START,
    /** The pod waited for a node longer than the pool's pending timeout. */
    PENDING_TOO_LONG,
    /** The container exceeded its memory limit. */
    OUT_OF_MEMORY,
    /** The node evicted the pod. */
    EVICTED,
    /** The worker exited with an error or the pod was deleted while it ran. */
    FAILED;

    /** Whether invocations the pod held are lost (they are retried as any lost worker's are). */
    public boolean costsAttempt() {
      return this == OUT_OF_MEMORY || this == EVICTED || this == FAILED;
    }
  }
}
