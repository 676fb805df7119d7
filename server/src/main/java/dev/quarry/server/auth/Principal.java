package dev.quarry.server.auth;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorCode;
import java.io.Serializable;
import java.util.UUID;

/** The authenticated caller of one request. */
public record Principal(String tenantId, UUID keyId, Role role) implements Serializable {

  /**
   * @throws ApiException PERMISSION_DENIED when this caller's role is below {@code needed}
   */
  public void require(Role needed) {
    if (!role.allows(needed)) {
      throw new ApiException(
          ErrorCode.PERMISSION_DENIED,
          "this API key has role " + role.dbName() + "; the call needs " + needed.dbName());
    }
  }
}
