package dev.quarry.lambda.emulator.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A function's configuration values (its state lives in {@link FunctionLifecycle}). */
record FunctionConfig(
    String name,
    String arn,
    String runtime,
    String role,
    String handler,
    String description,
    int timeoutSeconds,
    int memoryMb,
    Map<String, String> environment,
    List<String> architectures,
    String codeSha256,
    long codeSize,
    Instant lastModified,
    String revisionId) {

  FunctionConfig {
    environment = Map.copyOf(environment);
    architectures = List.copyOf(architectures);
  }

  FunctionConfig withCode(CodePackage code, Instant now) {
    return new FunctionConfig(
        name,
        arn,
        runtime,
        role,
        handler,
        description,
        timeoutSeconds,
        memoryMb,
        environment,
        architectures,
        code.sha256Base64(),
        code.size(),
        now,
        RequestIds.uuid());
  }

  FunctionConfig withSettings(FunctionSettings s, Instant now) {
    return new FunctionConfig(
        name,
        arn,
        s.runtime() != null ? s.runtime() : runtime,
        s.role() != null ? s.role() : role,
        s.handler() != null ? s.handler() : handler,
        s.description() != null ? s.description() : description,
        s.timeoutSeconds() != null ? s.timeoutSeconds() : timeoutSeconds,
        s.memoryMb() != null ? s.memoryMb() : memoryMb,
        s.environment() != null ? s.environment() : environment,
        architectures,
        codeSha256,
        codeSize,
        now,
        RequestIds.uuid());
  }
}
