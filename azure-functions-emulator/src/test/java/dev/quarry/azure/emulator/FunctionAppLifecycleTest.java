package dev.quarry.azure.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.appservice.fluent.WebAppsClient;
import com.azure.resourcemanager.appservice.fluent.models.SiteConfigInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteInner;
import com.azure.resourcemanager.appservice.fluent.models.StringDictionaryInner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Function app create, settings, deploy, keys, invoke and delete through the real SDK. */
class FunctionAppLifecycleTest {

  static AzureFunctionsEmulator azure;
  static TestPackages packages;
  static WebAppsClient sites;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    azure = AzureFunctionsEmulator.start(AzureEmulatorOptions.builder().build());
    packages = new TestPackages();
    sites = AzureSdk.manager(azure).serviceClient().getWebApps();
    http = HttpClient.newBuilder().sslContext(azure.sslContext()).build();
  }

  @AfterAll
  static void stop() {
    packages.close();
    azure.close();
  }

  static SiteInner site() {
    return new SiteInner()
        .withLocation("westeurope")
        .withKind("functionapp,linux")
        .withReserved(true)
        .withSiteConfig(new SiteConfigInner().withLinuxFxVersion("Java|21"));
  }

  HttpResponse<String> post(String host, String key, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("https://" + host + "/api/echo"))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("x-functions-key", key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void createsDeploysInvokesColdThenWarmAndDeletes() throws Exception {
    SiteInner created = sites.createOrUpdate("rg1", "quarry-app", site());
    assertThat(created.defaultHostname()).startsWith("127.0.0.1:");
    assertThat(sites.getByResourceGroup("rg1", "quarry-app").kind()).isEqualTo("functionapp,linux");

    URI pkg = packages.serve("app1.zip", TestPackages.echoPackage("00:01:00"));
    sites.updateApplicationSettings(
        "rg1",
        "quarry-app",
        new StringDictionaryInner()
            .withProperties(Map.of("WEBSITE_RUN_FROM_PACKAGE", pkg.toString(), "GREETING", "hi")));
    assertThat(sites.listApplicationSettings("rg1", "quarry-app").properties())
        .containsEntry("GREETING", "hi");
    String key = sites.listFunctionKeys("rg1", "quarry-app", "echo").properties().get("default");
    assertThat(key).isNotBlank();

    long coldBefore = azure.stats().coldStarts();
    HttpResponse<String> first = post(created.defaultHostname(), key, "one");
    HttpResponse<String> second = post(created.defaultHostname(), key, "two");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("echo:one");
    assertThat(first.headers().firstValue("X-Setting")).hasValue("hi");
    assertThat(second.body()).isEqualTo("echo:two");
    assertThat(second.headers().firstValue("X-Pid")).isEqualTo(first.headers().firstValue("X-Pid"));
    assertThat(azure.stats().coldStarts() - coldBefore).isEqualTo(1);

    sites.delete("rg1", "quarry-app");
    assertThatThrownBy(() -> sites.getByResourceGroup("rg1", "quarry-app"))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> assertThat(e.getValue().getCode()).isEqualTo("ResourceNotFound"));
  }

  @Test
  void refusesAMissingOrWrongKeyWith401() throws Exception {
    SiteInner created = sites.createOrUpdate("rg1", "keyed-app", site());
    URI pkg = packages.serve("app2.zip", TestPackages.echoPackage("00:01:00"));
    sites.updateApplicationSettings(
        "rg1",
        "keyed-app",
        new StringDictionaryInner()
            .withProperties(Map.of("WEBSITE_RUN_FROM_PACKAGE", pkg.toString())));

    assertThat(post(created.defaultHostname(), null, "x").statusCode()).isEqualTo(401);
    assertThat(post(created.defaultHostname(), "wrong", "x").statusCode()).isEqualTo(401);
    sites.delete("rg1", "keyed-app");
  }

  @Test
  void aCrashOrAThrowingFunctionAnswers500AndTheNextCallStartsAFreshInstance() throws Exception {
    SiteInner created = sites.createOrUpdate("rg1", "crashy-app", site());
    URI pkg = packages.serve("app3.zip", TestPackages.echoPackage("00:01:00"));
    sites.updateApplicationSettings(
        "rg1",
        "crashy-app",
        new StringDictionaryInner()
            .withProperties(Map.of("WEBSITE_RUN_FROM_PACKAGE", pkg.toString())));
    String key = sites.listFunctionKeys("rg1", "crashy-app", "echo").properties().get("default");
    String host = created.defaultHostname();

    String pid = post(host, key, "a").headers().firstValue("X-Pid").orElseThrow();
    assertThat(post(host, key, "throw").statusCode()).isEqualTo(500);
    assertThat(post(host, key, "b").headers().firstValue("X-Pid")).hasValue(pid);
    assertThat(post(host, key, "exit").statusCode()).isEqualTo(500);
    HttpResponse<String> after = post(host, key, "c");

    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.headers().firstValue("X-Pid")).isNotEqualTo(java.util.Optional.of(pid));
    assertThat(azure.stats().crashes()).isGreaterThanOrEqualTo(1);
    sites.delete("rg1", "crashy-app");
  }

  @Test
  void injectedFaultsAnswerAsTheHostDoes() throws Exception {
    SiteInner created = sites.createOrUpdate("rg1", "faulty-app", site());
    URI pkg = packages.serve("app4.zip", TestPackages.echoPackage("00:01:00"));
    sites.updateApplicationSettings(
        "rg1",
        "faulty-app",
        new StringDictionaryInner()
            .withProperties(Map.of("WEBSITE_RUN_FROM_PACKAGE", pkg.toString())));
    String key = sites.listFunctionKeys("rg1", "faulty-app", "echo").properties().get("default");
    String host = created.defaultHostname();
    try {
      azure.faults().throttleBurst(2);
      assertThat(post(host, key, "a").statusCode()).isEqualTo(429);
      assertThat(post(host, key, "a").statusCode()).isEqualTo(429);
      assertThat(post(host, key, "a").statusCode()).isEqualTo(200);
      azure.faults().unavailable(true);
      assertThat(post(host, key, "a").statusCode()).isEqualTo(503);
    } finally {
      azure.faults().reset();
    }
    sites.delete("rg1", "faulty-app");
  }

  @Test
  void aWrongSecretFailsAtTheTokenEndpointWithEntrasMessage() {
    WebAppsClient wrong = AzureSdk.manager(azure, "not-the-secret").serviceClient().getWebApps();

    assertThatThrownBy(() -> wrong.getByResourceGroup("rg1", "any"))
        .hasStackTraceContaining("AADSTS7000215");
  }

  @Test
  void aMissingAppIs404ResourceNotFound() {
    assertThatThrownBy(() -> sites.getByResourceGroup("rg1", "no-such-app"))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> {
              assertThat(e.getResponse().getStatusCode()).isEqualTo(404);
              assertThat(e.getValue().getMessage()).contains("no-such-app");
            });
  }
}
