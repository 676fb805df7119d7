package dev.quarry.server.api;

import java.util.UUID;

/** Parses ids from requests; a malformed id is a 404 for the thing it names. */
public final class Ids {
  private Ids() {}

  public static UUID job(String id) {
    return parse(ErrorReason.JOB_NOT_FOUND, id);
  }

  public static UUID key(String id) {
    return parse(ErrorReason.KEY_NOT_FOUND, id);
  }

  public static UUID workerToken(String id) {
    return parse(ErrorReason.WORKER_TOKEN_NOT_FOUND, id);
  }

  static UUID parse(ErrorReason what, String id) {
    if (id.length() == 36) {
      try {
        return UUID.fromString(id);
      } catch (IllegalArgumentException e) {
        // fall through
      }
    }
    throw ApiException.notFound(what, id.length() > 64 ? id.substring(0, 64) + "..." : id);
  }
}
