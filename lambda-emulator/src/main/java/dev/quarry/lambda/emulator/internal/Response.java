package dev.quarry.lambda.emulator.internal;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** An API response to write. */
record Response(int status, Map<String, String> headers, byte[] body) {

  private static final byte[] EMPTY = new byte[0];

  static Response json(int status, JsonNode body) {
    return new Response(status, Map.of("Content-Type", "application/json"), Json.bytes(body));
  }

  static Response empty(int status) {
    return new Response(status, Map.of(), EMPTY);
  }
}
