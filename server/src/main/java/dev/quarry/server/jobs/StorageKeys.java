package dev.quarry.server.jobs;

import java.util.UUID;

/** Where things live in object storage; every key starts with the tenant. */
public final class StorageKeys {
  private StorageKeys() {}

  public static String blob(String tenant, String digest) {
    return "tenants/" + tenant + "/blobs/" + digest;
  }

  public static String functionManifest(String tenant, String bundleDigest) {
    return "tenants/" + tenant + "/functions/" + bundleDigest;
  }

  public static String input(String tenant, UUID job, int index) {
    return "tenants/" + tenant + "/jobs/" + job + "/inputs/" + index;
  }

  public static String result(String tenant, UUID job, int index, int attempt) {
    return "tenants/" + tenant + "/jobs/" + job + "/results/" + index + "." + attempt;
  }

  /** What one attempt of a future printed to stdout and stderr. */
  public static String log(String tenant, UUID job, int index, int attempt) {
    return "tenants/" + tenant + "/jobs/" + job + "/logs/" + index + "." + attempt;
  }
}
