package dev.quarry.server.security;

import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A caller authenticated by API key, with its role as the authority {@code ROLE_<ROLE>}. */
public final class QuarryAuthentication extends AbstractAuthenticationToken {
  private final Principal caller;

  QuarryAuthentication(Principal caller) {
    super(List.of(new SimpleGrantedAuthority(authority(caller.role()))));
    this.caller = caller;
    setAuthenticated(true);
  }

  /** The authentication of {@code caller}, e.g. for a dashboard session signed in with a key. */
  public static QuarryAuthentication of(Principal caller) {
    return new QuarryAuthentication(caller);
  }

  static String authority(Role role) {
    return "ROLE_" + role.name();
  }

  /** The caller as the services know it. */
  public Principal caller() {
    return caller;
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public Object getPrincipal() {
    return caller;
  }

  @Override
  public String getName() {
    return caller.keyId().toString();
  }
}
