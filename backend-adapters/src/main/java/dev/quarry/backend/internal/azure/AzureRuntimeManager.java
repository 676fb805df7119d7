package dev.quarry.backend.internal.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.appservice.fluent.models.AppServicePlanInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteConfigInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteInner;
import com.azure.resourcemanager.appservice.fluent.models.StringDictionaryInner;
import com.azure.resourcemanager.appservice.models.SkuDescription;
import dev.quarry.backend.BackendException;
import dev.quarry.backend.RuntimeNotFoundException;
import dev.quarry.backend.WorkerRuntime;
import dev.quarry.backend.azure.AzureFunctionsOptions;
import dev.quarry.backend.azure.AzureFunctionsRuntimes;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Deploys the worker as a Linux function app (Java 21) on a Consumption plan: the package goes to
 * the storage account's {@value #PACKAGES} container and the app runs it from a read-only SAS URL
 * ({@code WEBSITE_RUN_FROM_PACKAGE}); the app's tags record the worker version and memory, so a
 * second deploy of the same build changes nothing.
 *
 * <p>Long because a deploy is several ARM resources in order (plan, app, package upload, app
 * settings, function key), each found, created or updated, and the runtimes API (list, deploy,
 * update, delete) reads them back; split, each part would need all of them.
 */
final class AzureRuntimeManager implements AzureFunctionsRuntimes {

  static final String FUNCTION = "quarry-worker";
  static final String PACKAGES = "quarry-packages";
  static final String TAG_VERSION = "quarry-worker-version";
  static final String TAG_MEMORY = "quarry-memory-mb";
  static final String TAG_SHA = "quarry-code-sha256";
  static final String TAG_SIZE = "quarry-code-size";

  /** How long the package's SAS URL lives; a deploy or update renews it. */
  static final Duration PACKAGE_URL_TTL = Duration.ofDays(365);

  /** Where a deployed app answers, and the key its HTTP trigger wants. */
  record Deployed(String name, String host, String key, URI trigger) {
    Deployed(String name, String host, String key) {
      this(name, host, key, URI.create("https://" + host + "/api/" + FUNCTION));
    }
  }

  private final AzureFunctionsOptions options;
  private final AzureClients clients;

  AzureRuntimeManager(AzureFunctionsOptions options, AzureClients clients) {
    this.options = options;
    this.clients = clients;
  }

  @Override
  public List<WorkerRuntime> list() {
    try {
      List<WorkerRuntime> out = new ArrayList<>();
      for (SiteInner site : clients.sites().listByResourceGroup(options.resourceGroup())) {
        if (site.name().startsWith(AzureFunctionsOptions.NAME_PREFIX)) {
          out.add(runtime(site, null));
        }
      }
      return out;
    } catch (RuntimeException e) {
      throw AzureErrors.management(e, "list function apps in " + options.resourceGroup());
    }
  }

  @Override
  public WorkerRuntime deploy() {
    return ensure().runtime();
  }

  /** Deploys when needed; the app's host and key for invocations. */
  Ensured ensure() {
    String name = options.appName();
    try {
      SiteInner site = find(name).orElse(null);
      String change;
      if (site == null) {
        site = create(name);
        configure(name);
        change = "created";
      } else if (!current(site)) {
        site = clients.sites().createOrUpdate(options.resourceGroup(), name, siteSpec(name));
        configure(name);
        change = "updated";
      } else {
        change = "unchanged";
      }
      String key = functionKey(name);
      return new Ensured(new Deployed(name, site.defaultHostname(), key), runtime(site, change));
    } catch (RuntimeException e) {
      throw AzureErrors.management(e, "deploy function app " + name);
    }
  }

  /** A deploy's outcome. */
  record Ensured(Deployed deployed, WorkerRuntime runtime) {}

  @Override
  public WorkerRuntime update(String name) {
    requireWorkerName(name);
    try {
      if (find(name).isEmpty()) {
        throw new RuntimeNotFoundException("no function app named " + name);
      }
      SiteInner site =
          clients.sites().createOrUpdate(options.resourceGroup(), name, siteSpec(name));
      configure(name);
      return runtime(site, "updated");
    } catch (RuntimeException e) {
      throw AzureErrors.management(e, "update function app " + name);
    }
  }

  @Override
  public WorkerRuntime delete(String name) {
    requireWorkerName(name);
    try {
      SiteInner site =
          find(name)
              .orElseThrow(() -> new RuntimeNotFoundException("no function app named " + name));
      clients.sites().delete(options.resourceGroup(), name);
      return runtime(site, "deleted");
    } catch (RuntimeException e) {
      throw AzureErrors.management(e, "delete function app " + name);
    }
  }

