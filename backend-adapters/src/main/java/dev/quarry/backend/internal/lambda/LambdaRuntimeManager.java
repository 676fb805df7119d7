package dev.quarry.backend.internal.lambda;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.RuntimeNotFoundException;
import dev.quarry.backend.WorkerRuntime;
import dev.quarry.backend.lambda.LambdaRuntimes;
import dev.quarry.backend.lambda.RuntimeSpec;
import dev.quarry.backend.lambda.WorkerPackage;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.Environment;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.ListFunctionsRequest;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Creates, updates, lists and deletes the worker functions. Each change is followed by the SDK
 * waiter for the state it leads to ({@code functionActiveV2} after create, {@code
 * functionUpdatedV2} after an update), so a returned runtime is ready to invoke.
 *
 * <p>Long because it covers the whole life of a deployment (create, update code and configuration,
 * wait for each state transition, delete, list) through the Lambda API.
 */
final class LambdaRuntimeManager implements LambdaRuntimes {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(LambdaRuntimeManager.class);
  private static final Pattern NAME =
      Pattern.compile(
          Pattern.quote(RuntimeSpec.NAME_PREFIX)
              + "([0-9a-f]{12})-(\\d+)(-arm64)?(-t[0-9a-f]{10})?");

  private final LambdaAsyncClient client;
  private final WorkerPackage pkg;

  LambdaRuntimeManager(LambdaAsyncClient client, WorkerPackage pkg) {
    this.client = client;
    this.pkg = pkg;
  }

  @Override
  public List<WorkerRuntime> list() {
    List<WorkerRuntime> out = new ArrayList<>();
    String marker = null;
    do {
      ListFunctionsRequest.Builder request = ListFunctionsRequest.builder().maxItems(50);
      if (marker != null) {
        request.marker(marker);
      }
      ListFunctionsResponse page = call(client.listFunctions(request.build()), "list functions");
      for (FunctionConfiguration f : page.functions()) {
        if (NAME.matcher(f.functionName()).matches()) {
          out.add(view(f, null));
        }
      }
      marker = page.nextMarker();
    } while (marker != null && !marker.isEmpty());
    out.sort(java.util.Comparator.comparing(WorkerRuntime::name));
    return out;
  }

  @Override
  public WorkerRuntime deploy(RuntimeSpec spec) {
    String name = spec.functionName(pkg.version());
    Optional<FunctionConfiguration> existing = find(name);
    if (existing.isEmpty()) {
      if (spec.role() == null) {
        throw new BackendException(
            Kind.PERMANENT,
            "function "
                + name
                + " does not exist and no execution role is set to create it (profile setting 'role')");
      }
      call(
          client.createFunction(
              r ->
                  r.functionName(name)
                      .runtime(Runtime.fromValue(RuntimeSpec.RUNTIME))
                      .handler(RuntimeSpec.HANDLER)
                      .role(spec.role())
                      .memorySize(spec.memoryMb())
                      .timeout(spec.timeoutSeconds())
                      .architectures(Architecture.fromValue(spec.architecture()))
                      .environment(Environment.builder().variables(spec.environment()).build())
                      .description("Quarry worker " + pkg.version())
                      .code(
                          FunctionCode.builder()
                              .zipFile(SdkBytes.fromByteArrayUnsafe(pkg.zip()))
                              .build())),
          "create function " + name);
      return view(waitActive(name), "created");
    }
    return converge(existing.get(), spec, false, false);
  }

  @Override
  public WorkerRuntime update(String name, RuntimeSpec spec) {
    requireWorkerName(name);
    FunctionConfiguration existing =
        find(name)
            .orElseThrow(() -> new RuntimeNotFoundException("no Lambda function named " + name));
    return converge(existing, spec, true, true);
  }

  @Override
  public WorkerRuntime delete(String name) {
    requireWorkerName(name);
    FunctionConfiguration existing =
        find(name)
            .orElseThrow(() -> new RuntimeNotFoundException("no Lambda function named " + name));
    call(client.deleteFunction(r -> r.functionName(name)), "delete function " + name);
    return view(existing, "deleted");
  }

