package dev.quarry.lambda.emulator.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The configuration fields of a CreateFunction/UpdateFunctionConfiguration request; null = unset.
 */
record FunctionSettings(
    @Nullable String runtime,
    @Nullable String role,
    @Nullable String handler,
    @Nullable String description,
    @Nullable Integer timeoutSeconds,
    @Nullable Integer memoryMb,
    @Nullable Map<String, String> environment) {}
