package dev.quarry.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UrlGuardTest {
  private final UrlGuard guard = new UrlGuard(List.of());

  @Test
  void refusesNonPublicAddressesInEveryForm() throws Exception {
    for (String address :
        List.of(
            "127.0.0.1",
            "127.1.2.3",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "198.18.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::10.0.0.1",
            "2002:a9fe:a9fe::1",
            "64:ff9b::7f00:1")) {
      assertThat(UrlGuard.isPublic(InetAddress.getByName(address))).as(address).isFalse();
    }
    for (String address : List.of("8.8.8.8", "93.184.216.34", "172.32.0.1", "2606:4700::1111")) {
      assertThat(UrlGuard.isPublic(InetAddress.getByName(address))).as(address).isTrue();
    }
  }

  @Test
  void refusesBadUrlsWithAReason() {
    assertThatThrownBy(() -> guard.check("http://169.254.169.254/latest/meta-data/"))
        .isInstanceOf(UrlGuard.RefusedException.class)
        .hasMessageContaining("169.254.169.254");
    assertThatThrownBy(() -> guard.check("http://localhost:8080/x?token=hidden"))
        .hasMessageContaining("localhost")
        .hasMessageNotContaining("hidden");
    assertThatThrownBy(() -> guard.check("file:///etc/passwd")).hasMessageContaining("http");
    assertThatThrownBy(() -> guard.check("ftp://example.com/x")).hasMessageContaining("'ftp:'");
    assertThatThrownBy(() -> guard.check("http://u:p@example.com/")).hasMessageContaining("user");
    assertThatThrownBy(() -> guard.check("http:///x")).hasMessageContaining("host");
    assertThatThrownBy(() -> guard.check("http://e.com/" + "a".repeat(UrlGuard.MAX_URL_LENGTH)))
        .hasMessageContaining("at most");
    assertThatThrownBy(() -> guard.check("http://no-such-host.invalid/"))
        .hasMessageContaining("does not resolve");
  }

  @Test
  void anAllowedHostSkipsOnlyItsOwnAddressCheck() {
    UrlGuard allowing = new UrlGuard(List.of("127.0.0.1"));
    assertThat(allowing.check("http://127.0.0.1:9/x").privateAllowed()).isTrue();
    assertThatThrownBy(() -> allowing.check("http://localhost:9/x"))
        .isInstanceOf(UrlGuard.RefusedException.class);
    assertThatThrownBy(() -> allowing.check("http://127.0.0.2:9/x"))
        .isInstanceOf(UrlGuard.RefusedException.class);
  }

  @Test
  void rangesSplitAnywhereHoldEveryLineExactlyOnce() throws IOException {
    String text = "alpha beta\n\ngamma\nlong line of several words here\nx\nlast";
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    for (int a = 0; a <= bytes.length; a++) {
      for (int b = a; b <= bytes.length; b++) {
        String joined = read(bytes, 0, a) + read(bytes, a, b) + read(bytes, b, bytes.length);
        assertThat(joined).as("split at %d and %d", a, b).isEqualTo(text);
      }
    }
  }

  private static String read(byte[] bytes, int start, int end) throws IOException {
    int from = start == 0 ? 0 : start - 1;
    try (var lines =
        new UrlRanges.Lines(
            new ByteArrayInputStream(bytes, from, bytes.length - from), from, start, end)) {
      return new String(lines.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}
