package dev.quarry.client.internal;

import dev.quarry.client.ClientOptions;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import java.util.Map;

/** Builds the gRPC channel to a Quarry server. */
public final class Channels {
  static final String USER_AGENT = "quarry-java-client";

  /** Idempotent calls that gRPC may retry by itself when the server is briefly unavailable. */
  private static final List<String> RETRIED_METHODS =
      List.of("FindMissingBlobs", "RegisterFunction", "ListFunctions", "GetJob", "CancelJob");

  /**
   * Initial HTTP/2 window per stream: 8 MiB keeps several 1 MiB storage chunks in flight (gRPC's 1
   * MiB default stalls a large get or put for a round trip per chunk).
   */
  static final int FLOW_CONTROL_WINDOW = 8 << 20;

  private Channels() {}

  /**
   * A channel to {@code config.target()} (one {@code host:port}, or several separated by commas,
   * tried in order: see {@link AddressList}); the API key is added by {@link AuthInterceptor}.
   *
   * @throws IllegalArgumentException if an entry of an address list is not {@code host:port}
   */
  public static ManagedChannel open(ClientConfig config, ClientOptions options) {
    ChannelCredentials credentials =
        config.tls() ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
    return NettyChannelBuilder.forTarget(AddressList.grpcTarget(config.target()), credentials)
        .maxInboundMessageSize(options.maxInboundMessageSize())
        .initialFlowControlWindow(FLOW_CONTROL_WINDOW)
        .userAgent(USER_AGENT)
        .enableRetry()
        .defaultServiceConfig(serviceConfig())
        .build();
  }

  /** Retry policy for the idempotent unary methods (UNAVAILABLE only). */
  static Map<String, ?> serviceConfig() {
    List<Map<String, ?>> names =
        RETRIED_METHODS.stream()
            .<Map<String, ?>>map(m -> Map.of("service", "quarry.v1.JobService", "method", m))
            .toList();
    Map<String, ?> retry =
        Map.of(
            "maxAttempts",
            4.0,
            "initialBackoff",
            "0.1s",
            "maxBackoff",
            "2s",
            "backoffMultiplier",
            2.0,
            "retryableStatusCodes",
            List.of("UNAVAILABLE"));
    return Map.of("methodConfig", List.of(Map.of("name", names, "retryPolicy", retry)));
  }
}
