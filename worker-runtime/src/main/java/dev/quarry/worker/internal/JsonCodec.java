package dev.quarry.worker.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * UTF-8 JSON decoded to plain Java values (Map, List, String, Number, Boolean, null). Empty input
 * decodes to null.
 */
public final class JsonCodec implements PayloadCodec {
  static final JsonCodec INSTANCE = new JsonCodec();
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private JsonCodec() {}

  @Override
  public @Nullable Object decode(byte[] data, ClassLoader loader) {
    if (data.length == 0) {
      return null;
    }
    return MAPPER.readValue(data, Object.class);
  }

  /**
   * @throws JacksonException if the value cannot be written as JSON
   */
  @Override
  public byte[] encode(@Nullable Object value) {
    return MAPPER.writeValueAsBytes(value);
  }
}
