package dev.quarry.backend.internal.azure;

import com.azure.resourcemanager.appservice.fluent.models.AppServicePlanInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteInner;
import dev.quarry.backend.azure.AzureFunctionsOptions;

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

  static PlanSpec of(AzureFunctionsOptions options, AzureClients clients) {
    StorageAccountKeys storage = new StorageAccountKeys(options, clients);
    return options.flex()
        ? new FlexPlan(options, clients, storage)
        : new ConsumptionPlan(options, clients, storage);
  }
}
