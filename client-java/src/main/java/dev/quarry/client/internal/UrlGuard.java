package dev.quarry.client.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a URL a tenant gave for a map over HTTP(S) data before anything connects to it (against
 * server-side request forgery): only {@code http} and {@code https}, no user info, at most {@value
 * #MAX_URL_LENGTH} characters, and every address the host resolves to must be public — not
 * loopback, link-local (169.254.0.0/16, the cloud metadata address included), private, shared
 * (100.64.0.0/10), multicast, unspecified or reserved, also when embedded in an IPv6 address. The
 * server checks before its HEAD; the worker checks again before its Range GET. Hosts in {@code
 * allowedPrivateHosts} (the URL's host exactly as written, e.g. {@code 127.0.0.1}) skip the address
 * check: a setting for tests and trusted networks.
 */
public final class UrlGuard {
  /** Longest URL accepted. */
  public static final int MAX_URL_LENGTH = 2048;

  private final Set<String> allowedPrivateHosts;

  public UrlGuard(Collection<String> allowedPrivateHosts) {
    this.allowedPrivateHosts =
        Set.copyOf(allowedPrivateHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
  }

  /** A URL refused by the guard; the message says why (never with the URL's query). */
  public static final class RefusedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }

  /**
   * The URL, parsed and checked, with the addresses its host resolved to.
   *
   * @throws RefusedException if the URL breaks a rule or its host does not resolve
   */
  public Checked check(String text) {
    URI uri = parse(text);
    String host = host(uri);
    List<InetAddress> addresses;
    try {
      addresses = List.of(InetAddress.getAllByName(host));
    } catch (UnknownHostException e) {
      throw new RefusedException("the host '" + host + "' does not resolve");
    }
    if (!allowedPrivateHosts.contains(host)) {
      for (InetAddress a : addresses) {
        if (!isPublic(a)) {
          throw new RefusedException(
              "the host '"
                  + host
                  + "' resolves to "
                  + a.getHostAddress()
                  + ", a loopback, private, link-local or reserved address");
        }
      }
    }
    return new Checked(uri, addresses, allowedPrivateHosts.contains(host));
  }

  /** A checked URL; {@code privateAllowed} when its host is one of the allowed private hosts. */
  public record Checked(URI uri, List<InetAddress> addresses, boolean privateAllowed) {}

  /**
   * The URL parsed, with only the syntactic rules checked (no DNS).
   *
   * @throws RefusedException if it is too long, not absolute http(s), has user info or no host
   */
  public static URI parse(String text) {
    if (text.length() > MAX_URL_LENGTH) {
      throw new RefusedException(
          "a URL may have at most " + MAX_URL_LENGTH + " characters, got " + text.length());
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new RefusedException("not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new RefusedException("only http and https URLs, not '" + scheme + ":'");
    }
    if (uri.getRawUserInfo() != null) {
      throw new RefusedException("a URL must not carry user info (user:password@)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new RefusedException("the URL has no valid host name");
    }
    return uri;
  }

  private static String host(URI uri) {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** Whether {@code a} is a public unicast address. */
  public static boolean isPublic(InetAddress a) {
    if (a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      return isPublicV4(b);
    }
    if (a instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return false; // unique local fc00::/7
      }
      if (first == 0x20 && b[1] == 0x02) {
        return isPublicV4(slice(b, 2)); // 6to4 2002::/16 embeds an IPv4 address
      }
      if (first == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
        return isPublicV4(slice(b, 12)); // NAT64 64:ff9b::/96
      }
      boolean zeros = true;
      for (int i = 0; i < 12; i++) {
        zeros &= b[i] == 0;
      }
      return !zeros || isPublicV4(slice(b, 12)); // IPv4-compatible ::a.b.c.d
    }
    return false;
  }

  private static byte[] slice(byte[] b, int from) {
    return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
  }

  private static boolean isPublicV4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    return !(a0 == 0
        || a0 == 10
        || a0 == 127
        || a0 >= 224 // multicast 224/4, reserved 240/4, broadcast
        || a0 == 100 && a1 >= 64 && a1 < 128 // shared 100.64/10
        || a0 == 169 && a1 == 254
        || a0 == 172 && a1 >= 16 && a1 < 32
        || a0 == 192 && a1 == 168
        || a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0 // 192.0.0.0/24
        || a0 == 198 && (a1 == 18 || a1 == 19)); // benchmarking 198.18/15
  }
}
