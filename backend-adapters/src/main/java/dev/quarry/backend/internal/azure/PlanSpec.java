package dev.quarry.backend.internal.azure;

import com.azure.resourcemanager.appservice.fluent.models.AppServicePlanInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteInner;
import com.azure.resourcemanager.appservice.fluent.models.StringDictionaryInner;
import com.azure.resourcemanager.appservice.models.SkuDescription;
import dev.quarry.backend.azure.AzureFunctionsOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What differs between the hosting plans a worker app runs on: the plan's SKU, how the site is
 * shaped, and how its settings and package reach it. {@link AzureRuntimeManager} does the rest
 * (find, tags, keys, the runtimes API) the same way for both.
 */
sealed interface PlanSpec permits ConsumptionPlan, FlexPlan {

  /** The plan resource ({@code <app>-plan}). */
  AppServicePlanInner plan();

  /** Adds the plan's own part to {@code site} (the location, tags and plan id already set). */
  SiteInner shape(String name, SiteInner site);

  /** Sets the app settings and deploys the package to the app {@code site} just written. */
  void configure(String name, SiteInner site);

  /** A Linux ({@code reserved}) function-app plan of {@code sku} in the profile's region. */
  static AppServicePlanInner linuxPlan(AzureFunctionsOptions options, String sku, String tier) {
    return new AppServicePlanInner()
        .withLocation(options.region())
        .withKind("functionapp")
        .withReserved(true)
        .withSku(new SkuDescription().withName(sku).withTier(tier));
  }

  /**
   * Writes the app's settings: those every worker app has (its storage connection, the worker's
   * version and memory, the JVM's heap share) and the plan's own.
   */
  static void writeSettings(
      AzureFunctionsOptions options,
      AzureClients clients,
      String name,
      String storageConnection,
      Map<String, String> planSettings) {
    Map<String, String> settings = new LinkedHashMap<>(planSettings);
    settings.put("AzureWebJobsStorage", storageConnection);
    settings.put("QUARRY_WORKER_VERSION", options.workerPackage().version());
    settings.put("QUARRY_MEMORY_MB", String.valueOf(options.memoryMb()));
    settings.put("JAVA_OPTS", "-XX:MaxRAMPercentage=75");
    clients
        .sites()
        .updateApplicationSettings(
            options.resourceGroup(), name, new StringDictionaryInner().withProperties(settings));
  }

  static PlanSpec of(AzureFunctionsOptions options, AzureClients clients) {
    StorageAccountKeys storage = new StorageAccountKeys(options, clients);
    return options.flex()
        ? new FlexPlan(options, clients, storage)
        : new ConsumptionPlan(options, clients, storage);
  }
}
