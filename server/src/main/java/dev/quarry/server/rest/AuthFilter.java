package dev.quarry.server.rest;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.auth.ApiKeyService;
import dev.quarry.server.auth.Principal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates every {@code /v1/} request from its {@code Authorization: Bearer} header. */
@Component
public class AuthFilter extends OncePerRequestFilter {
  static final String PRINCIPAL = "quarry.principal";
  private final ApiKeyService keys;
  private final dev.quarry.server.limits.RequestRateLimiter rateLimiter;

  public AuthFilter(ApiKeyService keys, dev.quarry.server.limits.RequestRateLimiter rateLimiter) {
    this.keys = keys;
    this.rateLimiter = rateLimiter;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/v1/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Principal principal;
    try {
      principal = keys.authenticate(request.getHeader("Authorization"));
      rateLimiter.check(principal);
    } catch (ApiException e) {
      RestErrors.write(response, e.code(), e.getMessage());
      return;
    }
    request.setAttribute(PRINCIPAL, principal);
    chain.doFilter(request, response);
  }
}
