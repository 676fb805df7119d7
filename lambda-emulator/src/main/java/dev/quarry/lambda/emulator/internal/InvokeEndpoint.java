package dev.quarry.lambda.emulator.internal;

import dev.quarry.emulator.faults.FaultInjector;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Invoke operation: validation, faults, concurrency limit, then the {@link Invoker}. */
final class InvokeEndpoint {

  private static final Logger log = LoggerFactory.getLogger(InvokeEndpoint.class);
  private static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
  private static final int MAX_ASYNC_PAYLOAD = 1024 * 1024;

  private final FunctionRegistry registry;
  private final Invoker invoker;
  private final FaultInjector faults;
  private final StatsRecorder stats;
  private final Executor executor;
  private final int concurrencyLimit;

  InvokeEndpoint(
      FunctionRegistry registry,
      Invoker invoker,
      FaultInjector faults,
      StatsRecorder stats,
      Executor executor,
      int concurrencyLimit) {
    this.registry = registry;
    this.invoker = invoker;
    this.faults = faults;
    this.stats = stats;
    this.executor = executor;
    this.concurrencyLimit = concurrencyLimit;
  }

  /**
   * @param header the value of a request header, null if absent
   */
  Response invoke(
      FunctionRef ref, Function<String, @Nullable String> header, byte[] payload, String requestId)
      throws InterruptedException {
    String type = header.apply("X-Amz-Invocation-Type");
    if (type == null) {
      type = "RequestResponse";
    }
    boolean event = type.equals("Event");
    if (!event && !type.equals("RequestResponse") && !type.equals("DryRun")) {
      throw ApiException.invalidParameter("Invalid InvocationType: " + type);
    }
    LambdaFunction fn = registry.get(ref);
    fn.requireInvocable();
    int maxPayload = event ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
    if (payload.length > maxPayload) {
      throw new ApiException(
          413,
          "RequestTooLargeException",
          "Request must be smaller than " + maxPayload + " bytes for the InvokeFunction operation");
    }
    if (payload.length > 0 && !Json.isValid(payload)) {
      throw ApiException.invalidContent(
          "Could not parse request body into json: Could not parse payload into json");
    }
    if (type.equals("DryRun")) {
      return Response.empty(204);
    }
    switch (faults.beforeInvoke()) {
      case UNAVAILABLE -> throw ApiException.service(503, "Service unavailable (injected fault).");
      case THROTTLED -> throw ApiException.tooManyRequests("CallerRateLimitExceeded");
      case SERVER_ERROR -> throw ApiException.service(500, "Internal failure (injected fault).");
      case NONE -> {}
    }
    String clientContext = clientContext(header.apply("X-Amz-Client-Context"));
    if (event) {
      fn.enter();
    } else if (!fn.tryEnter(concurrencyLimit)) {
      stats.invocations.throttled();
      throw ApiException.tooManyRequests("ConcurrentInvocationLimitExceeded");
    }
    Invocation inv =
        new Invocation(requestId, payload, clientContext, fn.arn(), faults.crashThisInvocation());
    if (event) {
      executor.execute(() -> runEvent(fn, inv));
      return Response.empty(202);
    }
    Invoker.Result result;
    try {
      result = invoker.invoke(fn, inv, "Tail".equals(header.apply("X-Amz-Log-Type")));
    } finally {
      fn.exit();
    }
    long delay = faults.responseDelayMillis();
    if (delay > 0) {
      Thread.sleep(delay);
    }
    Map<String, String> headers = new HashMap<>(8);
    headers.put("Content-Type", "application/json");
    headers.put("X-Amz-Executed-Version", "$LATEST");
    if (result.outcome().isError()) {
      headers.put("X-Amz-Function-Error", "Unhandled");
    }
    if (result.logTail() != null) {
      headers.put("X-Amz-Log-Result", result.logTail());
    }
    return new Response(200, headers, result.outcome().payload());
  }

  private void runEvent(LambdaFunction fn, Invocation inv) {
    try {
      Invoker.Result r = invoker.invoke(fn, inv, false);
      log.debug(
          "event invocation {} of {} ended: {}", inv.requestId, fn.name(), r.outcome().kind());
    } catch (ApiException e) {
      log.debug("event invocation {} of {} failed: {}", inv.requestId, fn.name(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      fn.exit();
    }
  }

  private static @Nullable String clientContext(@Nullable String base64) {
    if (base64 == null || base64.isEmpty()) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameter(
          "Client context must be a valid Base64-encoded JSON object.");
    }
  }
}
