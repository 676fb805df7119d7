package dev.quarry.lambda.emulator.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Reads and validates the bodies of CreateFunction and the two updates. */
final class FunctionRequests {

  static final int DEFAULT_MEMORY_MB = 128;
  static final int DEFAULT_TIMEOUT_SECONDS = 3;

  private static final Pattern ROLE =
      Pattern.compile("arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
  private static final Set<String> RESERVED_VARIABLES =
      Set.of(
          "_HANDLER",
          "_X_AMZN_TRACE_ID",
          "AWS_REGION",
          "AWS_DEFAULT_REGION",
          "AWS_EXECUTION_ENV",
          "AWS_LAMBDA_FUNCTION_NAME",
          "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
          "AWS_LAMBDA_FUNCTION_VERSION",
          "AWS_LAMBDA_INITIALIZATION_TYPE",
          "AWS_LAMBDA_LOG_GROUP_NAME",
          "AWS_LAMBDA_LOG_STREAM_NAME",
          "AWS_ACCESS_KEY",
          "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY",
          "AWS_SESSION_TOKEN",
          "AWS_LAMBDA_RUNTIME_API",
          "LAMBDA_TASK_ROOT",
          "LAMBDA_RUNTIME_DIR");

  private FunctionRequests() {}

  /** Where the code of a request comes from. */
  record CodeSource(byte @Nullable [] zipFile, @Nullable String s3Bucket, @Nullable String s3Key) {}

  /** A validated CreateFunction request. */
  record Create(
      String functionName,
      FunctionSettings settings,
      CodeSource code,
      List<String> architectures) {}

  static Create create(JsonNode body) {
    String name = Json.string(body, "FunctionName");
    if (name == null || name.isEmpty()) {
      throw ApiException.invalidParameter("FunctionName is required");
    }
    String packageType = Json.string(body, "PackageType");
    if (packageType != null && !packageType.equals("Zip")) {
      throw ApiException.invalidParameter("The emulator supports only PackageType Zip");
    }
    FunctionSettings s = settings(body);
    if (s.runtime() == null) {
      throw ApiException.invalidParameter("Runtime is required for .zip file archive functions.");
    }
    if (s.role() == null) {
      throw ApiException.invalidParameter("Role is required");
    }
    if (s.handler() == null) {
      throw ApiException.invalidParameter("Handler is required for .zip file archive functions.");
    }
    JsonNode code = body.get("Code");
    if (code == null || !code.isObject()) {
      throw ApiException.invalidParameter("Code is required");
    }
    List<String> architectures = List.of("x86_64");
    JsonNode arch = body.get("Architectures");
    if (arch != null && !arch.isNull()) {
      if (!arch.isArray()
          || arch.size() != 1
          || !(arch.get(0).asString("").equals("x86_64")
              || arch.get(0).asString("").equals("arm64"))) {
        throw ApiException.invalidParameter(
            "Architectures must hold exactly one of x86_64 or arm64");
      }
      architectures = List.of(arch.get(0).stringValue());
    }
    FunctionSettings withDefaults =
        new FunctionSettings(
            s.runtime(),
            s.role(),
            s.handler(),
            s.description() != null ? s.description() : "",
            s.timeoutSeconds() != null ? s.timeoutSeconds() : DEFAULT_TIMEOUT_SECONDS,
            s.memoryMb() != null ? s.memoryMb() : DEFAULT_MEMORY_MB,
            s.environment() != null ? s.environment() : Map.of());
    return new Create(name, withDefaults, codeSource(code), architectures);
  }

  /** The fields of UpdateFunctionConfiguration (and the configuration part of CreateFunction). */
  static FunctionSettings settings(JsonNode body) {
    String runtime = Json.string(body, "Runtime");
    if (runtime != null && !runtime.matches("[a-z0-9.]{1,32}")) {
      throw ApiException.invalidParameter("Value " + runtime + " at 'runtime' is not a runtime.");
    }
    String role = Json.string(body, "Role");
    if (role != null && !ROLE.matcher(role).matches()) {
      throw ApiException.invalidParameter(
          "The role defined for the function cannot be assumed by Lambda.");
    }
    String handler = Json.string(body, "Handler");
    if (handler != null
        && (handler.isBlank() || handler.length() > 128 || handler.matches(".*\\s.*"))) {
      throw ApiException.invalidParameter("Handler '" + handler + "' is not valid.");
    }
    String description = Json.string(body, "Description");
    if (description != null && description.length() > 256) {
      throw ApiException.invalidParameter("Description must be at most 256 characters.");
    }
    Integer timeout = Json.integer(body, "Timeout");
    if (timeout != null && (timeout < 1 || timeout > 900)) {
      throw ApiException.invalidParameter(
          "Timeout must be between 1 and 900 seconds, was " + timeout + ".");
    }
    Integer memory = Json.integer(body, "MemorySize");
    if (memory != null && (memory < 128 || memory > 10240)) {
      throw ApiException.invalidParameter(
          "'MemorySize' value failed to satisfy constraint: Member must have value between 128"
              + " and 10240, was "
              + memory
              + ".");
    }
    Map<String, String> variables = null;
    JsonNode env = body.get("Environment");
    if (env != null && !env.isNull()) {
      if (!env.isObject()) {
        throw ApiException.invalidParameter("Environment must be an object");
      }
      variables = Json.stringMap(env, "Variables");
      if (variables == null) {
        variables = Map.of();
      }
      List<String> reserved =
          variables.keySet().stream().filter(RESERVED_VARIABLES::contains).sorted().toList();
      if (!reserved.isEmpty()) {
        throw ApiException.invalidParameter(
            "Lambda was unable to configure your environment variables because the environment"
                + " variables you have provided contains reserved keys that are currently not"
                + " supported for modification. Reserved keys used in this request: "
                + String.join(", ", reserved));
      }
    }
    return new FunctionSettings(runtime, role, handler, description, timeout, memory, variables);
  }

  /** The code of an UpdateFunctionCode request or of CreateFunction's {@code Code}. */
  static CodeSource codeSource(JsonNode code) {
    if (code.has("ImageUri")) {
      throw ApiException.invalidParameter("The emulator supports only .zip deployment packages");
    }
    String zip = Json.string(code, "ZipFile");
    String bucket = Json.string(code, "S3Bucket");
    String key = Json.string(code, "S3Key");
    if (zip != null) {
      try {
        return new CodeSource(java.util.Base64.getMimeDecoder().decode(zip), null, null);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidParameter("ZipFile is not valid base64");
      }
    }
    if (bucket != null && key != null) {
      return new CodeSource(null, bucket, key);
    }
    throw ApiException.invalidParameter(
        "Please provide a source for function code: ZipFile, or S3Bucket and S3Key.");
  }
}
