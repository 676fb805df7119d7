package dev.quarry.backend.internal.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.lambda.model.LambdaException;

class LambdaErrorsTest {

  private static LambdaException aws(String code, int status) {
    return (LambdaException)
        LambdaException.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage("msg " + code).build())
            .build();
  }

  @Test
  void throttlingOutagesAndConflictsAreTransient() {
    assertThat(LambdaErrors.classify(aws("TooManyRequestsException", 429), "invoke f").kind())
        .isEqualTo(Kind.TRANSIENT);
    assertThat(LambdaErrors.classify(aws("ServiceException", 500), "invoke f").kind())
        .isEqualTo(Kind.TRANSIENT);
    assertThat(LambdaErrors.classify(aws("EC2ThrottledException", 502), "invoke f").kind())
        .isEqualTo(Kind.TRANSIENT);
    assertThat(LambdaErrors.classify(aws("ResourceConflictException", 409), "invoke f").kind())
        .isEqualTo(Kind.TRANSIENT);
    assertThat(
            LambdaErrors.classify(
                    new CompletionException(
                        SdkClientException.create(
                            "reset", new SocketException("Connection reset"))),
                    "invoke f")
                .kind())
        .isEqualTo(Kind.TRANSIENT);
    assertThat(LambdaErrors.classify(ApiCallTimeoutException.create(1000), "invoke f").kind())
        .isEqualTo(Kind.TRANSIENT);
  }

  @Test
  void badRequestsMissingFunctionsAndDeniedAccessArePermanentAndSayWhat() {
    BackendException missing =
        LambdaErrors.classify(
            new CompletionException(aws("ResourceNotFoundException", 404)),
            "invoke quarry-worker-x");
    assertThat(missing.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(missing.getMessage())
        .contains("invoke quarry-worker-x", "ResourceNotFoundException", "404", "msg");
    assertThat(LambdaErrors.classify(aws("AccessDeniedException", 403), "x").kind())
        .isEqualTo(Kind.PERMANENT);
    assertThat(LambdaErrors.classify(aws("InvalidSignatureException", 403), "x").kind())
        .isEqualTo(Kind.PERMANENT);
    assertThat(LambdaErrors.classify(aws("InvalidParameterValueException", 400), "x").kind())
        .isEqualTo(Kind.PERMANENT);
    assertThat(LambdaErrors.classify(aws("RequestTooLargeException", 413), "x").kind())
        .isEqualTo(Kind.PERMANENT);
  }

  @Test
  void functionErrorsAreCrashesUnlessTheWorkerCouldNotReadTheRequest() {
    byte[] timeout =
        "{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"Task timed out after 3.00 seconds\"}"
            .getBytes(StandardCharsets.UTF_8);
    BackendException t = FunctionErrors.of("fn", "Unhandled", timeout);
    assertThat(t.kind()).isEqualTo(Kind.CRASH);
    assertThat(t.getMessage()).contains("fn", "Unhandled", "Sandbox.Timedout", "timed out");
    assertThat(
            FunctionErrors.of(
                    "fn",
                    "Unhandled",
                    "{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"exit status 1\"}"
                        .getBytes(StandardCharsets.UTF_8))
                .kind())
        .isEqualTo(Kind.CRASH);
    assertThat(
            FunctionErrors.of(
                    "fn",
                    "Unhandled",
                    "{\"errorType\":\"java.lang.IllegalArgumentException\",\"errorMessage\":\"Malformed Lambda payload\"}"
                        .getBytes(StandardCharsets.UTF_8))
                .kind())
        .isEqualTo(Kind.PERMANENT);
    assertThat(
            FunctionErrors.of("fn", "Unhandled", "not json".getBytes(StandardCharsets.UTF_8))
                .getMessage())
        .contains("not json");
  }
}
