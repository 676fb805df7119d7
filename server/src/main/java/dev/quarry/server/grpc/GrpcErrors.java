package dev.quarry.server.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.api.JsonErrors;
import dev.quarry.storage.InvalidKeyException;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps exceptions to gRPC statuses (the REST mapping's twin): the code, the message as its
 * description, a {@code google.rpc.ErrorInfo} detail with the {@link ErrorReason} (domain {@value
 * ErrorReason#DOMAIN}) and its metadata, a {@code google.rpc.RetryInfo} on {@code
 * RESOURCE_EXHAUSTED}, and the {@code quarry-retryable} trailer older clients read.
 */
final class GrpcErrors {
  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);
  private static final Metadata.Key<String> RETRYABLE =
      Metadata.Key.of("quarry-retryable", Metadata.ASCII_STRING_MARSHALLER);

  private GrpcErrors() {}

  /** The exception to close a call with; its status and trailers carry everything above. */
  static StatusRuntimeException exception(Throwable e) {
    if (e instanceof StatusRuntimeException sre) {
      return sre;
    }
    ApiException api = asApi(e);
    ErrorCode code = api.code();
    ErrorInfo info =
        ErrorInfo.newBuilder()
            .setReason(api.reason().name())
            .setDomain(ErrorReason.DOMAIN)
            .putAllMetadata(api.metadata())
            .build();
    Status.Builder status =
        Status.newBuilder()
            .setCode(code.grpcCode().value())
            .setMessage(String.valueOf(api.getMessage()))
            .addDetails(Any.pack(info));
    if (code == ErrorCode.RESOURCE_EXHAUSTED) {
      Duration delay = Duration.newBuilder().setSeconds(JsonErrors.RETRY_AFTER.toSeconds()).build();
      status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(delay).build()));
    }
    Metadata trailers = new Metadata();
    trailers.put(RETRYABLE, Boolean.toString(code.retryable()));
    return StatusProto.toStatusRuntimeException(status.build(), trailers);
  }

  private static ApiException asApi(Throwable e) {
    if (e instanceof ApiException api) {
      return api;
    }
    if (e instanceof InvalidKeyException ik) {
      return ApiException.invalid(String.valueOf(ik.getMessage()));
    }
    log.error("Unexpected error in a gRPC call", e);
    return new ApiException(
        ErrorReason.INTERNAL, "internal error: " + e.getClass().getSimpleName());
  }

  static void fail(StreamObserver<?> observer, Throwable e) {
    observer.onError(exception(e));
  }
}
