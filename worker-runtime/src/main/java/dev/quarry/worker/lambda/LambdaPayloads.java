package dev.quarry.worker.lambda;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import java.io.ByteArrayOutputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.Base64Variant;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The JSON payloads a Lambda invocation carries (Lambda payloads must be JSON). Each is an object
 * with one field holding a protobuf message as standard base64 (RFC 4648 alphabet, no line breaks;
 * written padded, read with or without padding):
 *
 * <ul>
 *   <li>request: {@code {"envelope":"<base64 of TaskEnvelope>"}}
 *   <li>response: {@code {"summary":"<base64 of InvocationSummary>"}}
 * </ul>
 *
 * <p>Decoders ignore other fields, so either side may add some later. Thread-safe.
 *
 * <pre>{@code
 * byte[] payload = LambdaPayloads.encodeRequest(envelope);   // server: the Invoke payload
 * InvocationSummary summary = LambdaPayloads.decodeResponse(invokeResponsePayload);
 * }</pre>
 */
public final class LambdaPayloads {
  /** Request field holding the {@link TaskEnvelope}. */
  public static final String ENVELOPE_FIELD = "envelope";

  /** Response field holding the {@link InvocationSummary}. */
  public static final String SUMMARY_FIELD = "summary";

  private static final JsonFactory JSON = new JsonFactory();
  // writes padding; reads with or without it
  private static final Base64Variant BASE64 =
      Base64Variants.MIME_NO_LINEFEEDS.withReadPadding(
          Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED);

  private LambdaPayloads() {}

  /** The request payload carrying {@code envelope}. */
  public static byte[] encodeRequest(TaskEnvelope envelope) {
    return encode(ENVELOPE_FIELD, envelope);
  }

  /**
   * Reads the envelope of a request payload.
   *
   * @throws IllegalArgumentException if {@code payload} is not a JSON object, lacks the {@value
   *     #ENVELOPE_FIELD} string, or that is not base64 of a {@link TaskEnvelope}
   */
  public static TaskEnvelope decodeRequest(byte[] payload) {
    return decode(payload, ENVELOPE_FIELD, TaskEnvelope.parser());
  }

  /** The response payload carrying {@code summary}. */
  public static byte[] encodeResponse(InvocationSummary summary) {
    return encode(SUMMARY_FIELD, summary);
  }

  /**
   * Reads the summary of a response payload.
   *
   * @throws IllegalArgumentException if {@code payload} is not a JSON object, lacks the {@value
   *     #SUMMARY_FIELD} string, or that is not base64 of an {@link InvocationSummary}
   */
  public static InvocationSummary decodeResponse(byte[] payload) {
    return decode(payload, SUMMARY_FIELD, InvocationSummary.parser());
  }

  private static byte[] encode(String field, MessageLite message) {
    byte[] bytes = message.toByteArray();
    // base64 is 4/3 of the bytes, plus the field name and punctuation
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(bytes.length / 3 * 4 + field.length() + 16);
    try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
      json.writeStartObject();
      json.writeName(field);
      json.writeBinary(BASE64, bytes, 0, bytes.length);
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  private static <T> T decode(byte[] payload, String field, Parser<T> parser) {
    byte @Nullable [] message = null;
    try (JsonParser json = JSON.createParser(ObjectReadContext.empty(), payload)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw invalid(field, "not a JSON object");
      }
      String name;
      while ((name = json.nextName()) != null) {
        JsonToken value = json.nextToken();
        if (!name.equals(field)) {
          json.skipChildren();
        } else if (value != JsonToken.VALUE_STRING) {
          throw invalid(field, "field '" + field + "' is " + value + ", not a base64 string");
        } else {
          message = json.getBinaryValue(BASE64);
        }
      }
      if (json.nextToken() != null) {
        throw invalid(field, "content after the JSON object");
      }
    } catch (JacksonException e) {
      throw invalid(field, String.valueOf(e.getOriginalMessage()), e);
    }
    if (message == null) {
      throw invalid(field, "no field '" + field + "'");
    }
    try {
      return parser.parseFrom(message);
    } catch (InvalidProtocolBufferException e) {
      throw invalid(
          field, "field '" + field + "' is not a valid protobuf message: " + e.getMessage(), e);
    }
  }

  private static IllegalArgumentException invalid(String field, String problem) {
    return invalid(field, problem, null);
  }

  private static IllegalArgumentException invalid(
      String field, String problem, @Nullable Throwable cause) {
    return new IllegalArgumentException(
        "Malformed Lambda payload (expected {\"" + field + "\":\"<base64>\"}): " + problem, cause);
  }
}
