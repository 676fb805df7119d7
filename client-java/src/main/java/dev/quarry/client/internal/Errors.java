package dev.quarry.client.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.QuarryException;
import dev.quarry.client.RemoteFunctionException;
import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.StackFrame;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Turns gRPC failures and remote errors into the client's exceptions. */
public final class Errors {
  /** Optional trailer by which the server says whether a failed call may be retried. */
  static final Metadata.Key<String> RETRYABLE =
      Metadata.Key.of("quarry-retryable", Metadata.ASCII_STRING_MARSHALLER);

  private final String target;
  private final String keySource;

  /**
   * @param target the server address, for "cannot reach" messages
   * @param keySource where the API key came from, for UNAUTHENTICATED messages
   */
  public Errors(String target, String keySource) {
    this.target = target;
    this.keySource = keySource;
  }

  /**
   * A {@link QuarryException} for a failed call, with the reason, metadata and retry delay of the
   * status's {@code google.rpc.ErrorInfo} and {@code RetryInfo} details; {@code action} says what
   * was attempted.
   */
  public QuarryException fromGrpc(Throwable t, String action) {
    Status status = Status.fromThrowable(t);
    String description = status.getDescription();
    if (description == null || description.isBlank()) {
      description = status.getCause() != null ? String.valueOf(status.getCause()) : "no details";
    }
    String text =
        switch (status.getCode()) {
          case UNAVAILABLE ->
              action + ": cannot reach the Quarry server at " + target + " (" + description + ")";
          case UNAUTHENTICATED -> action + ": " + description + " (API key: " + keySource + ")";
          default -> action + ": " + description;
        };
    boolean retryable = QuarryException.isRetryable(status.getCode());
    Metadata trailers = Status.trailersFromThrowable(t);
    if (trailers != null && trailers.get(RETRYABLE) != null) {
      retryable = Boolean.parseBoolean(trailers.get(RETRYABLE));
    }
    ErrorReason reason = ErrorReason.UNKNOWN;
    Map<String, String> metadata = Map.of();
    @Nullable Duration retryDelay = null;
    var details = StatusProto.fromThrowable(t);
    for (Any detail : details == null ? List.<Any>of() : details.getDetailsList()) {
      try {
        if (detail.is(ErrorInfo.class)) {
          ErrorInfo info = detail.unpack(ErrorInfo.class);
          if (ErrorReason.DOMAIN.equals(info.getDomain())) {
            reason = ErrorReason.of(info.getReason());
            metadata = info.getMetadataMap();
          }
        } else if (detail.is(RetryInfo.class)) {
          var delay = detail.unpack(RetryInfo.class).getRetryDelay();
          retryDelay = Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
        }
      } catch (InvalidProtocolBufferException e) {
        // a damaged detail: the code and the description still say what happened
      }
    }
    return new QuarryException(status.getCode(), text, retryable, reason, metadata, retryDelay, t);
  }

  /** The exception a failed future completes with. */
  public static RemoteFunctionException remote(RemoteError error) {
    List<StackTraceElement> frames = error.getStackList().stream().map(Errors::frame).toList();
    String type = error.getType().isEmpty() ? "unknown error" : error.getType();
    return new RemoteFunctionException(
        type, error.getMessage(), error.getStackTraceText(), error.getFunctionError(), frames);
  }

  private static StackTraceElement frame(StackFrame f) {
    @Nullable String file = f.getFileName().isEmpty() ? null : f.getFileName();
    int line = f.getLineNumber() == 0 ? -1 : f.getLineNumber();
    String cls = f.getClassName().isEmpty() ? "<unknown>" : f.getClassName();
    String method = f.getMethodName().isEmpty() ? "<unknown>" : f.getMethodName();
    return new StackTraceElement(cls, method, file, line);
  }
}
