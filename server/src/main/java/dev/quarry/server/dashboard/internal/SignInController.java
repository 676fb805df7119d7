package dev.quarry.server.dashboard.internal;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.security.BearerAuthenticator;
import dev.quarry.server.security.QuarryAuthentication;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Signing in with an API key (or the operator key): the key is checked like a bearer key (same
 * lookup, same rate limit), never stored in the session; the session gets a fresh id and the
 * caller. Sign-out is Spring Security's {@code POST /logout}.
 */
@Controller
class SignInController {
  /** Longer than any key the server issues; a longer field is refused before any lookup. */
  static final int MAX_KEY_CHARS = 256;

  private final BearerAuthenticator authenticator;
  private final SecurityContextRepository contexts;

  SignInController(BearerAuthenticator authenticator, SecurityContextRepository contexts) {
    this.authenticator = authenticator;
    this.contexts = contexts;
  }

  @GetMapping("/login")
  String form() {
    return "dashboard/login";
  }

  @PostMapping("/login")
  String signIn(
      @RequestParam(defaultValue = "") String key,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Principal caller = check(key.strip());
    if (caller == null) {
      model.addAttribute("error", "That key is not valid (unknown, revoked, or mistyped).");
      response.setStatus(401);
      return "dashboard/login";
    }
    request.getSession(true);
    request.changeSessionId();
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(QuarryAuthentication.of(caller));
    SecurityContextHolder.setContext(context);
    contexts.saveContext(context, request, response);
    return "redirect:/";
  }

  private @Nullable Principal check(String key) {
    if (key.isEmpty() || key.length() > MAX_KEY_CHARS) {
      return null;
    }
    try {
      return authenticator.authenticate("Bearer " + key);
    } catch (ApiException e) {
      return null;
    }
  }
}
