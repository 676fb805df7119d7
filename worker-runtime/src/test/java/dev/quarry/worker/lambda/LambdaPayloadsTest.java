package dev.quarry.worker.lambda;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.google.protobuf.ByteString;
import dev.quarry.proto.v1.Codec;
import dev.quarry.proto.v1.FunctionKind;
import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.StorageSettings;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import dev.quarry.proto.v1.TaskOutcome;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LambdaPayloadsTest {
  static final TaskEnvelope ENVELOPE =
      TaskEnvelope.newBuilder()
          .setInvocationId("inv-7")
          .setTenantId("t1")
          .setJobId("j1")
          .setFunction(
              FunctionSpec.newBuilder()
                  .setDigest("d")
                  .setKind(FunctionKind.FUNCTION_KIND_JAR_ENTRY)
                  .setEntryClass("x.Y")
                  .addJarKeys("blobs/abc"))
          .setCodec(Codec.CODEC_JAVA)
          .addTasks(
              TaskInput.newBuilder()
                  .setTaskId("a")
                  .setInline(ByteString.copyFrom(new byte[] {0, -1, 62, 63, (byte) 0xfb}))
                  .setResultKey("results/a"))
          .addTasks(TaskInput.newBuilder().setTaskId("b").setKey("inputs/b"))
          .setDeadlineMs(1_234_567)
          .setStorage(
              StorageSettings.newBuilder().setType("s3").putSettings("bucket", "quarry-data"))
          .build();

  static final InvocationSummary SUMMARY =
      InvocationSummary.newBuilder()
          .setInvocationId("inv-7")
          .setWorkerId("lambda-x")
          .setColdStart(true)
          .setStartMs(10)
          .setEndMs(20)
          .addOutcomes(
              TaskOutcome.newBuilder().setTaskId("a").setOk(true).setResultKey("results/a"))
          .addOutcomes(
              TaskOutcome.newBuilder()
                  .setTaskId("b")
                  .setError(RemoteError.newBuilder().setType("java.lang.Oops").setMessage("ü")))
          .build();

  @Test
  void encodesARequestAsOneFieldOfStandardBase64AndDecodesItBack() {
    byte[] payload = LambdaPayloads.encodeRequest(ENVELOPE);

    assertThat(new String(payload, UTF_8))
        .isEqualTo(
            "{\"envelope\":\""
                + Base64.getEncoder().encodeToString(ENVELOPE.toByteArray())
                + "\"}");
    assertThat(LambdaPayloads.decodeRequest(payload)).isEqualTo(ENVELOPE);
  }

  @Test
  void encodesAResponseAsOneFieldOfStandardBase64AndDecodesItBack() {
    byte[] payload = LambdaPayloads.encodeResponse(SUMMARY);

    assertThat(new String(payload, UTF_8))
        .isEqualTo(
            "{\"summary\":\"" + Base64.getEncoder().encodeToString(SUMMARY.toByteArray()) + "\"}");
    assertThat(LambdaPayloads.decodeResponse(payload)).isEqualTo(SUMMARY);
  }

  @Test
  void roundTripsEmptyMessages() {
    assertThat(
            LambdaPayloads.decodeRequest(
                LambdaPayloads.encodeRequest(TaskEnvelope.getDefaultInstance())))
        .isEqualTo(TaskEnvelope.getDefaultInstance());
    assertThat(new String(LambdaPayloads.encodeResponse(InvocationSummary.getDefaultInstance())))
        .isEqualTo("{\"summary\":\"\"}");
  }

  @Test
  void ignoresOtherFieldsAndWhitespace() {
    String base64 = Base64.getEncoder().encodeToString(SUMMARY.toByteArray());
    String payload =
        " {\n \"version\": 2, \"extra\": {\"a\": [1, {\"summary\": 3}]},\n \"summary\" : \""
            + base64
            + "\", \"more\": null }\n";

    assertThat(LambdaPayloads.decodeResponse(payload.getBytes(UTF_8))).isEqualTo(SUMMARY);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          empty payload        | ``                                 | not a JSON object
          not JSON             | hello                              | Malformed Lambda payload
          truncated JSON       | {"envelope":"CgNpbnY=              | Malformed Lambda payload
          a JSON array         | ["CgNpbnY="]                       | not a JSON object
          a JSON string        | "CgNpbnY="                         | not a JSON object
          missing field        | {"summary":"CgNpbnY="}             | no field 'envelope'
          null field           | {"envelope":null}                  | field 'envelope' is VALUE_NULL
          number field         | {"envelope":12}                    | field 'envelope' is VALUE_NUMBER_INT
          object field         | {"envelope":{"a":"b"}}             | field 'envelope' is START_OBJECT
          invalid base64       | {"envelope":"Cg*pbnY="}            | base64
          trailing content     | {"envelope":"CgNpbnY="} {}         | content after the JSON object
          truncated protobuf   | {"envelope":"CgVp"}                | not a valid protobuf message
          """)
  void rejectsAMalformedRequestWithAClearMessage(String problem, String payload, String message) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LambdaPayloads.decodeRequest(payload.getBytes(UTF_8)))
        .withMessageStartingWith("Malformed Lambda payload")
        .withMessageContaining(message);
  }

  @Test
  void rejectsAMalformedResponseNamingTheSummaryField() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LambdaPayloads.decodeResponse("{\"envelope\":\"\"}".getBytes(UTF_8)))
        .withMessage(
            "Malformed Lambda payload (expected {\"summary\":\"<base64>\"}): no field 'summary'");
  }

  @Test
  void acceptsTheValidBase64UsedInTheRejectionCases() {
    // guards the cases above: "CgNpbnY=" is a valid envelope, so each failure is the named one
    byte[] payload = "{\"envelope\":\"CgNpbnY=\"}".getBytes(UTF_8);

    assertThat(LambdaPayloads.decodeRequest(payload).getInvocationId()).isEqualTo("inv");
  }

  @Test
  void acceptsBase64WithoutPadding() {
    byte[] payload = "{\"envelope\":\"CgNpbnY\"}".getBytes(UTF_8);

    assertThat(LambdaPayloads.decodeRequest(payload).getInvocationId()).isEqualTo("inv");
  }
}
