package dev.quarry.server.grpc;

import dev.quarry.server.observability.RequestIds;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Gives every call an id (the caller's {@code x-request-id} metadata if valid), puts it in the
 * logging context while the call's handlers run, and answers it in the response headers.
 */
final class RequestIdInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> KEY =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String id = RequestIds.accept(headers.get(KEY));
    ServerCall<Q, R> answering =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata responseHeaders) {
            responseHeaders.put(KEY, id);
            super.sendHeaders(responseHeaders);
          }
        };
    ServerCall.Listener<Q> listener = get(id, () -> next.startCall(answering, headers));
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        within(id, () -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        within(id, super::onHalfClose);
      }

      @Override
      public void onCancel() {
        within(id, super::onCancel);
      }

      @Override
      public void onComplete() {
        within(id, super::onComplete);
      }

      @Override
      public void onReady() {
        within(id, super::onReady);
      }
    };
  }

  private static void within(String id, Runnable r) {
    get(
        id,
        () -> {
          r.run();
          return null;
        });
  }

  private static <T> T get(String id, Supplier<T> s) {
    MDC.put(RequestIds.MDC_KEY, id);
    try {
      return s.get();
    } finally {
      MDC.remove(RequestIds.MDC_KEY);
    }
  }
}
