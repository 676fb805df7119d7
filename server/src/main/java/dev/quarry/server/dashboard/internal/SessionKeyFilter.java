package dev.quarry.server.dashboard.internal;

import dev.quarry.server.auth.ApiKeyService;
import dev.quarry.server.security.QuarryAuthentication;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a dashboard session whose key was revoked (or whose tenant was disabled) since sign-in: the
 * key is checked again at most every {@link #RECHECK} per key, and a session of a dead key is
 * invalidated, so the request goes on anonymous and lands on the sign-in page. Not a bean, so the
 * container does not run it outside the dashboard's chain.
 */
final class SessionKeyFilter extends OncePerRequestFilter {
  static final Duration RECHECK = Duration.ofSeconds(10);
  private static final int MAX_ENTRIES = 10_000;

  private final ApiKeyService keys;
  private final Clock clock;
  private final Map<UUID, Instant> usableUntil = new ConcurrentHashMap<>();

  SessionKeyFilter(ApiKeyService keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (SecurityContextHolder.getContext().getAuthentication() instanceof QuarryAuthentication a
        && !usable(a)) {
      HttpSession session = request.getSession(false);
      if (session != null) {
        session.invalidate();
      }
      SecurityContextHolder.clearContext();
    }
    chain.doFilter(request, response);
  }

  private boolean usable(QuarryAuthentication a) {
    Instant now = clock.instant();
    Instant until = usableUntil.get(a.caller().keyId());
    if (until != null && until.isAfter(now)) {
      return true;
    }
    if (!keys.stillUsable(a.caller())) {
      usableUntil.remove(a.caller().keyId());
      return false;
    }
    if (usableUntil.size() > MAX_ENTRIES) {
      usableUntil.clear();
    }
    usableUntil.put(a.caller().keyId(), now.plus(RECHECK));
    return true;
  }
}