  private Optional<SiteInner> find(String name) {
    try {
      return Optional.ofNullable(clients.sites().getByResourceGroup(options.resourceGroup(), name));
    } catch (ManagementException e) {
      if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private boolean current(SiteInner site) {
    Map<String, String> tags = site.tags() == null ? Map.of() : site.tags();
    return options.workerPackage().codeSha256().equals(tags.get(TAG_SHA))
        && String.valueOf(options.memoryMb()).equals(tags.get(TAG_MEMORY));
  }

  private SiteInner create(String name) {
    String plan = name + "-plan";
    AppServicePlanInner consumption =
        new AppServicePlanInner()
            .withLocation(options.region())
            .withKind("functionapp")
            .withReserved(true)
            .withSku(new SkuDescription().withName("Y1").withTier("Dynamic"));
    clients.plans().createOrUpdate(options.resourceGroup(), plan, consumption);
    return clients.sites().createOrUpdate(options.resourceGroup(), name, siteSpec(name));
  }

  private SiteInner siteSpec(String name) {
    Map<String, String> tags = new HashMap<>();
    tags.put(TAG_VERSION, options.workerPackage().version());
    tags.put(TAG_MEMORY, String.valueOf(options.memoryMb()));
    tags.put(TAG_SHA, options.workerPackage().codeSha256());
    tags.put(TAG_SIZE, String.valueOf(options.workerPackage().zip().length));
    return new SiteInner()
        .withLocation(options.region())
        .withKind("functionapp,linux")
        .withTags(tags)
        .withReserved(true)
        .withHttpsOnly(true)
        .withServerFarmId(
            "/subscriptions/"
                + options.subscriptionId()
                + "/resourceGroups/"
                + options.resourceGroup()
                + "/providers/Microsoft.Web/serverfarms/"
                + name
                + "-plan")
        .withSiteConfig(
            new SiteConfigInner().withLinuxFxVersion("Java|21").withFunctionAppScaleLimit(200));
  }

  /** Publishes the package and sets the app settings that run it. */
  private void configure(String name) {
    String account = options.storageAccount();
    String key =
        clients
            .storageAccounts()
            .listKeys(options.resourceGroup(), account)
            .keys()
            .getFirst()
            .value();
    String blob =
        clients
            .storageAccounts()
            .getByResourceGroup(options.resourceGroup(), account)
            .primaryEndpoints()
            .blob();
    String endpoint = blob.endsWith("/") ? blob.substring(0, blob.length() - 1) : blob;
    URI packageUrl = publish(endpoint, account, key);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("FUNCTIONS_EXTENSION_VERSION", "~4");
    settings.put("FUNCTIONS_WORKER_RUNTIME", "java");
    settings.put(
        "AzureWebJobsStorage",
        "DefaultEndpointsProtocol=https;AccountName="
            + account
            + ";AccountKey="
            + key
            + ";BlobEndpoint="
            + endpoint);
    settings.put("WEBSITE_RUN_FROM_PACKAGE", packageUrl.toString());
    settings.put("QUARRY_WORKER_VERSION", options.workerPackage().version());
    settings.put("QUARRY_MEMORY_MB", String.valueOf(options.memoryMb()));
    settings.put("JAVA_OPTS", "-XX:MaxRAMPercentage=75");
    clients
        .sites()
        .updateApplicationSettings(
            options.resourceGroup(), name, new StringDictionaryInner().withProperties(settings));
  }

  private URI publish(String endpoint, String account, String key) {
    Map<String, String> settings = new HashMap<>();
    settings.put("endpoint", endpoint);
    settings.put("account", account);
    settings.put("accountKey", key);
    settings.put("container", PACKAGES);
    settings.put("createContainer", "true");
    String object = "quarry-worker-" + options.workerPackage().version() + ".zip";
    try (ObjectStore store = ObjectStores.open("azure-blob", settings)) {
      if (!store.exists(object)) {
        store.put(object, options.workerPackage().zip());
      }
      return store
          .presign(object, false, PACKAGE_URL_TTL)
          .orElseThrow(() -> new IllegalStateException("the blob store cannot presign"));
    }
  }

  private String functionKey(String name) {
    StringDictionaryInner keys =
        clients.sites().listFunctionKeys(options.resourceGroup(), name, FUNCTION);
    String key = keys.properties() == null ? null : keys.properties().get("default");
    if (key == null || key.isBlank()) {
      throw new BackendException(
          BackendException.Kind.TRANSIENT,
          "function app " + name + " has no default key for " + FUNCTION + " yet");
    }
    return key;
  }

  private WorkerRuntime runtime(SiteInner site, @Nullable String change) {
    Map<String, String> tags = site.tags() == null ? Map.of() : site.tags();
    String version = tags.getOrDefault(TAG_VERSION, "");
    OffsetDateTime modified = site.lastModifiedTimeUtc();
    return new WorkerRuntime(
        site.name(),
        version,
        version.equals(options.workerPackage().version()),
        parse(tags.get(TAG_MEMORY)),
        options.timeoutSeconds(),
        "x86_64",
        "java21",
        site.state() == null ? "Unknown" : site.state(),
        "Successful",
        tags.getOrDefault(TAG_SHA, ""),
        parse(tags.get(TAG_SIZE)),
        modified == null ? null : modified.toInstant(),
        change);
  }

  private static int parse(@Nullable String s) {
    try {
      return s == null ? 0 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void requireWorkerName(String name) {
    if (!name.startsWith(AzureFunctionsOptions.NAME_PREFIX) || name.length() > 60) {
      throw new IllegalArgumentException(
          "not a worker app name (" + AzureFunctionsOptions.NAME_PREFIX + "...): " + name);
    }
  }
}
