package dev.quarry.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.QuarryException;
import dev.quarry.client.RemoteFunctionException;
import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.StackFrame;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorsTest {
  private final Errors errors = new Errors("localhost:9090", "config file /home/me/.quarry/config");

  @Test
  void aRemoteErrorKeepsClassMessageAndFrames() {
    RemoteError error =
        RemoteError.newBuilder()
            .setType("java.lang.IllegalStateException")
            .setMessage("boom")
            .setStackTraceText(
                "java.lang.IllegalStateException: boom\n\tat com.acme.Fn.apply(Fn.java:12)\n")
            .setFunctionError(true)
            .addStack(
                StackFrame.newBuilder()
                    .setClassName("com.acme.Fn")
                    .setMethodName("apply")
                    .setFileName("Fn.java")
                    .setLineNumber(12))
            .addStack(
                StackFrame.newBuilder()
                    .setClassName("dev.quarry.worker.Runner")
                    .setMethodName("run"))
            .build();
    RemoteFunctionException e = Errors.remote(error);
    assertThat(e.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
    assertThat(e.remoteMessage()).isEqualTo("boom");
    assertThat(e.getMessage()).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(e.functionError()).isTrue();
    assertThat(e.remoteStackTraceText()).contains("Fn.java:12");
    assertThat(e.getStackTrace()).hasSize(2);
    assertThat(e.getStackTrace()[0])
        .isEqualTo(new StackTraceElement("com.acme.Fn", "apply", "Fn.java", 12));
    assertThat(e.getStackTrace()[1].getFileName()).isNull();
    assertThat(e.getStackTrace()[1].getLineNumber()).isEqualTo(-1);
    StringWriter printed = new StringWriter();
    e.printStackTrace(new PrintWriter(printed));
    assertThat(printed.toString())
        .startsWith(
            "dev.quarry.client.RemoteFunctionException: java.lang.IllegalStateException: boom")
        .contains("at com.acme.Fn.apply(Fn.java:12)");
  }

  @Test
  void aRemoteErrorWithoutMessageOrFramesStillReadsWell() {
    RemoteFunctionException e =
        Errors.remote(RemoteError.newBuilder().setType("dev.quarry.Timeout").build());
    assertThat(e.getMessage()).isEqualTo("dev.quarry.Timeout");
    assertThat(e.functionError()).isFalse();
    assertThat(e.getStackTrace()).isNotEmpty(); // the local one
  }

  @Test
  void statusesBecomeQuarryExceptions() {
    QuarryException notFound =
        errors.fromGrpc(
            Status.NOT_FOUND.withDescription("job 'x' not found").asRuntimeException(),
            "getting job x");
    assertThat(notFound.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(notFound.retryable()).isFalse();
    assertThat(notFound.description()).isEqualTo("getting job x: job 'x' not found");
    assertThat(notFound.getMessage()).isEqualTo("NOT_FOUND: getting job x: job 'x' not found");

    QuarryException auth =
        errors.fromGrpc(
            Status.UNAUTHENTICATED.withDescription("bad key").asRuntimeException(), "submitting");
    assertThat(auth.getMessage()).contains("bad key").contains("/home/me/.quarry/config");

    QuarryException down = errors.fromGrpc(Status.UNAVAILABLE.asRuntimeException(), "submitting");
    assertThat(down.retryable()).isTrue();
    assertThat(down.getMessage()).contains("cannot reach the Quarry server at localhost:9090");
  }

  @Test
  void theRetryableTrailerOverridesTheDefault() {
    Metadata trailers = new Metadata();
    trailers.put(Errors.RETRYABLE, "true");
    QuarryException busy =
        errors.fromGrpc(
            Status.RESOURCE_EXHAUSTED.withDescription("slow down").asRuntimeException(trailers),
            "submitting");
    assertThat(busy.retryable()).isTrue();
    assertThat(errors.fromGrpc(Status.RESOURCE_EXHAUSTED.asRuntimeException(), "x").retryable())
        .isFalse();
  }

  @Test
  void theErrorInfoGivesReasonMetadataAndRetryDelay() {
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Status.Code.RESOURCE_EXHAUSTED.value())
            .setMessage("maxJobsInFlight: the tenant has 3 jobs running; the limit is 3")
            .addDetails(
                Any.pack(
                    ErrorInfo.newBuilder()
                        .setReason("QUOTA_EXCEEDED")
                        .setDomain("quarry.dev")
                        .putMetadata("limit", "maxJobsInFlight")
                        .build()))
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(
                            com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(500))
                        .build()))
            .build();
    QuarryException e = errors.fromGrpc(StatusProto.toStatusRuntimeException(status), "submitting");
    assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.reason()).isEqualTo(ErrorReason.QUOTA_EXCEEDED);
    assertThat(e.metadata()).containsExactly(Map.entry("limit", "maxJobsInFlight"));
    assertThat(e.retryDelay()).contains(Duration.ofSeconds(1, 500));
    assertThat(e.description())
        .isEqualTo("submitting: maxJobsInFlight: the tenant has 3 jobs running; the limit is 3");
  }

  @Test
  void aReasonThisClientDoesNotKnowOrFromAnotherDomainIsUnknown() {
    assertThat(errors.fromGrpc(withInfo("SOMETHING_NEWER", "quarry.dev"), "x").reason())
        .isEqualTo(ErrorReason.UNKNOWN);
    QuarryException foreign = errors.fromGrpc(withInfo("JOB_NOT_FOUND", "example.com"), "x");
    assertThat(foreign.reason()).isEqualTo(ErrorReason.UNKNOWN);
    assertThat(foreign.metadata()).isEmpty();
    assertThat(errors.fromGrpc(withInfo("JOB_NOT_FOUND", "quarry.dev"), "x").reason())
        .isEqualTo(ErrorReason.JOB_NOT_FOUND);
    QuarryException plain =
        errors.fromGrpc(
            Status.NOT_FOUND.withDescription("function 'f' not found").asRuntimeException(), "x");
    assertThat(plain.reason()).isEqualTo(ErrorReason.UNKNOWN);
    assertThat(plain.retryDelay()).isEmpty();
  }

  private static StatusRuntimeException withInfo(String reason, String domain) {
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(Status.Code.NOT_FOUND.value())
            .setMessage("not found")
            .addDetails(
                Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain(domain).build()))
            .build());
  }
}
