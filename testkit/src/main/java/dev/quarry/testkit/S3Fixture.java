package dev.quarry.testkit;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * An S3-protocol server (s3proxy, in-memory blob store) in this JVM on a free port of 127.0.0.1,
 * with AWS signature V4 for one identity. Each fixture has its own empty store.
 *
 * <pre>{@code
 * try (S3Fixture s3 = S3Fixture.start()) {
 *   ObjectStore store = ObjectStores.open("s3", s3.storeSettings("my-bucket"));
 * }
 * }</pre>
 */
public final class S3Fixture implements AutoCloseable {
  public static final String REGION = "us-east-1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final S3Proxy proxy;
  private final String identity;
  private final String credential;

  private S3Fixture(S3Proxy proxy, String identity, String credential) {
    this.proxy = proxy;
    this.identity = identity;
    this.credential = credential;
  }

  /** Starts s3proxy with a test identity; returns once it accepts requests. */
  public static S3Fixture start() throws Exception {
    return start("quarry-test-identity", "quarry-test-credential-not-a-secret");
  }

  /**
   * Starts s3proxy accepting requests signed by {@code identity} with {@code credential}; returns
   * once it accepts requests.
   *
   * @throws Exception if s3proxy cannot start
   * @throws org.awaitility.core.ConditionTimeoutException if it is not started in 10 s
   */
  public static S3Fixture start(String identity, String credential) throws Exception {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("transient", new Properties()))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V4, identity, credential)
            .build();
    proxy.start();
    await()
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> "STARTED".equals(proxy.getState()));
    return new S3Fixture(proxy, identity, credential);
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** The access key id that requests are signed with. */
  public String identity() {
    return identity;
  }

  /** The secret access key that requests are signed with. */
  public String credential() {
    return credential;
  }

  /**
   * Settings of Quarry's {@code s3} object store for {@code bucket} on this server: bucket,
   * endpoint, region and keys ({@code ObjectStores.open("s3", settings)}); a new mutable map, so
   * callers can add settings.
   */
  public Map<String, String> storeSettings(String bucket) {
    return new HashMap<>(
        Map.of(
            "bucket", bucket,
            "endpoint", endpoint(),
            "region", REGION,
            "accessKeyId", identity,
            "secretAccessKey", credential));
  }

  /**
   * The server's command-line arguments that put its storage on {@code bucket} of this server,
   * creating the bucket at start ({@code --quarry.storage.type=s3} and its settings).
   */
  public List<String> serverArgs(String bucket) {
    return List.of(
        "--quarry.storage.type=s3",
        "--quarry.storage.settings.bucket=" + bucket,
        "--quarry.storage.settings.endpoint=" + endpoint(),
        "--quarry.storage.settings.region=" + REGION,
        "--quarry.storage.settings.accessKeyId=" + identity,
        "--quarry.storage.settings.secretAccessKey=" + credential,
        "--quarry.storage.settings.createBucket=true");
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
