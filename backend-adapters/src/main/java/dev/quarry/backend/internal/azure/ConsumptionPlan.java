package dev.quarry.backend.internal.azure;

import com.azure.resourcemanager.appservice.fluent.models.AppServicePlanInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteConfigInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteInner;
import dev.quarry.backend.azure.AzureFunctionsOptions;
import dev.quarry.storage.ObjectStore;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Linux Consumption (plan Y1, tier Dynamic): the site names {@code Java|21} in {@code
 * linuxFxVersion}; the package goes to the storage account's {@value #PACKAGES} container and the
 * app runs it from a read-only SAS URL ({@code WEBSITE_RUN_FROM_PACKAGE}).
 */
record ConsumptionPlan(
    AzureFunctionsOptions options, AzureClients clients, StorageAccountKeys storage)
    implements PlanSpec {

  static final String PACKAGES = "quarry-packages";

  /** How long the package's SAS URL lives; a deploy or update renews it. */
  static final Duration PACKAGE_URL_TTL = Duration.ofDays(365);

  @Override
  public AppServicePlanInner plan() {
    return PlanSpec.linuxPlan(options, "Y1", "Dynamic");
  }

  @Override
  public SiteInner shape(String name, SiteInner site) {
    return site.withSiteConfig(
        new SiteConfigInner().withLinuxFxVersion("Java|21").withFunctionAppScaleLimit(200));
  }

  @Override
  public void configure(String name, SiteInner site) {
    StorageAccountKeys.Account account = storage.account();
    URI packageUrl = publish(account);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("FUNCTIONS_EXTENSION_VERSION", "~4");
    settings.put("FUNCTIONS_WORKER_RUNTIME", "java");
    settings.put("WEBSITE_RUN_FROM_PACKAGE", packageUrl.toString());
    PlanSpec.writeSettings(options, clients, name, account.connectionString(), settings);
  }

  private URI publish(StorageAccountKeys.Account account) {
    String object = "quarry-worker-" + options.workerPackage().version() + ".zip";
    try (ObjectStore store = StorageAccountKeys.open(account, PACKAGES)) {
      if (!store.exists(object)) {
        store.put(object, options.workerPackage().zip());
      }
      return store
          .presign(object, false, PACKAGE_URL_TTL)
          .orElseThrow(() -> new IllegalStateException("the blob store cannot presign"));
    }
  }
}
