package dev.quarry.storage.internal.s3;

import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStoreProvider;
import dev.quarry.storage.StorageException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Provider of type {@code s3}: objects in an S3 bucket (AWS or any S3-compatible server).
 *
 * <p>Settings:
 *
 * <ul>
 *   <li>{@code bucket} (required)
 *   <li>{@code prefix}: key prefix inside the bucket; a {@code /} is appended if missing
 *   <li>{@code endpoint}: URI override, e.g. {@code http://127.0.0.1:9000}
 *   <li>{@code region}: default {@code us-east-1}
 *   <li>{@code pathStyle}: path-style addressing; default {@code true} when {@code endpoint} is
 *       set, else {@code false}
 *   <li>{@code accessKeyId}, {@code secretAccessKey}, {@code sessionToken}: static credentials;
 *       when absent the SDK default credentials chain is used
 *   <li>{@code maxConnections}: HTTP connection pool size, default 64
 *   <li>{@code createBucket}: create the bucket at startup if missing, default {@code false}
 * </ul>
 *
 * <p>Objects are written with a single PUT, so an object is at most 5 GiB.
 */
public final class S3ObjectStoreProvider implements ObjectStoreProvider {

  private static final Logger log = LoggerFactory.getLogger(S3ObjectStoreProvider.class);

  /** Used by {@link java.util.ServiceLoader}. */
  public S3ObjectStoreProvider() {}

  @Override
  public String type() {
    return "s3";
  }

  /**
   * Opens an S3 store.
   *
   * @throws IllegalArgumentException if {@code bucket} is missing or a setting is invalid
   * @throws StorageException if {@code createBucket} is set and the bucket cannot be created
   */
  @Override
  public ObjectStore create(Map<String, String> settings) {
    S3Settings parsed = S3Settings.parse(settings);
    Set<String> unknown = new TreeSet<>(settings.keySet());
    unknown.removeAll(S3Settings.KNOWN);
    if (!unknown.isEmpty()) {
      log.warn("s3 object store ignores unknown settings {}", unknown);
    }
    S3Client client = client(parsed);
    try {
      if (parsed.createBucket()) {
        createBucketIfMissing(client, parsed);
      }
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    log.info("s3 object store {}", parsed);
    return new S3ObjectStore(client, presigner(parsed), parsed.bucket(), parsed.prefix());
  }

  private static S3Client client(S3Settings settings) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(
                Apache5HttpClient.builder().maxConnections(settings.maxConnections()))
            .region(Region.of(settings.region()))
            .forcePathStyle(settings.pathStyle())
            .credentialsProvider(credentials(settings));
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return builder.build();
  }

  private static S3Presigner presigner(S3Settings settings) {
    S3Presigner.Builder builder =
        S3Presigner.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials(settings))
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(S3Settings settings) {
    String id = settings.accessKeyId();
    String secret = settings.secretAccessKey();
    if (id == null || secret == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    String token = settings.sessionToken();
    return StaticCredentialsProvider.create(
        token == null
            ? AwsBasicCredentials.create(id, secret)
            : AwsSessionCredentials.create(id, secret, token));
  }

  private static void createBucketIfMissing(S3Client client, S3Settings settings) {
    String bucket = settings.bucket();
    try {
      client.headBucket(b -> b.bucket(bucket));
      return;
    } catch (NoSuchBucketException e) {
      // create it below
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw S3ObjectStore.failure("head bucket", bucket, e);
      }
    } catch (SdkException e) {
      throw S3ObjectStore.failure("head bucket", bucket, e);
    }
    CreateBucketRequest.Builder request = CreateBucketRequest.builder().bucket(bucket);
    if (settings.endpoint() == null && !settings.region().equals("us-east-1")) {
      request.createBucketConfiguration(c -> c.locationConstraint(settings.region()));
    }
    try {
      client.createBucket(request.build());
      log.info("created s3 bucket {}", bucket);
    } catch (BucketAlreadyOwnedByYouException e) {
      // created concurrently
    } catch (SdkException e) {
      throw S3ObjectStore.failure("create bucket", bucket, e);
    }
  }
}
