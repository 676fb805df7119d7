package dev.quarry.server.security;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.server.api.JsonErrors;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.storage.FunctionStorageTokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request that carries an {@code Authorization} header; a request without one goes
 * on anonymous and the chain's rules answer 401. A function storage token ({@code qf_...}, ADR
 * 0024) opens only the Storage API routes: elsewhere it is refused (401) before any lookup. Not a
 * bean, so the servlet container does not run it outside the security chain.
 */
final class BearerKeyFilter extends OncePerRequestFilter {
  private static final RequestMatcher STORAGE_ROUTES =
      PathPatternRequestMatcher.withDefaults().matcher("/v1/storage/**");

  private final BearerAuthenticator authenticator;

  BearerKeyFilter(BearerAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    if (header == null) {
      chain.doFilter(request, response);
      return;
    }
    try {
      SecurityContext context = SecurityContextHolder.createEmptyContext();
      Principal caller;
      if (FunctionStorageTokens.presents(header)) {
        if (!STORAGE_ROUTES.matches(request)) {
          throw new ApiException(
              ErrorCode.UNAUTHENTICATED,
              "a function storage token opens only the Storage API (/v1/storage/**)");
        }
        caller = authenticator.authenticateStorageToken(header);
      } else {
        caller = authenticator.authenticate(header);
      }
      context.setAuthentication(new QuarryAuthentication(caller));
      SecurityContextHolder.setContext(context);
    } catch (ApiException e) {
      JsonErrors.write(response, e);
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }
}
