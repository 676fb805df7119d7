package dev.quarry.azure.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.appservice.fluent.WebAppsClient;
import com.azure.resourcemanager.appservice.fluent.models.SiteConfigInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteInner;
import com.azure.resourcemanager.appservice.fluent.models.StringDictionaryInner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Functions registered in-process answer in the emulator's JVM; keys, cold/warm accounting and key
 * renewal are unchanged.
 */
class InProcessFunctionTest {

  @Test
  void aRegisteredEntryPointRunsInProcessBehindTheSameKeyChecks() throws Exception {
    try (AzureFunctionsEmulator azure =
            AzureFunctionsEmulator.start(AzureEmulatorOptions.builder().build());
        TestPackages packages = new TestPackages()) {
      azure.registerInProcess(
          "dev.quarry.azure.emulator.testfn.EchoFunction.run",
          (payload, invocationId) -> {
            String in = new String(payload, StandardCharsets.UTF_8);
            if (in.equals("throw")) {
              throw new IllegalStateException("asked to throw");
            }
            return ("in-process:" + in).getBytes(StandardCharsets.UTF_8);
          });
      WebAppsClient sites = AzureSdk.manager(azure).serviceClient().getWebApps();
      HttpClient http = HttpClient.newBuilder().sslContext(azure.sslContext()).build();
      URI echo = deployEcho(sites, packages, "bench-app");
      String key = sites.listFunctionKeys("rg1", "bench-app", "echo").properties().get("default");

      HttpResponse<String> first = post(http, echo, key, "one");
      HttpResponse<String> second = post(http, echo, key, "two");

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.body()).isEqualTo("in-process:one");
      assertThat(second.body()).isEqualTo("in-process:two");
      assertThat(first.headers().firstValue("x-ms-invocation-id")).isPresent();
      assertThat(azure.stats().coldStarts()).isEqualTo(1);
      assertThat(azure.stats().invocations()).isEqualTo(2);
      assertThat(post(http, echo, key, "throw").statusCode()).isEqualTo(500);
      assertThat(azure.stats().functionErrors()).isEqualTo(1);
      assertThat(post(http, echo, "wrong", "x").statusCode()).isEqualTo(401);

      assertThat(azure.renewFunctionKey("rg1", "bench-app", "echo")).isTrue();
      assertThat(post(http, echo, key, "old key").statusCode()).isEqualTo(401);
      String renewed =
          sites.listFunctionKeys("rg1", "bench-app", "echo").properties().get("default");
      assertThat(renewed).isNotEqualTo(key);
      assertThat(post(http, echo, renewed, "new key").body()).isEqualTo("in-process:new key");
      assertThat(azure.renewFunctionKey("rg1", "no-such-app", "echo")).isFalse();
    }
  }

  /**
   * Refused requests whose bodies the host never reads leave a kept-alive connection ready for the
   * next request: the client sends each one as soon as the previous answer arrives, which is when a
   * host that drained the body only after answering could read the next request's bytes with it and
   * then wait for bytes that had already come (the request stalled until the idle timeout closed
   * the connection).
   */
  @Test
  void refusedRequestsKeepTheConnectionUsable() throws Exception {
    try (AzureFunctionsEmulator azure =
            AzureFunctionsEmulator.start(AzureEmulatorOptions.builder().build());
        TestPackages packages = new TestPackages()) {
      azure.registerInProcess(
          "dev.quarry.azure.emulator.testfn.EchoFunction.run", (payload, id) -> payload);
      WebAppsClient sites = AzureSdk.manager(azure).serviceClient().getWebApps();
      URI echo = deployEcho(sites, packages, "keep-alive-app");
      String key =
          sites.listFunctionKeys("rg1", "keep-alive-app", "echo").properties().get("default");
      HttpClient http = HttpClient.newBuilder().sslContext(azure.sslContext()).build();
      String body = "x".repeat(1000);
      for (int i = 0; i < 300; i++) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(echo)
                    .timeout(Duration.ofSeconds(10))
                    .header("x-functions-key", i % 2 == 0 ? "wrong" : key)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("request %d", i).isEqualTo(i % 2 == 0 ? 401 : 200);
      }
    }
  }

  /** Creates function app {@code app} in rg1 running the echo package; its echo function's URI. */
  private static URI deployEcho(WebAppsClient sites, TestPackages packages, String app)
      throws Exception {
    SiteInner created =
        sites.createOrUpdate(
            "rg1",
            app,
            new SiteInner()
                .withLocation("westeurope")
                .withKind("functionapp,linux")
                .withReserved(true)
                .withSiteConfig(new SiteConfigInner().withLinuxFxVersion("Java|21")));
    URI pkg = packages.serve(app + ".zip", TestPackages.echoPackage("00:01:00"));
    sites.updateApplicationSettings(
        "rg1",
        app,
        new StringDictionaryInner()
            .withProperties(Map.of("WEBSITE_RUN_FROM_PACKAGE", pkg.toString())));
    return URI.create("https://" + created.defaultHostname() + "/api/echo");
  }

  private static HttpResponse<String> post(HttpClient http, URI uri, String key, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .header("x-functions-key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
