package dev.quarry.server.grpc;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.auth.ApiKeyService;
import dev.quarry.server.auth.Principal;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import org.springframework.stereotype.Component;

/** Authenticates every call from the {@code authorization} metadata entry. */
@Component
public class AuthInterceptor implements ServerInterceptor {
  static final Context.Key<Principal> PRINCIPAL = Context.key("quarry-principal");
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ApiKeyService keys;
  private final dev.quarry.server.limits.RequestRateLimiter rateLimiter;

  public AuthInterceptor(ApiKeyService keys, dev.quarry.server.limits.RequestRateLimiter rateLimiter) {
    this.keys = keys;
    this.rateLimiter = rateLimiter;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Principal principal;
    try {
      principal = keys.authenticate(headers.get(AUTHORIZATION));
      rateLimiter.check(principal);
    } catch (ApiException e) {
      call.close(GrpcErrors.status(e), GrpcErrors.trailers(e));
      return new ServerCall.Listener<>() {};
    } catch (RuntimeException e) {
      call.close(GrpcErrors.status(e), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        Context.current().withValue(PRINCIPAL, principal), call, headers, next);
  }

  static Principal principal() {
    return PRINCIPAL.get();
  }
}
