package dev.quarry.lambda.emulator.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The shared JSON mapper and typed, validating reads of request fields. */
final class Json {

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(JsonNode node) {
    return MAPPER.writeValueAsBytes(node);
  }

  /** Parses a request body that must be a JSON object. */
  static JsonNode parseObject(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw ApiException.invalidContent("Could not parse request body into json");
      }
      return node;
    } catch (JacksonException e) {
      throw ApiException.invalidContent("Could not parse request body into json");
    }
  }

  /** Whether {@code payload} is one complete JSON value (an invocation payload must be). */
  static boolean isValid(byte[] payload) {
    try (JsonParser p = MAPPER.createParser(payload)) {
      if (p.nextToken() == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (JacksonException e) {
      return false;
    }
  }

  static @Nullable String string(JsonNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw ApiException.invalidParameter(field + " must be a string");
    }
    return v.stringValue();
  }

  static @Nullable Integer integer(JsonNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw ApiException.invalidParameter(field + " must be an integer");
    }
    return v.intValue();
  }

  static @Nullable Map<String, String> stringMap(JsonNode obj, String field) {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw ApiException.invalidParameter(field + " must be an object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!e.getValue().isString()) {
        throw ApiException.invalidParameter(field + "." + e.getKey() + " must be a string");
      }
      out.put(e.getKey(), e.getValue().stringValue());
    }
    return out;
  }

  /** The message of an error JSON such as {@code {"errorMessage": ..., "errorType": ...}}. */
  static @Nullable String field(byte[] json, String field) {
    try {
      JsonNode node = MAPPER.readTree(json);
      JsonNode v = node == null ? null : node.get(field);
      return v != null && v.isString() ? v.stringValue() : null;
    } catch (JacksonException e) {
      return null;
    }
  }
}
