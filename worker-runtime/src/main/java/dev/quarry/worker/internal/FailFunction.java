package dev.quarry.worker.internal;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** Builtin {@code fail}: throws {@link IllegalArgumentException} whose message is the input. */
public final class FailFunction implements Function<@Nullable Object, @Nullable Object> {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  /**
   * @throws IllegalArgumentException always; the message is the input string, or the input's JSON
   *     text when it is not a string
   */
  @Override
  public @Nullable Object apply(@Nullable Object input) {
    String text = input instanceof String s ? s : MAPPER.writeValueAsString(input);
    throw new IllegalArgumentException(text);
  }
}
