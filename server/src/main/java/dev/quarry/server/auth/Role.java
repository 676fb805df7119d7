package dev.quarry.server.auth;

import java.util.Locale;

/**
 * What a key may do. Tenant roles are ordered: viewers read, members also submit and cancel, admins
 * also manage keys. The operator key manages tenants and nothing inside them.
 */
public enum Role {
  VIEWER,
  MEMBER,
  ADMIN,
  OPERATOR;

  public boolean allows(Role needed) {
    if (this == OPERATOR || needed == OPERATOR) {
      return this == needed;
    }
    return compareTo(needed) >= 0;
  }

  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException unless {@code name} is viewer, member or admin
   */
  public static Role ofTenantRole(String name) {
    return switch (name) {
      case "viewer" -> VIEWER;
      case "member" -> MEMBER;
      case "admin" -> ADMIN;
      default ->
          throw new IllegalArgumentException(
              "role must be one of viewer, member, admin; got '" + name + "'");
    };
  }
}
