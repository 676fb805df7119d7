package dev.quarry.backend.azure;

import dev.quarry.backend.lambda.StorageTokens;
import dev.quarry.backend.lambda.WorkerPackage;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Settings of an {@link AzureFunctionsBackend}: the service principal, where the worker app lives
 * and how it is sized. Build with {@link #builder()}; {@link Builder#build()} fails fast naming the
 * first invalid setting.
 *
 * <p>Long because each of its settings (service principal, endpoints, resource group, region, plan,
 * storage account, memory, timeout, concurrency, store, grants, TLS) has an accessor, a builder
 * method and a check with Azure's own rules, which belong together.
 */
public final class AzureFunctionsOptions {

  /** Azure's front end ends an HTTP-triggered request after this long, whatever the app's limit. */
  public static final int MAX_HTTP_TRIGGER_SECONDS = 230;

  public static final int DEFAULT_MEMORY_MB = 2048;
  public static final int DEFAULT_TIMEOUT_SECONDS = 230;
  public static final int DEFAULT_CONCURRENCY = 100;
  public static final String DEFAULT_PLAN = "consumption";

  /** Linux Consumption: plan Y1 (Dynamic), run from a package URL. */
  public static final String PLAN_CONSUMPTION = "consumption";

  /** Flex Consumption: plan FC1 (FlexConsumption), {@code functionAppConfig}, one deploy. */
  public static final String PLAN_FLEX_CONSUMPTION = "flex-consumption";

  /** The instance memory sizes Flex Consumption offers, in MB. */
  public static final java.util.Set<Integer> FLEX_MEMORY_MB = java.util.Set.of(512, 2048, 4096);

  /** Flex Consumption's bounds on an app's maximum instance count. */
  public static final int FLEX_MIN_INSTANCES = 40;

  public static final int FLEX_MAX_INSTANCES = 1000;
  public static final java.time.Duration DEFAULT_GRANT_GRACE = java.time.Duration.ofMinutes(1);
  public static final URI DEFAULT_AUTHORITY_HOST = URI.create("https://login.microsoftonline.com/");
  public static final URI DEFAULT_RESOURCE_MANAGER = URI.create("https://management.azure.com/");

  /** Prefix of every app Quarry deploys (app names are global on Azure: keep them short). */
  public static final String NAME_PREFIX = "quarry-worker-";

  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern GROUP = Pattern.compile("[-\\w._()]{1,90}");
  private static final Pattern REGION = Pattern.compile("[a-z0-9]{2,40}");
  private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
  private static final Pattern TAG = Pattern.compile("(t[0-9a-f]{10})?");

  private final Builder b;

  private AzureFunctionsOptions(Builder b) {
    this.b = b;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String tenantId() {
    return b.tenantId;
  }

  public String clientId() {
    return b.clientId;
  }

  public String clientSecret() {
    return b.clientSecret;
  }

  public String subscriptionId() {
    return b.subscriptionId;
  }

  public String resourceGroup() {
    return b.resourceGroup;
  }

  public String region() {
    return b.region;
  }

  /**
   * {@value #PLAN_CONSUMPTION} (Linux Consumption: plan Y1, the package run from a SAS URL) or
   * {@value #PLAN_FLEX_CONSUMPTION} (Flex Consumption: plan FC1, the site's {@code
   * functionAppConfig} naming Java 21, a deployment container, the instance memory and the maximum
   * instance count; the package deployed once through the app's one-deploy endpoint). On Flex the
   * memory must be one of {@link #FLEX_MEMORY_MB}.
   */
  public String plan() {
    return b.plan;
  }

  /** Whether the app runs on a Flex Consumption plan. */
  public boolean flex() {
    return b.plan.equals(PLAN_FLEX_CONSUMPTION);
  }

  /**
   * On Flex Consumption, the app's {@code maximumInstanceCount}: the profile's concurrency held
   * within Flex's bounds ({@value #FLEX_MIN_INSTANCES} to {@value #FLEX_MAX_INSTANCES}).
   */
  public int flexMaximumInstanceCount() {
    return Math.clamp(b.concurrency, FLEX_MIN_INSTANCES, FLEX_MAX_INSTANCES);
  }

  /** The storage account holding the app's state and the worker package. */
  public String storageAccount() {
    return b.storageAccount;
  }

  public int memoryMb() {
    return b.memoryMb;
  }

  public int timeoutSeconds() {
    return b.timeoutSeconds;
  }

  public int concurrency() {
    return b.concurrency;
  }

  public WorkerPackage workerPackage() {
    return Objects.requireNonNull(b.workerPackage);
  }

  public String tenantTag() {
    return b.tenantTag;
  }

  public URI authorityHost() {
    return b.authorityHost;
  }

  public URI resourceManagerEndpoint() {
    return b.resourceManagerEndpoint;
  }

  /**
   * The store workers reach through pre-signed (SAS) URLs, one per object of their invocation;
   * empty: envelopes keep their storage settings (tests).
   */
  public Optional<dev.quarry.storage.ObjectStore> store() {
    return Optional.ofNullable(b.store);
  }

  /** How long after an invocation's deadline its pre-signed URLs stay valid. */
  public java.time.Duration grantGrace() {
    return b.grantGrace;
  }

  /**
   * Issues each invocation a token for its tenant's Storage API (context functions), revoked when
   * the invocation ends; empty: context functions get no storage.
   */
  public Optional<StorageTokens> storageTokens() {
    return Optional.ofNullable(b.storageTokens);
  }

  /** TLS trust for Azure's endpoints; empty for the JDK's default trust store. */
  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(b.sslContext);
  }

  /** {@code quarry-worker-<version>-<memory>[-<tenant tag>]}. */
  public String appName() {
    return NAME_PREFIX
        + workerPackage().version()
        + "-"
        + b.memoryMb
        + (b.tenantTag.isEmpty() ? "" : "-" + b.tenantTag);
  }

  @Override
  public String toString() {
    return "AzureFunctionsOptions[subscription="
        + b.subscriptionId
        + ", resourceGroup="
        + b.resourceGroup
        + ", region="
        + b.region
        + ", plan="
        + b.plan
        + ", memoryMb="
        + b.memoryMb
        + ", timeoutSeconds="
        + b.timeoutSeconds
        + "]";
  }

  /** Validating builder; the secret is never printed. */
  public static final class Builder {
    private String tenantId = "";
    private String clientId = "";
    private String clientSecret = "";
    private String subscriptionId = "";
    private String resourceGroup = "";
    private String region = "";
    private String plan = DEFAULT_PLAN;
    private String storageAccount = "";
    private int memoryMb = DEFAULT_MEMORY_MB;
    private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    private int concurrency = DEFAULT_CONCURRENCY;
    private @Nullable WorkerPackage workerPackage;
    private String tenantTag = "";
    private URI authorityHost = DEFAULT_AUTHORITY_HOST;
    private URI resourceManagerEndpoint = DEFAULT_RESOURCE_MANAGER;
    private @Nullable SSLContext sslContext;
    private dev.quarry.storage.@Nullable ObjectStore store;
    private java.time.Duration grantGrace = DEFAULT_GRANT_GRACE;
    private @Nullable StorageTokens storageTokens;

    /**
     * See {@link AzureFunctionsOptions#storageTokens()}; null: context functions get no storage.
     */
    public Builder storageTokens(@Nullable StorageTokens storageTokens) {
      this.storageTokens = storageTokens;
      return this;
    }

    /** The store whose objects workers reach through pre-signed URLs (never its credentials). */
    public Builder store(dev.quarry.storage.@Nullable ObjectStore store) {
      this.store = store;
      return this;
    }

    public Builder grantGrace(java.time.Duration grantGrace) {
      this.grantGrace = grantGrace;
      return this;
    }

    public Builder servicePrincipal(
        String tenantId, String clientId, String clientSecret, String subscriptionId) {
      this.tenantId = tenantId;
      this.clientId = clientId;
      this.clientSecret = clientSecret;
      this.subscriptionId = subscriptionId;
      return this;
    }

    public Builder resourceGroup(String resourceGroup) {
      this.resourceGroup = resourceGroup;
      return this;
    }

    public Builder region(String region) {
      this.region = region;
      return this;
    }

    public Builder plan(String plan) {
      this.plan = plan.toLowerCase(Locale.ROOT);
      return this;
    }

    public Builder storageAccount(String storageAccount) {
      this.storageAccount = storageAccount;
      return this;
    }

    public Builder memoryMb(int memoryMb) {
      this.memoryMb = memoryMb;
      return this;
    }

    public Builder timeoutSeconds(int timeoutSeconds) {
      this.timeoutSeconds = timeoutSeconds;
      return this;
    }

    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    public Builder workerPackage(WorkerPackage workerPackage) {
      this.workerPackage = workerPackage;
      return this;
    }

    /** Binds the app to one tenant (see {@code RuntimeSpec.tenantTag}). */
    public Builder tenantTag(String tenantTag) {
      this.tenantTag = tenantTag;
      return this;
    }

    /** Microsoft Entra's authority host (another cloud, or an emulator). */
    public Builder authorityHost(URI authorityHost) {
      this.authorityHost = authorityHost;
      return this;
    }

    /** Azure Resource Manager's endpoint (another cloud, or an emulator). */
    public Builder resourceManagerEndpoint(URI endpoint) {
      this.resourceManagerEndpoint = endpoint;
      return this;
    }

    /** Trust for Azure's endpoints other than the JDK's default (an emulator's certificate). */
    public Builder sslContext(@Nullable SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public AzureFunctionsOptions build() {
      check(GUID.matcher(tenantId).matches(), "tenantId must be a GUID");
      check(GUID.matcher(clientId).matches(), "clientId must be a GUID");
      check(!clientSecret.isBlank(), "clientSecret must not be blank");
      check(GUID.matcher(subscriptionId).matches(), "subscriptionId must be a GUID");
      check(
          GROUP.matcher(resourceGroup).matches() && !resourceGroup.endsWith("."),
          "resourceGroup must be 1 to 90 letters, digits, '-', '_', '.', '(' or ')'");
      check(
          REGION.matcher(region).matches(), "region must be an Azure region name, e.g. westeurope");
      check(
          plan.equals(PLAN_CONSUMPTION) || plan.equals(PLAN_FLEX_CONSUMPTION),
          "plan must be consumption or flex-consumption, got '" + plan + "'");
      check(
          ACCOUNT.matcher(storageAccount).matches(),
          "storageAccount must be 3 to 24 lowercase letters or digits");
      check(
          !plan.equals(PLAN_FLEX_CONSUMPTION) || FLEX_MEMORY_MB.contains(memoryMb),
          "memory "
              + memoryMb
              + " MB is not an instance size of Flex Consumption: use 512, 2048 or 4096");
      check(
          memoryMb >= 512 && memoryMb <= 4096,
          "memory must be between 512 and 4096 MB on Azure Functions, got " + memoryMb);
      check(timeoutSeconds >= 1, "timeout must be at least 1 second");
      check(
          timeoutSeconds <= MAX_HTTP_TRIGGER_SECONDS,
          "timeout "
              + timeoutSeconds
              + " s is longer than an Azure Functions HTTP trigger can hold a request ("
              + MAX_HTTP_TRIGGER_SECONDS
              + " s, Azure's load balancer limit): use a timeout of at most "
              + MAX_HTTP_TRIGGER_SECONDS
              + " s or split the work into shorter tasks");
      check(concurrency >= 1 && concurrency <= 1000, "concurrency must be between 1 and 1000");
      check(workerPackage != null, "workerPackage is required");
      check(TAG.matcher(tenantTag).matches(), "tenantTag must be empty or t + 10 hex digits");
      check(authorityHost.getScheme().equals("https"), "authorityHost must be https");
      check(
          resourceManagerEndpoint.getScheme().equals("https"),
          "resourceManagerEndpoint must be https");
      return new AzureFunctionsOptions(copy());
    }

    private Builder copy() {
      Builder c = new Builder();
      c.tenantId = tenantId;
      c.clientId = clientId;
      c.clientSecret = clientSecret;
      c.subscriptionId = subscriptionId;
      c.resourceGroup = resourceGroup;
      c.region = region;
      c.plan = plan;
      c.storageAccount = storageAccount;
      c.memoryMb = memoryMb;
      c.timeoutSeconds = timeoutSeconds;
      c.concurrency = concurrency;
      c.workerPackage = workerPackage;
      c.tenantTag = tenantTag;
      c.authorityHost = authorityHost;
      c.resourceManagerEndpoint = resourceManagerEndpoint;
      c.sslContext = sslContext;
      c.store = store;
      c.grantGrace = grantGrace;
      c.storageTokens = storageTokens;
      return c;
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
