package dev.quarry.client;

import io.grpc.Status;
import java.io.Serial;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Quarry API call failed: bad input, unknown job, missing or wrong API key, server unreachable,
 * and so on. Carries the gRPC status code, the server's description and, for programs, the server's
 * {@link #reason()} with its {@link #metadata()}. Branch on the reason, never on the text:
 *
 * <pre>{@code
 * catch (QuarryException e) {
 *   if (e.reason() == ErrorReason.QUOTA_EXCEEDED) { ... e.metadata().get("limit") ... }
 * }
 * }</pre>
 *
 * <p>Failures of the user's function are reported as {@link RemoteFunctionException} instead.
 */
public final class QuarryException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final String description;
  private final boolean retryable;
  private final ErrorReason reason;
  private final Map<String, String> metadata;
  private final @Nullable Duration retryDelay;

  /**
   * @param code the gRPC status code
   * @param description what went wrong
   * @param retryable whether trying the same call again later may succeed
   * @param reason why, as the server said ({@link ErrorReason#UNKNOWN} if it did not)
   * @param metadata the server's details for programs, such as {@code limit}
   * @param retryDelay how long the server asked the client to wait before trying again
   * @param cause the underlying exception, if any
   */
  public QuarryException(
      Status.Code code,
      String description,
      boolean retryable,
      ErrorReason reason,
      Map<String, String> metadata,
      @Nullable Duration retryDelay,
      @Nullable Throwable cause) {
    super(code + ": " + description, cause);
    this.code = code;
    this.description = description;
    this.retryable = retryable;
    this.reason = reason;
    this.metadata = Map.copyOf(metadata);
    this.retryDelay = retryDelay;
  }

  /**
   * @param code the gRPC status code
   * @param description what went wrong
   * @param retryable whether trying the same call again later may succeed
   * @param cause the underlying exception, if any
   */
  public QuarryException(
      Status.Code code, String description, boolean retryable, @Nullable Throwable cause) {
    this(code, description, retryable, ErrorReason.UNKNOWN, Map.of(), null, cause);
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
   * Why the server refused the call, such as {@link ErrorReason#FUNCTION_NOT_FOUND}; {@link
   * ErrorReason#UNKNOWN} when it gave no reason this client knows (see {@link #code()}).
   */
  public ErrorReason reason() {
    return reason;
  }

  /** The server's details for programs, such as {@code limit=maxJobsInFlight}; often empty. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** How long the server asked the client to wait before trying again (on a rate limit). */
  public Optional<Duration> retryDelay() {
    return Optional.ofNullable(retryDelay);
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
