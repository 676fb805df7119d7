package dev.quarry.azure.emulator;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Options of an {@link AzureFunctionsEmulator}; build with {@link #builder()}.
 *
 * @param tenantId the Microsoft Entra tenant whose token endpoint it serves
 * @param clientId the one service principal it knows
 * @param clientSecret that principal's secret
 * @param subscriptionId the one subscription it holds
 * @param maxInstancesPerFunction child JVMs alive at once per function (Azure scales out; this is
 *     the machine's limit)
 * @param instanceMemoryMb the heap given to each child JVM (85 % of it)
 * @param seed seeds fault injection
 * @param javaHome the JDK child JVMs run on (and whose keytool makes the certificate)
 * @param storageAccounts storage accounts ARM reports (any resource group), e.g. Azurite's
 */
public record AzureEmulatorOptions(
    String tenantId,
    String clientId,
    String clientSecret,
    String subscriptionId,
    int maxInstancesPerFunction,
    int instanceMemoryMb,
    long seed,
    Path javaHome,
    Map<String, StorageAccount> storageAccounts) {

  /**
   * A storage account as {@code Microsoft.Storage/storageAccounts} reports it.
   *
   * @param blobEndpoint its primary blob endpoint, e.g. Azurite's {@code
   *     http://127.0.0.1:10000/devstoreaccount1}
   */
  public record StorageAccount(String name, String key, String blobEndpoint) {}

  public static final String DEFAULT_TENANT = "00000000-0000-0000-0000-0000000000aa";
  public static final String DEFAULT_CLIENT_ID = "00000000-0000-0000-0000-0000000000bb";
  public static final String DEFAULT_CLIENT_SECRET = "emulator-secret";
  public static final String DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-0000000000cc";

  public AzureEmulatorOptions {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(subscriptionId, "subscriptionId");
    if (maxInstancesPerFunction < 1) {
      throw new IllegalArgumentException("maxInstancesPerFunction must be >= 1");
    }
    if (instanceMemoryMb < 64) {
      throw new IllegalArgumentException("instanceMemoryMb must be >= 64");
    }
    storageAccounts = Map.copyOf(storageAccounts);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with the defaults: one principal and subscription, 4 instances of 256 MB. */
  public static final class Builder {
    private String tenantId = DEFAULT_TENANT;
    private String clientId = DEFAULT_CLIENT_ID;
    private String clientSecret = DEFAULT_CLIENT_SECRET;
    private String subscriptionId = DEFAULT_SUBSCRIPTION;
    private int maxInstancesPerFunction = 4;
    private int instanceMemoryMb = 256;
    private long seed = 1;
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private final Map<String, StorageAccount> storageAccounts = new HashMap<>();

    /** Adds a storage account ARM reports, with its key (from {@code listKeys}). */
    public Builder storageAccount(String name, String key, String blobEndpoint) {
      storageAccounts.put(
          name.toLowerCase(java.util.Locale.ROOT), new StorageAccount(name, key, blobEndpoint));
      return this;
    }

    public Builder servicePrincipal(String tenantId, String clientId, String clientSecret) {
      this.tenantId = tenantId;
      this.clientId = clientId;
      this.clientSecret = clientSecret;
      return this;
    }

    public Builder subscriptionId(String subscriptionId) {
      this.subscriptionId = subscriptionId;
      return this;
    }

    public Builder maxInstancesPerFunction(int max) {
      this.maxInstancesPerFunction = max;
      return this;
    }

    public Builder instanceMemoryMb(int mb) {
      this.instanceMemoryMb = mb;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder javaHome(Path javaHome) {
      this.javaHome = javaHome;
      return this;
    }

    /**
     * @throws IllegalArgumentException for an invalid option
     */
    public AzureEmulatorOptions build() {
      return new AzureEmulatorOptions(
          tenantId,
          clientId,
          clientSecret,
          subscriptionId,
          maxInstancesPerFunction,
          instanceMemoryMb,
          seed,
          javaHome,
          storageAccounts);
    }
  }
}
