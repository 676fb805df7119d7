package dev.quarry.server.rest;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.api.JsonErrors;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.security.QuarryAuthentication;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading request bodies within the size limit, and the caller. */
final class Bodies {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private Bodies() {}

  /** The caller the security chain authenticated ({@code /v1/**} never runs without one). */
  static Principal principal(HttpServletRequest request) {
    if (request.getUserPrincipal() instanceof QuarryAuthentication auth) {
      return auth.caller();
    }
    throw new ApiException(
        ErrorCode.UNAUTHENTICATED, "missing API key: send 'Authorization: Bearer <key>'");
  }

  /**
   * @throws ApiException PAYLOAD_TOO_LARGE past {@code max} bytes
   */
  static byte[] read(HttpServletRequest request, long max) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > max) {
      throw ApiException.tooLarge(
          "request body of " + declared + " bytes exceeds the limit of " + max);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
    byte[] buf = new byte[65536];
    try (InputStream in = request.getInputStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + (long) n > max) {
          throw ApiException.tooLarge("request body exceeds the limit of " + max + " bytes");
        }
        out.write(buf, 0, n);
      }
    }
    return out.toByteArray();
  }

  /**
   * @throws ApiException INVALID_ARGUMENT unless the body is one JSON object
   */
  static JsonNode jsonObject(byte[] body) {
    JsonNode node = parseObject(body);
    TextRules.check(node, "", true);
    return node;
  }

  /**
   * Like {@link #jsonObject}, but NUL characters may appear inside {@code opaqueField} (data that
   * is stored as encoded bytes, never as text).
   */
  static JsonNode jsonObject(byte[] body, String opaqueField) {
    JsonNode node = parseObject(body);
    for (var e : node.properties()) {
      TextRules.check(e.getValue(), e.getKey(), !e.getKey().equals(opaqueField));
    }
    return node;
  }

  private static JsonNode parseObject(byte[] body) {
    if (body.length == 0) {
      throw new ApiException(
          ErrorReason.MALFORMED_REQUEST, "request body is empty; expected a JSON object");
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new ApiException(
          ErrorReason.MALFORMED_REQUEST,
          "malformed JSON: " + JsonErrors.clip(String.valueOf(e.getOriginalMessage())));
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(ErrorReason.MALFORMED_REQUEST, "expected a JSON object");
    }
    return node;
  }

  /**
   * Reads a JSON object body of at most {@code max} bytes whose fields are all in {@code allowed}.
   *
   * @throws ApiException INVALID_ARGUMENT for anything else, PAYLOAD_TOO_LARGE past the limit
   */
  static JsonNode object(HttpServletRequest request, long max, java.util.Collection<String> allowed)
      throws IOException {
    JsonNode body = jsonObject(read(request, max));
    for (String f : body.propertyNames()) {
      if (!allowed.contains(f)) {
        throw ApiException.invalid("unknown field '" + f + "'; allowed: " + allowed);
      }
    }
    return body;
  }

  /**
   * @throws ApiException INVALID_ARGUMENT unless {@code field} is a string
   */
  static String requiredText(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isString()) {
      throw ApiException.invalid("'" + field + "' is required and must be a string");
    }
    return v.asString();
  }
}
