package dev.quarry.lambda.emulator.internal;

import dev.quarry.emulator.pool.InstanceFactory;
import dev.quarry.lambda.emulator.CodeFetcher;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The function management operations of the Lambda API. */
final class ControlPlane {

  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
  static final String CODE_PATH = "/_emulator/code/";

  private final FunctionRegistry registry;
  private final CodeStore codes;
  private final @Nullable CodeFetcher codeFetcher;
  private final String region;
  private final int maxInstances;
  private final InstanceFactory<Deployment, Instance> instances;
  private final ScheduledExecutorService scheduler;
  private final Duration transitionDelay;
  private final Supplier<URI> endpoint;

  ControlPlane(
      FunctionRegistry registry,
      CodeStore codes,
      @Nullable CodeFetcher codeFetcher,
      String region,
      int maxInstances,
      InstanceFactory<Deployment, Instance> instances,
      ScheduledExecutorService scheduler,
      Duration transitionDelay,
      Supplier<URI> endpoint) {
    this.registry = registry;
    this.codes = codes;
    this.codeFetcher = codeFetcher;
    this.region = region;
    this.maxInstances = maxInstances;
    this.instances = instances;
    this.scheduler = scheduler;
    this.transitionDelay = transitionDelay;
    this.endpoint = endpoint;
  }

  Response create(byte[] body) {
    FunctionRequests.Create req = FunctionRequests.create(Json.parseObject(body));
    FunctionRef ref = FunctionRef.parse(req.functionName(), null, region);
    if (ref.qualifier() != null) {
      throw ApiException.invalidParameter("FunctionName must not have a qualifier");
    }
    CodePackage code = code(req.code());
    FunctionSettings s = req.settings();
    FunctionConfig config =
        new FunctionConfig(
            ref.name(),
            FunctionRef.arn(region, ref.name()),
            s.runtime(),
            s.role(),
            s.handler(),
            s.description(),
            s.timeoutSeconds(),
            s.memoryMb(),
            s.environment(),
            req.architectures(),
            code.sha256Base64(),
            code.size(),
            Instant.now(),
            RequestIds.uuid());
    LambdaFunction fn = new LambdaFunction(config, code, maxInstances, instances);
    registry.add(fn);
    afterDelay(fn, fn::activate);
    log.debug("created function {}", fn.name());
    return Response.json(201, FunctionJson.configuration(fn.view()));
  }

  Response get(FunctionRef ref) {
    LambdaFunction.View view = registry.get(ref).read();
    String sha = view.config().codeSha256();
    String location =
        endpoint.get()
            + CODE_PATH
            + HexFormat.of().formatHex(Base64.getDecoder().decode(sha))
            + ".zip";
    return Response.json(200, FunctionJson.function(view, location));
  }

  Response getConfiguration(FunctionRef ref) {
    return Response.json(200, FunctionJson.configuration(registry.get(ref).read()));
  }

  Response updateCode(FunctionRef ref, byte[] body) {
    JsonNode json = Json.parseObject(body);
    FunctionRequests.CodeSource source = FunctionRequests.codeSource(json);
    LambdaFunction fn = registry.get(ref);
    CodePackage code = code(source);
    if (json.path("DryRun").asBoolean(false)) {
      return Response.json(200, FunctionJson.configuration(fn.view()));
    }
    LambdaFunction.View view = fn.beginUpdate(Json.string(json, "RevisionId"), code, c -> c);
    afterDelay(fn, fn::completeUpdate);
    return Response.json(200, FunctionJson.configuration(view));
  }

  Response updateConfiguration(FunctionRef ref, byte[] body) {
    JsonNode json = Json.parseObject(body);
    FunctionSettings settings = FunctionRequests.settings(json);
    LambdaFunction fn = registry.get(ref);
    LambdaFunction.View view =
        fn.beginUpdate(
            Json.string(json, "RevisionId"), null, c -> c.withSettings(settings, Instant.now()));
    afterDelay(fn, fn::completeUpdate);
    return Response.json(200, FunctionJson.configuration(view));
  }

  Response delete(FunctionRef ref) {
    LambdaFunction fn = registry.remove(ref);
    fn.delete();
    log.debug("deleted function {}", fn.name());
    return Response.empty(204);
  }

  Response list(Map<String, List<String>> query) {
    int max = 50;
    String maxItems = QueryString.first(query, "MaxItems");
    if (maxItems != null) {
      try {
        max = Integer.parseInt(maxItems);
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max < 1 || max > 10000) {
        throw ApiException.invalidParameter("MaxItems must be between 1 and 10000");
      }
    }
    String after = "";
    String marker = QueryString.first(query, "Marker");
    if (marker != null && !marker.isEmpty()) {
      try {
        after = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidParameter("Invalid Marker: " + marker);
      }
    }
    List<LambdaFunction> page = registry.page(after, max);
    ObjectNode out = Json.object();
    ArrayNode functions = out.putArray("Functions");
    page.forEach(fn -> functions.add(FunctionJson.configuration(fn.view())));
    if (!page.isEmpty()) {
      String last = page.get(page.size() - 1).name();
      if (registry.hasAfter(last)) {
        out.put(
            "NextMarker",
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(last.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return Response.json(200, out);
  }

  /** The zip for a code location handed out by GetFunction. */
  Response download(String fileName) {
    String hex = fileName.endsWith(".zip") ? fileName.substring(0, fileName.length() - 4) : "";
    return codes
        .find(hex)
        .map(c -> new Response(200, Map.of("Content-Type", "application/zip"), c.zip()))
        .orElseThrow(() -> new ApiException(404, "NoSuchKey", "The specified key does not exist."));
  }

  private CodePackage code(FunctionRequests.CodeSource source) {
    if (source.zipFile() != null) {
      return codes.add(source.zipFile());
    }
    String bucket = source.s3Bucket();
    String key = source.s3Key();
    if (codeFetcher == null) {
      throw ApiException.invalidParameter(
          "Error occurred while GetObject. S3 Error Code: AccessDenied. S3 Error Message: the"
              + " emulator has no codeFetcher to read s3://"
              + bucket
              + "/"
              + key);
    }
    byte[] zip;
    try {
      zip = codeFetcher.fetch(bucket, key);
    } catch (Exception e) {
      throw ApiException.invalidParameter(
          "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: cannot read"
              + " s3://"
              + bucket
              + "/"
              + key
              + ": "
              + e.getMessage());
    }
    return codes.add(zip);
  }

  /**
   * Completes {@code transition} once the delay has passed and a client has read the transitional
   * state at least once, so a waiter always sees one Pending (or InProgress) answer however slow
   * the machine is; until then it looks again after each delay.
   */
  private void afterDelay(LambdaFunction fn, Runnable transition) {
    if (transitionDelay.isZero()) {
      transition.run();
      return;
    }
    scheduler.schedule(
        () -> {
          try {
            if (fn.transitionMayComplete()) {
              transition.run();
            } else {
              afterDelay(fn, transition);
            }
          } catch (RuntimeException e) {
            log.warn("state transition failed", e);
          }
        },
        transitionDelay.toNanos(),
        TimeUnit.NANOSECONDS);
  }
}
