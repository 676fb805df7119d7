package dev.quarry.server.backend.azure;

import dev.quarry.backend.azure.AzureFunctionsOptions;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.backend.Setting;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The settings of an Azure Functions profile: {@code resourceGroup}, {@code region} and {@code
 * storageAccount} (required), {@code plan} ({@code consumption} or {@code flex-consumption}),
 * {@code memory} (MB; 512, 2048 or 4096 on Flex Consumption), {@code timeout} (seconds, at most
 * 230: Azure's HTTP trigger limit), {@code concurrency}, {@code inlineInputBytes}, {@code
 * grantGraceSeconds}, and {@code authorityHost} / {@code resourceManagerEndpoint} (only when the
 * server allows it).
 */
record AzureFunctionsSettings(
    String resourceGroup,
    String region,
    String plan,
    String storageAccount,
    int memoryMb,
    int timeoutSeconds,
    int concurrency,
    int inlineInputBytes,
    int grantGraceSeconds,
    @Nullable URI authorityHost,
    @Nullable URI resourceManagerEndpoint) {

  static final Setting MEMORY = Setting.whole("memory", 512, 4096, "MB");
  static final Setting TIMEOUT = Setting.whole("timeout", 1, 3600, "seconds");
  static final Setting CONCURRENCY = Setting.whole("concurrency", 1, 1000, "invocations");
  static final Setting INLINE_INPUT_BYTES = Setting.whole("inlineInputBytes", 0, 4096, "bytes");
  static final Setting GRANT_GRACE = Setting.whole("grantGraceSeconds", 1, 900, "seconds");

  static final Set<String> NAMES =
      Set.of(
          "resourceGroup",
          "region",
          "plan",
          "storageAccount",
          "memory",
          "timeout",
          "concurrency",
          "inlineInputBytes",
          "grantGraceSeconds",
          "authorityHost",
          "resourceManagerEndpoint");

  /**
   * @throws ApiException INVALID_ARGUMENT naming the first invalid setting
   */
  static AzureFunctionsSettings parse(Map<String, String> s) {
    String group =
        required(
            s,
            "resourceGroup",
            "[-\\w._()]{0,89}[-\\w_()]",
            "like my-resources",
            "Azure allows 1 to 90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'");
    String region =
        required(
            s,
            "region",
            "[a-z0-9]{2,40}",
            "like westeurope",
            "2 to 40 lowercase letters or digits");
    String account =
        required(
            s,
            "storageAccount",
            "[a-z0-9]{3,24}",
            "like quarrydata",
            "Azure allows 3 to 24 lowercase letters or digits");
    String plan = s.getOrDefault("plan", AzureFunctionsOptions.DEFAULT_PLAN);
    if (!plan.equals(AzureFunctionsOptions.PLAN_CONSUMPTION)
        && !plan.equals(AzureFunctionsOptions.PLAN_FLEX_CONSUMPTION)) {
      throw ApiException.invalid("setting 'plan' must be consumption or flex-consumption");
    }
    int memory = MEMORY.intValue(s, AzureFunctionsOptions.DEFAULT_MEMORY_MB);
    if (plan.equals(AzureFunctionsOptions.PLAN_FLEX_CONSUMPTION)
        && !AzureFunctionsOptions.FLEX_MEMORY_MB.contains(memory)) {
      throw ApiException.invalid(
          "setting 'memory' ("
              + memory
              + " MB) is not an instance size of Flex Consumption: use 512, 2048 or 4096");
    }
    int timeout = TIMEOUT.intValue(s, AzureFunctionsOptions.DEFAULT_TIMEOUT_SECONDS);
    if (timeout > AzureFunctionsOptions.MAX_HTTP_TRIGGER_SECONDS) {
      throw ApiException.invalid(
          "setting 'timeout' ("
              + timeout
              + " s) is longer than an Azure Functions HTTP trigger can hold a request ("
              + AzureFunctionsOptions.MAX_HTTP_TRIGGER_SECONDS
              + " s, Azure's load balancer limit): use at most "
              + AzureFunctionsOptions.MAX_HTTP_TRIGGER_SECONDS
              + " s or split the work into shorter tasks");
    }
    return new AzureFunctionsSettings(
        group,
        region,
        plan,
        account,
        memory,
        timeout,
        CONCURRENCY.intValue(s, AzureFunctionsOptions.DEFAULT_CONCURRENCY),
        INLINE_INPUT_BYTES.intValue(s, 256),
        GRANT_GRACE.intValue(s, 60),
        uri(s, "authorityHost"),
        uri(s, "resourceManagerEndpoint"));
  }

  /**
   * @param example how a valid value looks, for a missing setting
   * @param rule what a value must be, for an invalid one
   */
  private static String required(
      Map<String, String> s, String name, String pattern, String example, String rule) {
    String v = s.get(name);
    if (v == null || v.isEmpty()) {
      throw ApiException.invalid(
          "azure-functions profiles need setting '" + name + "' (" + example + ")");
    }
    if (!v.matches(pattern)) {
      throw ApiException.invalid(
          "setting '"
              + name
              + "' is invalid: '"
              + (v.length() > 100 ? v.substring(0, 100) + "…" : v)
              + "' ("
              + rule
              + ")");
    }
    return v;
  }

  private static @Nullable URI uri(Map<String, String> s, String name) {
    String v = s.get(name);
    if (v == null) {
      return null;
    }
    URI u;
    try {
      u = URI.create(v);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("setting '" + name + "' is not a URI");
    }
    if (!"https".equals(u.getScheme()) || u.getHost() == null) {
      throw ApiException.invalid("setting '" + name + "' must be an absolute https URI");
    }
    return u;
  }
}
