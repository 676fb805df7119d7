package dev.quarry.backend.internal.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.appservice.fluent.models.SiteInner;
import com.azure.resourcemanager.appservice.fluent.models.StringDictionaryInner;
import dev.quarry.backend.BackendException;
import dev.quarry.backend.RuntimeNotFoundException;
import dev.quarry.backend.WorkerRuntime;
import dev.quarry.backend.azure.AzureFunctionsOptions;
import dev.quarry.backend.azure.AzureFunctionsRuntimes;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Deploys the worker as a Linux function app (Java 21) on the profile's plan ({@link PlanSpec}:
 * Consumption runs the package from a SAS URL, Flex Consumption deploys it once through {@code
 * functionAppConfig}'s container); the app's tags record the worker version and memory, so a second
 * deploy of the same build changes nothing.
 */
final class AzureRuntimeManager implements AzureFunctionsRuntimes {

  static final String FUNCTION = "quarry-worker";
  static final String TAG_VERSION = "quarry-worker-version";
  static final String TAG_MEMORY = "quarry-memory-mb";
  static final String TAG_SHA = "quarry-code-sha256";
  static final String TAG_SIZE = "quarry-code-size";

  /** Where a deployed app answers, and the key its HTTP trigger wants. */
  record Deployed(String name, String host, String key, URI trigger) {
    Deployed(String name, String host, String key) {
      this(name, host, key, URI.create("https://" + host + "/api/" + FUNCTION));
    }
  }

  private final AzureFunctionsOptions options;
  private final AzureClients clients;
  private final PlanSpec plan;

  AzureRuntimeManager(AzureFunctionsOptions options, AzureClients clients) {
    this.options = options;
    this.clients = clients;
    this.plan = PlanSpec.of(options, clients);
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
        plan.configure(name, site);
        change = "created";
      } else if (!current(site)) {
        site = clients.sites().createOrUpdate(options.resourceGroup(), name, siteSpec(name));
        plan.configure(name, site);
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
      plan.configure(name, site);
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
    clients.plans().createOrUpdate(options.resourceGroup(), name + "-plan", plan.plan());
    return clients.sites().createOrUpdate(options.resourceGroup(), name, siteSpec(name));
  }

  private SiteInner siteSpec(String name) {
    Map<String, String> tags = new HashMap<>();
    tags.put(TAG_VERSION, options.workerPackage().version());
    tags.put(TAG_MEMORY, String.valueOf(options.memoryMb()));
    tags.put(TAG_SHA, options.workerPackage().codeSha256());
    tags.put(TAG_SIZE, String.valueOf(options.workerPackage().zip().length));
    SiteInner site =
        new SiteInner()
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
                    + "-plan");
    return plan.shape(name, site);
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
