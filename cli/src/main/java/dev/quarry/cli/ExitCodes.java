package dev.quarry.cli;

import dev.quarry.client.QuarryException;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/**
 * Exit codes scripts can rely on (documented in the README and in {@code quarry --help}).
 *
 * <table>
 *   <tr><td>0</td><td>{@link #OK}</td></tr>
 *   <tr><td>1</td><td>{@link #FAILED}: the thing asked failed (a job failed, bad input)</td></tr>
 *   <tr><td>2</td><td>{@link #USAGE}: bad command line or configuration</td></tr>
 *   <tr><td>3</td><td>{@link #UNREACHABLE}: cannot connect to the server</td></tr>
 *   <tr><td>4</td><td>{@link #AUTH}: key missing, wrong (401) or not allowed (403)</td></tr>
 *   <tr><td>5</td><td>{@link #NOT_FOUND}: unknown job, function, profile (404)</td></tr>
 *   <tr><td>6</td><td>{@link #NOT_AVAILABLE}: the server does not offer this yet</td></tr>
 *   <tr><td>130</td><td>{@link #INTERRUPTED}</td></tr>
 * </table>
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = CommandLine.ExitCode.USAGE;
  public static final int UNREACHABLE = 3;
  public static final int AUTH = 4;
  public static final int NOT_FOUND = 5;
  public static final int NOT_AVAILABLE = 6;
  public static final int INTERRUPTED = 130;

  /** The list shown at the end of {@code quarry --help}. */
  static final String HELP =
      """
      Exit codes:
        0  ok
        1  the thing asked failed (job failed or cancelled, input rejected,
           a limit reached, the server answered it cannot do it now)
        2  usage: bad command line or configuration
        3  cannot connect to the server (no answer)
        4  API key missing or wrong (401), or its role may not do this (403)
        5  not found: unknown job, function, profile or key (404)
        6  not available yet on this server
      """;

  private ExitCodes() {}

  /**
   * The exit code for a failed call: from the server's reason when it gave one (it tells a server
   * that answered "unavailable" from one that could not be reached), else from the gRPC status.
   */
  static int of(QuarryException e) {
    return switch (e.reason()) {
      case UNKNOWN -> of(e.code());
      case UNAUTHENTICATED, PERMISSION_DENIED -> AUTH;
      case ROUTE_NOT_FOUND, METHOD_NOT_ALLOWED -> NOT_AVAILABLE;
      // every "no such thing" reason (job, function, profile, object, ...) travels as NOT_FOUND;
      // any other answer means the server is reachable and the thing asked failed
      default -> e.code() == Status.Code.NOT_FOUND ? NOT_FOUND : FAILED;
    };
  }

  /**
   * The exit code from the gRPC status alone: the client failed before the server gave a reason.
   */
  static int of(Status.Code code) {
    return switch (code) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> UNREACHABLE;
      case UNAUTHENTICATED, PERMISSION_DENIED -> AUTH;
      case NOT_FOUND -> NOT_FOUND;
      case UNIMPLEMENTED -> NOT_AVAILABLE;
      case CANCELLED -> INTERRUPTED;
      default -> FAILED;
    };
  }

  /** A message that says what went wrong and what to do about it. */
  static String explain(QuarryException e, Settings settings) {
    // the client appends where the key came from; the advice below says it once
    String what = e.description().replace(" (API key: " + settings.config().keySource() + ")", "");
    String byReason = explain(e, what);
    if (byReason != null) {
      return byReason;
    }
    return switch (e.code()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED ->
          "cannot connect to the Quarry server at "
              + settings.target()
              + " ("
              + settings.targetSource()
              + "): "
              + what
              + "\n  Is a server running there? Start one with `./quarry up` from the"
              + " repository, or point --server, $QUARRY_ADDRESS or grpc_address in "
              + settings.configFile()
              + " at yours.";
      case UNAUTHENTICATED ->
          "the server rejected the API key (401 Unauthenticated): "
              + what
              + "\n  The key came from "
              + settings.keySource()
              + ". Use a valid key via --key, $QUARRY_API_KEY or api_key in "
              + settings.configFile()
              + " (`quarry config show` shows which one is used).";
      case PERMISSION_DENIED ->
          "the API key may not do this (403 Forbidden): "
              + what
              + "\n  Ask a team admin for a key with the needed role.";
      case NOT_FOUND -> "not found (404): " + what;
      case UNIMPLEMENTED -> "this server does not offer that yet: " + what;
      default -> "failed (" + e.code() + "): " + what;
    };
  }

  /** The advice a reason gives beyond its status code; null when the code says enough. */
  private static @Nullable String explain(QuarryException e, String what) {
    String limit = e.metadata().getOrDefault("limit", "");
    return switch (e.reason()) {
      case UNAVAILABLE, INTERNAL ->
          "the server answered but could not do this now ("
              + e.reason()
              + "): "
              + what
              + "\n  Try again later; the server's log says more.";
      case QUOTA_EXCEEDED ->
          "a team limit is reached ("
              + limit
              + "): "
              + what
              + "\n  Wait for running jobs to end, or ask the operator (`quarry limits`).";
      case RATE_LIMITED -> "too many requests for this API key (" + limit + "): " + what;
      case JOB_CANCELLED, CONFLICT, ALREADY_EXISTS, RESOURCE_IN_USE ->
          "refused (409 " + e.reason() + "): " + what;
      case FUNCTION_NOT_FOUND ->
          "not found (404): " + what + "\n  `quarry functions list` shows the team's functions.";
      default -> null;
    };
  }
}
