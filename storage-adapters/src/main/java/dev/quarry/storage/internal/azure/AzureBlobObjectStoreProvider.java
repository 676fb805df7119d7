package dev.quarry.storage.internal.azure;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.BlobServiceVersion;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStoreProvider;
import dev.quarry.storage.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider of type {@code azure-blob}: objects in a container of an Azure storage account (or
 * Azurite).
 *
 * <p>Settings (names match ignoring case, so they can come from environment variables):
 *
 * <ul>
 *   <li>{@code account} (required): the storage account name
 *   <li>{@code container} (required): the container name
 *   <li>{@code endpoint}: the blob service URL; default {@code
 *       https://<account>.blob.core.windows.net}
 *   <li>{@code accountKey} or {@code sasToken} (exactly one): a shared key (the store can then
 *       pre-sign URLs for workers), or an account/container SAS (it cannot)
 *   <li>{@code prefix}: blob name prefix inside the container; a {@code /} is appended if missing
 *   <li>{@code createContainer}: create the container at startup if missing, default {@code false}
 *   <li>{@code blockSize} (default 8MB) and {@code maxSingleUpload} (default 32MB): objects larger
 *       than {@code maxSingleUpload} are uploaded as staged blocks of {@code blockSize}
 *   <li>{@code maxTries}: attempts per request, 1 to 10, default 4
 *   <li>{@code listPageSize}: names per listing request, 1 to 5,000, default 5,000
 * </ul>
 *
 * <p>Requests use the JDK HTTP client and service version {@link #SERVICE_VERSION} (ADR 0017).
 */
public final class AzureBlobObjectStoreProvider implements ObjectStoreProvider {

  /** The REST API version every request names; Azurite 3.37 serves it. */
  public static final BlobServiceVersion SERVICE_VERSION = BlobServiceVersion.V2026_06_06;

  private static final Logger log = LoggerFactory.getLogger(AzureBlobObjectStoreProvider.class);

  /**
   * One HTTP client for every store, built when the first store opens: the service loader
   * instantiates every provider when a server starts, and building it then costs start-up time on
   * servers that keep no data in Azure.
   */
  private static final class Http {
    static final HttpClient CLIENT =
        new JdkHttpClientBuilder().connectionTimeout(Duration.ofSeconds(10)).build();
  }

  /** Used by {@link java.util.ServiceLoader}. */
  public AzureBlobObjectStoreProvider() {}

  @Override
  public String type() {
    return "azure-blob";
  }

  /**
   * Opens an Azure Blob store.
   *
   * @throws IllegalArgumentException if a setting is missing or invalid
   * @throws StorageException if {@code createContainer} is set and the container cannot be created
   */
  @Override
  public ObjectStore create(Map<String, String> settings) {
    AzureBlobSettings parsed = AzureBlobSettings.parse(settings);
    Set<String> unknown = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    unknown.addAll(settings.keySet());
    AzureBlobSettings.KNOWN.forEach(unknown::remove); // by the set's case-insensitive order
    if (!unknown.isEmpty()) {
      log.warn("azure-blob object store ignores unknown settings {}", unknown);
    }
    BlobServiceClientBuilder builder =
        new BlobServiceClientBuilder()
            .endpoint(parsed.endpoint().toString())
            .httpClient(Http.CLIENT)
            .serviceVersion(SERVICE_VERSION)
            .retryOptions(
                new RequestRetryOptions(
                    RetryPolicyType.EXPONENTIAL,
                    parsed.maxTries(),
                    Duration.ofMinutes(5),
                    Duration.ofMillis(500),
                    Duration.ofSeconds(10),
                    null));
    if (parsed.accountKey() != null) {
      builder.credential(new StorageSharedKeyCredential(parsed.account(), parsed.accountKey()));
    } else {
      builder.credential(
          new AzureSasCredential(java.util.Objects.requireNonNull(parsed.sasToken())));
    }
    BlobContainerClient container =
        builder.buildClient().getBlobContainerClient(parsed.container());
    if (parsed.createContainer()) {
      try {
        if (container.createIfNotExists()) {
          log.info("created azure-blob container {}", parsed.container());
        }
      } catch (RuntimeException e) {
        throw AzureErrors.failure("create container", parsed.container(), e);
      }
    }
    log.info("azure-blob object store {}", parsed);
    return new AzureBlobObjectStore(container, parsed, Clock.systemUTC());
  }
}
