package dev.quarry.worker.internal;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Builtin {@code noop}: ignores its input and returns null. */
public final class NoopFunction implements Function<@Nullable Object, @Nullable Object> {
  @Override
  public @Nullable Object apply(@Nullable Object input) {
    return null;
  }
}
