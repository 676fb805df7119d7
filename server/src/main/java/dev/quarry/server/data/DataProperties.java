package dev.quarry.server.data;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of maps over stored data and HTTP(S) URLs ({@code quarry.data.*}).
 *
 * @param urlAllowedPrivateHosts hosts (exactly as written in a URL, e.g. {@code 127.0.0.1}) whose
 *     URLs may resolve to loopback, private or link-local addresses; empty (the default) refuses
 *     every such URL. For tests and trusted networks only: a tenant could otherwise reach the
 *     server's own network. At most {@value #MAX_ALLOWED_HOSTS}.
 * @param urlTimeout the longest the server waits for one URL's answer to {@code HEAD} (1 s to 1
 *     min)
 * @param urlPlanTimeout the longest planning all URLs of one map may take (1 s to 5 min)
 */
@ConfigurationProperties("quarry.data")
public record DataProperties(
    @DefaultValue List<String> urlAllowedPrivateHosts,
    @DefaultValue("10s") Duration urlTimeout,
    @DefaultValue("60s") Duration urlPlanTimeout) {
  /** Most hosts {@code url-allowed-private-hosts} may list. */
  public static final int MAX_ALLOWED_HOSTS = 100;

  public DataProperties {
    urlAllowedPrivateHosts = List.copyOf(urlAllowedPrivateHosts);
    if (urlAllowedPrivateHosts.size() > MAX_ALLOWED_HOSTS) {
      throw new IllegalArgumentException(
          "quarry.data.url-allowed-private-hosts may list at most " + MAX_ALLOWED_HOSTS + " hosts");
    }
    within("url-timeout", urlTimeout, Duration.ofMinutes(1));
    within("url-plan-timeout", urlPlanTimeout, Duration.ofMinutes(5));
  }

  private static void within(String name, Duration value, Duration max) {
    if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "quarry.data." + name + " must be between 1s and " + max + ", not " + value);
    }
  }
}
