package dev.quarry.backend.lambda;

import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How the worker function is deployed: everything but the code. Functions are named by worker
 * version, memory and tenant ({@link #functionName}), so two profiles of one tenant with the same
 * memory share one function, and two tenants never do: a warm instance, and whatever one tenant's
 * code left running or in memory there, never serves another tenant.
 *
 * @param memoryMb 128 to 10240
 * @param timeoutSeconds 1 to 900
 * @param architecture {@code x86_64} or {@code arm64}
 * @param role the execution role ARN (it must allow reading and writing the bucket); required to
 *     create a function
 * @param environment extra environment variables of the function
 * @param tenantTag {@link #tenantTag(String)} of the tenant the function serves, or empty for a
 *     function not bound to a tenant
 */
public record RuntimeSpec(
    int memoryMb,
    int timeoutSeconds,
    String architecture,
    @Nullable String role,
    Map<String, String> environment,
    String tenantTag) {
  public static final int DEFAULT_MEMORY_MB = 1024;
  public static final int DEFAULT_TIMEOUT_SECONDS = 300;
  public static final String DEFAULT_ARCHITECTURE = "x86_64";

  /** Prefix of every function Quarry deploys. */
  public static final String NAME_PREFIX = "quarry-worker-";

  /** The Lambda handler of the worker. */
  public static final String HANDLER = "dev.quarry.worker.lambda.LambdaHandler::handleRequest";

  /** The Lambda runtime the worker is deployed on. */
  public static final String RUNTIME = "java21";

  private static final Pattern ROLE =
      Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
  private static final Pattern ENV_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,127}");
  private static final Pattern TAG = Pattern.compile("(t[0-9a-f]{10})?");

  /**
   * @throws IllegalArgumentException naming the first invalid field
   */
  public RuntimeSpec {
    if (memoryMb < 128 || memoryMb > 10_240) {
      throw new IllegalArgumentException(
          "memory must be between 128 and 10240 MB, got " + memoryMb);
    }
    if (timeoutSeconds < 1 || timeoutSeconds > 900) {
      throw new IllegalArgumentException(
          "timeout must be between 1 and 900 seconds, got " + timeoutSeconds);
    }
    if (!architecture.equals("x86_64") && !architecture.equals("arm64")) {
      throw new IllegalArgumentException(
          "architecture must be x86_64 or arm64, got '" + architecture + "'");
    }
    if (role != null && !ROLE.matcher(role).matches()) {
      throw new IllegalArgumentException(
          "role must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
    }
    for (String name : environment.keySet()) {
      if (!ENV_NAME.matcher(name).matches() || name.startsWith("AWS_")) {
        throw new IllegalArgumentException(
            "environment variable name '" + name + "' is not allowed");
      }
    }
    environment = Map.copyOf(environment);
    if (!TAG.matcher(tenantTag).matches()) {
      throw new IllegalArgumentException("tenantTag must be empty or t + 10 hex digits");
    }
  }

  /** A function not bound to a tenant. */
  public RuntimeSpec(
      int memoryMb,
      int timeoutSeconds,
      String architecture,
      @Nullable String role,
      Map<String, String> environment) {
    this(memoryMb, timeoutSeconds, architecture, role, environment, "");
  }

  /** This spec for the function that serves only {@code tenant}. */
  public RuntimeSpec forTenant(String tenant) {
    return new RuntimeSpec(
        memoryMb, timeoutSeconds, architecture, role, environment, tenantTag(tenant));
  }

  /** {@code t} and the first 10 hex digits of the SHA-256 of {@code tenant}. */
  public static String tenantTag(String tenant) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(tenant.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "t" + java.util.HexFormat.of().formatHex(digest).substring(0, 10);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Defaults for everything but the role. */
  public static RuntimeSpec defaults(@Nullable String role) {
    return new RuntimeSpec(
        DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS, DEFAULT_ARCHITECTURE, role, Map.of());
  }

  /**
   * {@code quarry-worker-<version>-<memory>} (plus {@code -arm64} on Graviton, and {@code
   * -<tenantTag>} for a tenant's function).
   */
  public String functionName(String workerVersion) {
    return NAME_PREFIX
        + workerVersion
        + "-"
        + memoryMb
        + (architecture.equals("arm64") ? "-arm64" : "")
        + (tenantTag.isEmpty() ? "" : "-" + tenantTag);
  }
}
