package dev.quarry.server.security;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.JsonErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request that carries an {@code Authorization} header; a request without one goes
 * on anonymous and the chain's rules answer 401. Not a bean, so the servlet container does not run
 * it outside the security chain.
 */
final class BearerKeyFilter extends OncePerRequestFilter {
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
      context.setAuthentication(new QuarryAuthentication(authenticator.authenticate(header)));
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