  /**
   * Brings {@code f} to this package's code and, when {@code configure}, to {@code spec}'s
   * configuration. Deploy does not reconfigure an existing function: profiles that share it may
   * differ in timeout or role, and they would undo each other; an explicit update decides.
   */
  private WorkerRuntime converge(
      FunctionConfiguration f, RuntimeSpec spec, boolean forceCode, boolean configure) {
    String name = f.functionName();
    boolean changed = false;
    f = waitUpdated(name);
    boolean ownCode = name.equals(spec.functionName(pkg.version()));
    if (ownCode && (forceCode || !pkg.codeSha256().equals(f.codeSha256()))) {
      log.info("Pushing worker {} to {} (its code was {})", pkg.version(), name, f.codeSha256());
      call(
          client.updateFunctionCode(
              r -> r.functionName(name).zipFile(SdkBytes.fromByteArrayUnsafe(pkg.zip()))),
          "update code of " + name);
      f = waitUpdated(name);
      changed = true;
    }
    if (configure && !sameConfiguration(f, spec)) {
      log.info(
          "Updating the configuration of {} (timeout {} -> {}, role {} -> {}, environment {} -> {})",
          name,
          f.timeout(),
          spec.timeoutSeconds(),
          f.role(),
          spec.role(),
          f.environment() == null ? null : f.environment().variables().keySet(),
          spec.environment().keySet());
      call(
          client.updateFunctionConfiguration(
              r -> {
                r.functionName(name)
                    .timeout(spec.timeoutSeconds())
                    .environment(Environment.builder().variables(spec.environment()).build());
                if (spec.role() != null) {
                  r.role(spec.role());
                }
              }),
          "update configuration of " + name);
      f = waitUpdated(name);
      changed = true;
    }
    return view(f, changed ? "updated" : "unchanged");
  }

  private static boolean sameConfiguration(FunctionConfiguration f, RuntimeSpec spec) {
    Map<String, String> env =
        f.environment() == null || f.environment().variables() == null
            ? Map.of()
            : f.environment().variables();
    return Objects.equals(f.timeout(), spec.timeoutSeconds())
        && env.equals(spec.environment())
        && (spec.role() == null || spec.role().equals(f.role()));
  }

  private Optional<FunctionConfiguration> find(String name) {
    try {
      return Optional.of(client.getFunction(r -> r.functionName(name)).join().configuration());
    } catch (RuntimeException e) {
      if (e.getCause() instanceof ResourceNotFoundException) {
        return Optional.empty();
      }
      throw LambdaErrors.classify(e, "get function " + name);
    }
  }

  private FunctionConfiguration waitActive(String name) {
    var result =
        call(
            client.waiter().waitUntilFunctionActiveV2(r -> r.functionName(name)),
            "wait for " + name + " to become active");
    return result
        .matched()
        .response()
        .map(r -> r.configuration())
        .orElseThrow(() -> waitFailed(name, result.matched().exception().orElse(null)));
  }

  private FunctionConfiguration waitUpdated(String name) {
    var result =
        call(
            client.waiter().waitUntilFunctionUpdatedV2(r -> r.functionName(name)),
            "wait for the update of " + name);
    return result
        .matched()
        .response()
        .map(r -> r.configuration())
        .orElseThrow(() -> waitFailed(name, result.matched().exception().orElse(null)));
  }

  private static BackendException waitFailed(String name, @Nullable Throwable error) {
    return error == null
        ? new BackendException(Kind.PERMANENT, "function " + name + " did not become ready")
        : LambdaErrors.classify(error, "function " + name + " did not become ready");
  }

  private WorkerRuntime view(FunctionConfiguration f, @Nullable String change) {
    Matcher m = NAME.matcher(f.functionName());
    String version = m.matches() ? m.group(1) : "";
    String arch =
        f.architectures() == null || f.architectures().isEmpty()
            ? "x86_64"
            : f.architecturesAsStrings().get(0);
    return new WorkerRuntime(
        f.functionName(),
        version,
        version.equals(pkg.version()),
        f.memorySize() == null ? 0 : f.memorySize(),
        f.timeout() == null ? 0 : f.timeout(),
        arch,
        f.runtimeAsString() == null ? "" : f.runtimeAsString(),
        f.stateAsString() == null ? "" : f.stateAsString(),
        f.lastUpdateStatusAsString() == null ? "" : f.lastUpdateStatusAsString(),
        f.codeSha256() == null ? "" : f.codeSha256(),
        f.codeSize() == null ? 0 : f.codeSize(),
        parseTime(f.lastModified()),
        change);
  }

  private static @Nullable Instant parseTime(@Nullable String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ"))
          .toInstant();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static void requireWorkerName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not a worker function name ("
              + RuntimeSpec.NAME_PREFIX
              + "<version>-<memory>)");
    }
  }

  private static <T> T call(CompletableFuture<T> future, String what) {
    try {
      return future.join();
    } catch (RuntimeException e) {
      throw LambdaErrors.classify(e, what);
    }
  }
}
