package dev.quarry.server.backend.kubernetes;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kubernetes backend ({@code quarry.kubernetes.*}).
 *
 * @param serverAddress {@code host:port} of this server's gRPC port as worker pods reach it (for
 *     example the Service {@code quarry.quarry.svc:9090}); profiles of kind {@code kubernetes} are
 *     refused while it is empty
 * @param allowInsecureApiServer accept plain-HTTP, loopback and link-local API servers and
 *     insecure-skip-tls-verify in credentials (tests and local clusters only)
 * @param scaleInterval how often each lane's pods are scaled to its backlog (100ms..1m)
 * @param finishedTtl how long a finished Kubernetes Job is kept (1s..1d)
 */
@ConfigurationProperties("quarry.kubernetes")
public record KubernetesProperties(
    @DefaultValue("") String serverAddress,
    @DefaultValue("false") boolean allowInsecureApiServer,
    @DefaultValue("2s") Duration scaleInterval,
    @DefaultValue("5m") Duration finishedTtl) {
  public KubernetesProperties {
    if (scaleInterval.compareTo(Duration.ofMillis(100)) < 0
        || scaleInterval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException(
          "quarry.kubernetes.scale-interval must be between 100ms and 1m, got " + scaleInterval);
    }
    if (finishedTtl.compareTo(Duration.ofSeconds(1)) < 0
        || finishedTtl.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "quarry.kubernetes.finished-ttl must be between 1s and 1d, got " + finishedTtl);
    }
    if (!serverAddress.isEmpty() && !serverAddress.matches("[A-Za-z0-9.-]{1,253}:[0-9]{1,5}")) {
      throw new IllegalArgumentException(
          "quarry.kubernetes.server-address must be host:port, got '" + serverAddress + "'");
    }
  }
}
