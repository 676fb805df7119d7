package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.client.ErrorReason;
import dev.quarry.client.QuarryException;
import io.grpc.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's reason decides the exit code where it says more than the gRPC status. */
class ExitCodesTest {

  private static QuarryException refused(Status.Code code, ErrorReason reason) {
    return new QuarryException(code, "m", false, reason, Map.of(), null, null);
  }

  @Test
  void aServerThatAnsweredUnavailableIsReachable() {
    assertThat(ExitCodes.of(refused(Status.Code.UNAVAILABLE, ErrorReason.UNKNOWN)))
        .isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(ExitCodes.of(refused(Status.Code.UNAVAILABLE, ErrorReason.UNAVAILABLE)))
        .isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void reasonsMapToTheDocumentedCodes() {
    assertThat(ExitCodes.of(refused(Status.Code.NOT_FOUND, ErrorReason.FUNCTION_NOT_FOUND)))
        .isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(ExitCodes.of(refused(Status.Code.NOT_FOUND, ErrorReason.OBJECT_NOT_FOUND)))
        .isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(ExitCodes.of(refused(Status.Code.UNAUTHENTICATED, ErrorReason.UNAUTHENTICATED)))
        .isEqualTo(ExitCodes.AUTH);
    assertThat(ExitCodes.of(refused(Status.Code.FAILED_PRECONDITION, ErrorReason.JOB_CANCELLED)))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(ExitCodes.of(refused(Status.Code.RESOURCE_EXHAUSTED, ErrorReason.QUOTA_EXCEEDED)))
        .isEqualTo(ExitCodes.FAILED);
    assertThat(ExitCodes.of(refused(Status.Code.UNIMPLEMENTED, ErrorReason.UNKNOWN)))
        .isEqualTo(ExitCodes.NOT_AVAILABLE);
  }
}
