package dev.quarry.server.backend;

import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which credentials a profile of one backend kind may name.
 *
 * @param required whether a profile must name one
 * @param kinds the credential kinds accepted; empty means any kind (the plug-in does not read it)
 */
public record CredentialRule(boolean required, Set<String> kinds) {
  /** Any credential or none; the backend does not use it. */
  public static final CredentialRule ANY = new CredentialRule(false, Set.of());

  public CredentialRule {
    kinds = Set.copyOf(kinds);
  }

  /** A credential of one of {@code kinds} is required. */
  public static CredentialRule required(String... kinds) {
    return new CredentialRule(true, Set.of(kinds));
  }

  /** Whether a profile naming a credential of {@code kind} (null: none) is accepted. */
  public boolean accepts(@Nullable String kind) {
    if (kind == null) {
      return !required;
    }
    return kinds.isEmpty() || kinds.contains(kind);
  }

  /** What {@code backend} profiles need, for error messages. */
  public String describe(String backend) {
    String of = kinds.isEmpty() ? "" : " of kind " + String.join(" or ", new TreeSet<>(kinds));
    return backend
        + " profiles "
        + (required ? "need a credential" : "may only name a credential")
        + of;
  }
}
