package dev.quarry.client.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import org.jspecify.annotations.Nullable;

/** Adds {@code authorization: Bearer <key>} to every call (nothing when there is no key). */
public final class AuthInterceptor implements ClientInterceptor {
  /** The metadata key the server reads. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final @Nullable String header;

  /**
   * @param apiKey the key, or null to send none
   */
  public AuthInterceptor(@Nullable String apiKey) {
    this.header = apiKey == null ? null : "Bearer " + apiKey;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions callOptions, Channel next) {
    ClientCall<Q, R> call = next.newCall(method, callOptions);
    if (header == null) {
      return call;
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        headers.put(AUTHORIZATION, header);
        super.start(listener, headers);
      }
    };
  }

  @Override
  public String toString() {
    return "AuthInterceptor[" + (header == null ? "no key" : "Bearer ***") + "]";
  }
}
