package dev.quarry.client.internal;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.QuarryException;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One connection of a client facade ({@code QuarryJobs}, {@code QuarryAdmin}, {@code
 * QuarryRuntimes}): the channel, the API key on every call, and gRPC failures turned into {@link
 * QuarryException}s that say what was being done.
 */
public final class Connection implements AutoCloseable {
  private final ManagedChannel channel;
  private final AuthInterceptor auth;
  private final Errors errors;

  private Connection(ManagedChannel channel, ClientConfig config) {
    this.channel = channel;
    this.auth = new AuthInterceptor(config.apiKey());
    this.errors = new Errors(config.target(), config.keySource());
  }

  /** Opens a channel to the configured server; it connects lazily. */
  public static Connection open(ClientConfig config, ClientOptions options) {
    return new Connection(Channels.open(config, options), config);
  }

  public ManagedChannel channel() {
    return channel;
  }

  /** Adds the API key to each call; stubs take it with {@code withInterceptors}. */
  public ClientInterceptor auth() {
    return auth;
  }

  /**
   * Runs {@code rpc}, turning a gRPC failure into a {@link QuarryException} about {@code action}.
   */
  public <T> T call(String action, Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw errors.fromGrpc(e, action);
    }
  }

  /** A failure of {@code action} (e.g. a stream's error) as a {@link QuarryException}. */
  public QuarryException failure(Throwable t, String action) {
    return errors.fromGrpc(t, action);
  }

  /** Closes the channel, waiting up to 5 seconds for calls in flight. */
  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.shutdownNow();
    }
  }
}
