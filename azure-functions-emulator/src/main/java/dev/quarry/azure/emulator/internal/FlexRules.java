package dev.quarry.azure.emulator.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What Azure checks of a Flex Consumption app (a site on an FC1 plan): a {@code functionAppConfig}
 * with a runtime, a blob-container deployment storage and an instance memory of 512, 2048 or 4096
 * MB, a maximum instance count of 40 to 1000, no {@code linuxFxVersion}, and none of the app
 * settings Flex replaced with {@code functionAppConfig}. A site outside Flex with a {@code
 * functionAppConfig} is refused too.
 */
final class FlexRules {

  static final Set<Integer> MEMORY_MB = Set.of(512, 2048, 4096);
  static final int MIN_INSTANCES = 40;
  static final int MAX_INSTANCES = 1000;

  /** App settings Flex Consumption refuses. */
  static final Set<String> REFUSED_SETTINGS =
      Set.of(
          "WEBSITE_RUN_FROM_PACKAGE",
          "FUNCTIONS_WORKER_RUNTIME",
          "FUNCTIONS_EXTENSION_VERSION",
          "WEBSITE_CONTENTSHARE",
          "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING");

  private FlexRules() {}

  /** Whether {@code plan} (a stored serverfarm) is Flex Consumption. */
  static boolean flexPlan(@Nullable JsonNode plan) {
    return plan != null
        && plan.path("sku").path("tier").asString("").equalsIgnoreCase("FlexConsumption");
  }

  /** Checks a plan's body: FC1 is tier FlexConsumption on Linux. */
  static void checkPlan(JsonNode body) throws ArmError {
    String name = body.path("sku").path("name").asString("");
    String tier = body.path("sku").path("tier").asString("");
    boolean fc1 = name.equalsIgnoreCase("FC1");
    if (fc1 != tier.equalsIgnoreCase("FlexConsumption")) {
      throw new ArmError(
          400,
          "InvalidSku",
          "The SKU '" + name + "' with tier '" + tier + "' is not a valid App Service plan SKU.");
    }
    if (fc1 && !body.path("properties").path("reserved").asBoolean(false)) {
      throw new ArmError(
          400, "BadRequest", "The Flex Consumption plan (FC1) is only available for Linux apps.");
    }
  }

  /** Checks a site's body against its plan. */
  static void checkSite(JsonNode body, boolean flex) throws ArmError {
    JsonNode props = body.path("properties");
    JsonNode config = props.path("functionAppConfig");
    if (!flex) {
      if (config.isObject()) {
        throw bad("FunctionAppConfig is only supported for Flex Consumption function apps.");
      }
      return;
    }
    if (!config.isObject()) {
      throw bad("FunctionAppConfig is required for a function app on a Flex Consumption plan.");
    }
    String fx = props.path("siteConfig").path("linuxFxVersion").asString("");
    if (!fx.isEmpty()) {
      throw bad(
          "LinuxFxVersion is not supported for Flex Consumption: set"
              + " functionAppConfig.runtime instead.");
    }
    JsonNode runtime = config.path("runtime");
    if (runtime.path("name").asString("").isEmpty()
        || runtime.path("version").asString("").isEmpty()) {
      throw bad(
          "FunctionAppConfig.Runtime.Name and FunctionAppConfig.Runtime.Version are required.");
    }
    JsonNode storage = config.path("deployment").path("storage");
    if (!storage.path("type").asString("").equalsIgnoreCase("blobContainer")
        || !storage.path("value").asString("").startsWith("http")) {
      throw bad(
          "FunctionAppConfig.Deployment.Storage must be of type blobContainer with the"
              + " container's URL as value.");
    }
    JsonNode auth = storage.path("authentication");
    if (auth.path("type").asString("").equalsIgnoreCase("StorageAccountConnectionString")
        && auth.path("storageAccountConnectionStringName").asString("").isEmpty()) {
      throw bad(
          "FunctionAppConfig.Deployment.Storage.Authentication.StorageAccountConnectionStringName"
              + " is required for authentication type StorageAccountConnectionString.");
    }
    JsonNode scale = config.path("scaleAndConcurrency");
    int memory = scale.path("instanceMemoryMB").asInt(2048);
    if (!MEMORY_MB.contains(memory)) {
      throw bad(
          "InstanceMemoryMB "
              + memory
              + " is invalid. Valid values for Flex Consumption are 512, 2048 and 4096.");
    }
    JsonNode max = scale.path("maximumInstanceCount");
    if (!max.isMissingNode() && (max.asInt() < MIN_INSTANCES || max.asInt() > MAX_INSTANCES)) {
      throw bad(
          "MaximumInstanceCount "
              + max.asInt()
              + " is invalid. It must be between "
              + MIN_INSTANCES
              + " and "
              + MAX_INSTANCES
              + ".");
    }
  }

  /** Checks app settings of a Flex app. */
  static void checkSettings(Map<String, String> settings) throws ArmError {
    for (String name : settings.keySet()) {
      if (REFUSED_SETTINGS.contains(name.toUpperCase(Locale.ROOT))) {
        throw bad(
            "The app setting "
                + name
                + " is not supported for Flex Consumption apps; see functionAppConfig.");
      }
    }
  }

  private static ArmError bad(String message) {
    return new ArmError(400, "BadRequest", message);
  }
}
