package dev.quarry.backend.internal.grants;

import java.util.regex.Pattern;

/**
 * The keys one tenant's invocation may be granted: those under {@code tenants/<tenant>/}, made of
 * plain segments (no empty, {@code .} or {@code ..} segment, no backslash or control character), so
 * that no store, whatever it does with such names, resolves a granted key outside that prefix.
 * Every grant (pipe channel, pre-signed URL) is checked here, whatever built the envelope.
 */
public final class TenantScope {
  private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final int MAX_KEY_LENGTH = 1024;

  private final String prefix;

  private TenantScope(String prefix) {
    this.prefix = prefix;
  }

  /**
   * @throws IllegalArgumentException if {@code tenant} is not a tenant id
   */
  public static TenantScope of(String tenant) {
    if (!TENANT.matcher(tenant).matches()) {
      throw new IllegalArgumentException("not a tenant id: '" + shorten(tenant) + "'");
    }
    return new TenantScope("tenants/" + tenant + "/");
  }

  /** Whether {@code key} names an object under this tenant's prefix and nothing else. */
  public boolean contains(String key) {
    if (key.length() <= prefix.length()
        || key.length() > MAX_KEY_LENGTH
        || !key.startsWith(prefix)) {
      return false;
    }
    for (String segment : key.substring(prefix.length()).split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return key.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '\\');
  }

  /**
   * @throws IllegalArgumentException naming the key if it is outside this tenant's prefix
   */
  public String require(String key) {
    if (!contains(key)) {
      throw new IllegalArgumentException(
          "key '" + shorten(key) + "' is outside the invocation's tenant prefix " + prefix);
    }
    return key;
  }

  @Override
  public String toString() {
    return prefix;
  }

  private static String shorten(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }
}
