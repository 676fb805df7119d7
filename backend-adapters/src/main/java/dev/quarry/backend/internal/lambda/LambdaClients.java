package dev.quarry.backend.internal.lambda;

import dev.quarry.backend.lambda.LambdaBackendOptions;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaAsyncClientBuilder;

/**
 * Builds the async Lambda client: a Netty connection pool bounded by the backend's concurrency, and
 * no SDK retries (the resilience layer retries, so attempts are counted once).
 */
final class LambdaClients {
  private LambdaClients() {}

  static LambdaAsyncClient create(LambdaBackendOptions options) {
    Duration callTimeout =
        Duration.ofSeconds(options.runtime().timeoutSeconds()).plus(options.invokeGrace());
    SdkAsyncHttpClient http =
        NettyNioAsyncHttpClient.builder()
            .maxConcurrency(options.concurrency())
            .maxPendingConnectionAcquires(Math.max(10_000, options.concurrency() * 4))
            .connectionTimeout(options.connectTimeout())
            .connectionAcquisitionTimeout(callTimeout)
            .readTimeout(callTimeout)
            .writeTimeout(Duration.ofSeconds(60))
            .build();
    LambdaAsyncClientBuilder builder =
        LambdaAsyncClient.builder()
            .region(Region.of(options.region()))
            .credentialsProvider(credentials(options))
            .httpClient(http)
            .overrideConfiguration(
                o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(callTimeout));
    if (options.endpoint() != null) {
      builder.endpointOverride(options.endpoint());
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(LambdaBackendOptions options) {
    String id = options.accessKeyId();
    String secret = options.secretAccessKey();
    if (id == null || secret == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    String token = options.sessionToken();
    return StaticCredentialsProvider.create(
        token == null
            ? AwsBasicCredentials.create(id, secret)
            : AwsSessionCredentials.create(id, secret, token));
  }
}
