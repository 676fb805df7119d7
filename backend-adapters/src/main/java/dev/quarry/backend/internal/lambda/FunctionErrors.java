package dev.quarry.backend.internal.lambda;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an invoke answered with {@code X-Amz-Function-Error} into a {@link BackendException}. The
 * worker reports a user function's exception inside its summary, so an Unhandled error here is the
 * runtime's: a timeout, an exit, out of memory ({@code CRASH}), or a request the worker could not
 * read ({@code PERMANENT}).
 */
final class FunctionErrors {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_MESSAGE = 500;

  private FunctionErrors() {}

  static BackendException of(String functionName, String functionError, byte[] payload) {
    String type = "";
    String message = "";
    try {
      JsonNode node = JSON.readTree(payload);
      type = node.path("errorType").asString("");
      message = node.path("errorMessage").asString("");
    } catch (RuntimeException e) {
      message =
          new String(payload, 0, Math.min(payload.length, MAX_MESSAGE), StandardCharsets.UTF_8);
    }
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "...";
    }
    String text =
        "function "
            + functionName
            + " failed ("
            + functionError
            + (type.isEmpty() ? "" : ", " + type)
            + "): "
            + message;
    return new BackendException(kind(type, message), text);
  }

  static Kind kind(String type, String message) {
    if (type.equals("java.lang.IllegalArgumentException")
        || type.equals("Runtime.HandlerNotFound")
        || type.equals("Runtime.ImportModuleError")
        || type.equals("java.lang.ClassNotFoundException")) {
      return Kind.PERMANENT;
    }
    return Kind.CRASH;
  }
}
