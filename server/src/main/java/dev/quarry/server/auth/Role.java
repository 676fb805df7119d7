package dev.quarry.server.auth;

/** What a key may do: viewers read, members also submit and cancel, admins also manage. */
public enum Role {
  VIEWER,
  MEMBER,
  ADMIN;

  public boolean allows(Role needed) {
    return compareTo(needed) >= 0;
  }

  public String dbName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
