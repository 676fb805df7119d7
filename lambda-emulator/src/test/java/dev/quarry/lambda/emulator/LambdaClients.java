package dev.quarry.lambda.emulator;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** Real SDK clients pointed at an emulator. */
final class LambdaClients {

  static final String ACCESS_KEY = "AKIDEXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String REGION = "us-east-1";

  private LambdaClients() {}

  static EmulatorOptions.Builder options() {
    return EmulatorOptions.builder().credentials(ACCESS_KEY, SECRET).region(REGION);
  }

  static LambdaClient client(LambdaEmulator emu) {
    return client(emu, ACCESS_KEY, SECRET, true);
  }

  /** A client that never retries, so injected errors reach the test. */
  static LambdaClient noRetries(LambdaEmulator emu) {
    return client(emu, ACCESS_KEY, SECRET, false);
  }

  static LambdaClient client(LambdaEmulator emu, String accessKey, String secret, boolean retries) {
    return LambdaClient.builder()
        .endpointOverride(emu.endpoint())
        .region(Region.of(REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .httpClientBuilder(
            Apache5HttpClient.builder().maxConnections(64).socketTimeout(Duration.ofSeconds(60)))
        .overrideConfiguration(
            o -> {
              if (retries) {
                o.retryStrategy(RetryMode.STANDARD);
              } else {
                o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry());
              }
            })
        .build();
  }
}
