package dev.quarry.server.grpc;

import dev.quarry.server.auth.Principal;
import dev.quarry.server.security.BearerAuthenticator;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import org.springframework.stereotype.Component;

/** Authenticates every call from the {@code authorization} metadata entry (as REST does). */
@Component
public class AuthInterceptor implements ServerInterceptor {
  static final Context.Key<Principal> PRINCIPAL = Context.key("quarry-principal");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final BearerAuthenticator authenticator;

  public AuthInterceptor(BearerAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Principal principal;
    try {
      principal = authenticator.authenticate(headers.get(AUTHORIZATION));
    } catch (RuntimeException e) {
      StatusRuntimeException failure = GrpcErrors.exception(e);
      call.close(failure.getStatus(), failure.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        Context.current().withValue(PRINCIPAL, principal), call, headers, next);
  }

  static Principal principal() {
    return PRINCIPAL.get();
  }
}
