package dev.quarry.client;

import io.grpc.Status;
import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * A Quarry API call failed: bad input, unknown job, missing or wrong API key, server unreachable,
 * and so on. Carries the gRPC status code and the server's description.
 *
 * <p>Failures of the user's function are reported as {@link RemoteFunctionException} instead.
 */
public final class QuarryException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final String description;
  private final boolean retryable;

  /**
   * @param code the gRPC status code
   * @param description what went wrong
   * @param retryable whether trying the same call again later may succeed
   * @param cause the underlying exception, if any
   */
  public QuarryException(
      Status.Code code, String description, boolean retryable, @Nullable Throwable cause) {
    super(code + ": " + description, cause);
    this.code = code;
    this.description = description;
    this.retryable = retryable;
  }

  /**
   * Creates an exception whose {@link #retryable()} follows {@link #isRetryable(Status.Code)}.
   *
   * @param code the gRPC status code
   * @param description what went wrong
   */
  public QuarryException(Status.Code code, String description) {
    this(code, description, isRetryable(code), null);
  }

  /** The gRPC status code, such as {@code NOT_FOUND} or {@code UNAUTHENTICATED}. */
  public Status.Code code() {
    return code;
  }

  /** The description without the code prefix that {@link #getMessage()} has. */
  public String description() {
    return description;
  }

  /** Whether the same call may succeed if tried again later (server unavailable, overloaded). */
  public boolean retryable() {
    return retryable;
  }

  /**
   * The default retryability of a status code: {@code UNAVAILABLE}, {@code ABORTED}, {@code
   * DEADLINE_EXCEEDED} and {@code INTERNAL} are retryable; the rest are not.
   */
  public static boolean isRetryable(Status.Code code) {
    return switch (code) {
      case UNAVAILABLE, ABORTED, DEADLINE_EXCEEDED, INTERNAL -> true;
      default -> false;
    };
  }
}
