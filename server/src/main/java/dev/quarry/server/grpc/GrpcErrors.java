package dev.quarry.server.grpc;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.storage.InvalidKeyException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps exceptions to gRPC statuses with a clear description (the REST mapping's twin). */
final class GrpcErrors {
  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

  private GrpcErrors() {}

  static Status status(Throwable e) {
    if (e instanceof ApiException api) {
      return Status.fromCode(api.code().grpcCode()).withDescription(api.getMessage());
    }
    if (e instanceof StatusRuntimeException sre) {
      return sre.getStatus();
    }
    if (e instanceof InvalidKeyException ik) {
      return Status.fromCode(ErrorCode.INVALID_ARGUMENT.grpcCode()).withDescription(ik.getMessage());
    }
    log.error("Unexpected error in a gRPC call", e);
    return Status.INTERNAL.withDescription("internal error: " + e.getClass().getSimpleName());
  }

  private static final io.grpc.Metadata.Key<String> RETRYABLE =
      io.grpc.Metadata.Key.of("quarry-retryable", io.grpc.Metadata.ASCII_STRING_MARSHALLER);

  /** Trailers telling the client whether trying again may help (e.g. a rate limit). */
  static io.grpc.Metadata trailers(Throwable e) {
    io.grpc.Metadata md = new io.grpc.Metadata();
    boolean retryable = e instanceof ApiException api ? api.code().retryable() : !(e instanceof InvalidKeyException);
    md.put(RETRYABLE, Boolean.toString(retryable));
    return md;
  }

  static void fail(StreamObserver<?> observer, Throwable e) {
    observer.onError(status(e).asRuntimeException(trailers(e)));
  }
}
