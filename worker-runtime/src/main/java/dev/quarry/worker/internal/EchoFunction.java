package dev.quarry.worker.internal;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Builtin {@code echo}: returns its input. */
public final class EchoFunction implements Function<@Nullable Object, @Nullable Object> {
  @Override
  public @Nullable Object apply(@Nullable Object input) {
    return input;
  }
}
