package dev.quarry.server.auth;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** A row of {@code api_keys}: a key's public part and the SHA-256 of its secret. */
@Entity
@Table(name = "api_keys")
public class ApiKeyEntity extends HashedSecretEntity {
  private String role;

  protected ApiKeyEntity() {
    this(new UUID(0, 0), "", "", new byte[0], "", "");
  }

  ApiKeyEntity(
      UUID id, String tenantId, String prefix, byte[] secretHash, String name, String role) {
    super(id, tenantId, prefix, secretHash, name);
    this.role = role;
  }

  /** The role as stored: {@code admin}, {@code member} or {@code viewer}. */
  public String getRole() {
    return role;
  }
}
