package dev.quarry.azure.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.appservice.fluent.AppServicePlansClient;
import com.azure.resourcemanager.appservice.fluent.WebAppsClient;
import com.azure.resourcemanager.appservice.fluent.models.AppServicePlanInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteConfigInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteInner;
import com.azure.resourcemanager.appservice.fluent.models.StringDictionaryInner;
import com.azure.resourcemanager.appservice.models.AuthenticationType;
import com.azure.resourcemanager.appservice.models.FunctionAppConfig;
import com.azure.resourcemanager.appservice.models.FunctionsDeployment;
import com.azure.resourcemanager.appservice.models.FunctionsDeploymentStorage;
import com.azure.resourcemanager.appservice.models.FunctionsDeploymentStorageAuthentication;
import com.azure.resourcemanager.appservice.models.FunctionsDeploymentStorageType;
import com.azure.resourcemanager.appservice.models.FunctionsRuntime;
import com.azure.resourcemanager.appservice.models.FunctionsScaleAndConcurrency;
import com.azure.resourcemanager.appservice.models.HostType;
import com.azure.resourcemanager.appservice.models.HostnameSslState;
import com.azure.resourcemanager.appservice.models.RuntimeName;
import com.azure.resourcemanager.appservice.models.SkuDescription;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flex Consumption through the real SDK: an FC1 plan, a site with {@code functionAppConfig}, the
 * one deploy to the SCM host, and what Azure refuses of them.
 */
class FlexConsumptionTest {

  static final String PLAN_ID =
      "/subscriptions/%s/resourceGroups/rg1/providers/Microsoft.Web/serverfarms/flex-plan";

  static AzureFunctionsEmulator azure;
  static WebAppsClient sites;
  static AppServicePlansClient plans;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    azure = AzureFunctionsEmulator.start(AzureEmulatorOptions.builder().build());
    var manager = AzureSdk.manager(azure);
    sites = manager.serviceClient().getWebApps();
    plans = manager.serviceClient().getAppServicePlans();
    http = HttpClient.newBuilder().sslContext(azure.sslContext()).build();
    plans.createOrUpdate("rg1", "flex-plan", flexPlan());
  }

  @AfterAll
  static void stop() {
    azure.close();
  }

  static AppServicePlanInner flexPlan() {
    return new AppServicePlanInner()
        .withLocation("westeurope")
        .withKind("functionapp")
        .withReserved(true)
        .withSku(new SkuDescription().withName("FC1").withTier("FlexConsumption"));
  }

  static FunctionAppConfig config(int memory) {
    return new FunctionAppConfig()
        .withRuntime(new FunctionsRuntime().withName(RuntimeName.JAVA).withVersion("21"))
        .withDeployment(
            new FunctionsDeployment()
                .withStorage(
                    new FunctionsDeploymentStorage()
                        .withType(FunctionsDeploymentStorageType.BLOB_CONTAINER)
                        .withValue("https://127.0.0.1:1/devstoreaccount1/app-package-x")
                        .withAuthentication(
                            new FunctionsDeploymentStorageAuthentication()
                                .withType(AuthenticationType.STORAGE_ACCOUNT_CONNECTION_STRING)
                                .withStorageAccountConnectionStringName("DEPLOYMENT_STORAGE"))))
        .withScaleAndConcurrency(
            new FunctionsScaleAndConcurrency()
                .withInstanceMemoryMB(memory)
                .withMaximumInstanceCount(100));
  }

  static SiteInner site(FunctionAppConfig config) {
    return new SiteInner()
        .withLocation("westeurope")
        .withKind("functionapp,linux")
        .withReserved(true)
        .withServerFarmId(PLAN_ID.formatted(azure.options().subscriptionId()))
        .withFunctionAppConfig(config);
  }

  static String scmHost(SiteInner site) {
    return site.hostnameSslStates().stream()
        .filter(s -> HostType.REPOSITORY.equals(s.hostType()))
        .map(HostnameSslState::name)
        .findFirst()
        .orElseThrow();
  }

  HttpResponse<String> publish(String scmHost, String bearer, byte[] zip) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("https://" + scmHost + "/api/publish?RemoteBuild=false"))
            .header("Content-Type", "application/zip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(zip));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String token() {
    return AzureSdk.credential(azure, azure.options().clientSecret())
        .getTokenSync(new TokenRequestContext().addScopes(azure.endpoint() + "/.default"))
        .getToken();
  }

  @Test
  void aFlexAppIsDeployedByOneDeployAndRunsColdThenWarm() throws Exception {
    SiteInner created = sites.createOrUpdate("rg1", "flex-app", site(config(2048)));
    assertThat(created.sku()).isEqualTo("FlexConsumption");
    assertThat(created.functionAppConfig().scaleAndConcurrency().instanceMemoryMB())
        .isEqualTo(2048);
    sites.updateApplicationSettings(
        "rg1",
        "flex-app",
        new StringDictionaryInner().withProperties(Map.of("DEPLOYMENT_STORAGE", "conn")));
    String scm = scmHost(created);
    assertThat(scm).isNotEqualTo(created.defaultHostname());
    byte[] zip = TestPackages.echoPackage("00:01:00");

    assertThat(publish(scm, null, zip).statusCode()).isEqualTo(401);
    assertThat(publish(scm, "not-a-token", zip).statusCode()).isEqualTo(401);
    assertThat(publish(scm, token(), zip).statusCode()).isEqualTo(200);

    String key = sites.listFunctionKeys("rg1", "flex-app", "echo").properties().get("default");
    long coldBefore = azure.stats().coldStarts();
    HttpResponse<String> first = invoke(created.defaultHostname(), key, "one");
    HttpResponse<String> second = invoke(created.defaultHostname(), key, "two");
    assertThat(first.body()).isEqualTo("echo:one");
    assertThat(second.body()).isEqualTo("echo:two");
    assertThat(second.headers().firstValue("X-Pid")).isEqualTo(first.headers().firstValue("X-Pid"));
    assertThat(azure.stats().coldStarts() - coldBefore).isEqualTo(1);
    sites.delete("rg1", "flex-app");
  }

  @Test
  void anAsyncOneDeployIsAcceptedAndItsStatusEndsInSuccess() throws Exception {
    SiteInner created = sites.createOrUpdate("rg1", "flex-async", site(config(512)));
    sites.updateApplicationSettings(
        "rg1",
        "flex-async",
        new StringDictionaryInner().withProperties(Map.of("DEPLOYMENT_STORAGE", "conn")));
    String scm = scmHost(created);
    HttpResponse<String> accepted =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("https://" + scm + "/api/publish?RemoteBuild=false&isAsync=true"))
                .header("Content-Type", "application/zip")
                .header("Authorization", "Bearer " + token())
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestPackages.echoPackage("00:01:00")))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(accepted.statusCode()).isEqualTo(202);
    URI status = URI.create(accepted.headers().firstValue("Location").orElseThrow());
    assertThat(status.getRawAuthority()).isEqualTo(scm);
    assertThat(status.getPath()).startsWith("/api/deployments/");
    assertThat(get(status, null).statusCode()).isEqualTo(401);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              HttpResponse<String> r = get(status, token());
              assertThat(r.statusCode()).isEqualTo(200);
              assertThat(r.body()).contains("\"status\":4").contains("\"complete\":true");
            });
    assertThat(get(URI.create("https://" + scm + "/api/deployments/latest"), token()).body())
        .contains("\"status\":4");
    assertThat(get(URI.create("https://" + scm + "/api/deployments/nope"), token()).statusCode())
        .isEqualTo(404);
    String key = sites.listFunctionKeys("rg1", "flex-async", "echo").properties().get("default");
    assertThat(invoke(created.defaultHostname(), key, "after").body()).isEqualTo("echo:after");
    sites.delete("rg1", "flex-async");
  }

  HttpResponse<String> get(URI uri, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void oneDeployNeedsTheDeploymentStorageSetting() throws Exception {
    SiteInner created = sites.createOrUpdate("rg1", "flex-nostorage", site(config(512)));

    HttpResponse<String> r =
        publish(scmHost(created), token(), TestPackages.echoPackage("00:01:00"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("DEPLOYMENT_STORAGE");
    sites.delete("rg1", "flex-nostorage");
  }

  @Test
  void aFlexSiteWithoutFunctionAppConfigIs400() {
    assertThatThrownBy(() -> sites.createOrUpdate("rg1", "flex-bare", site(null)))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> {
              assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
              assertThat(e.getValue().getMessage()).contains("FunctionAppConfig is required");
            });
  }

  @Test
  void aFlexMemoryOutsideItsSizesIs400() {
    assertThatThrownBy(() -> sites.createOrUpdate("rg1", "flex-1024", site(config(1024))))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> {
              assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
              assertThat(e.getValue().getMessage()).contains("InstanceMemoryMB 1024 is invalid");
            });
  }

  @Test
  void aFlexSiteRefusesLinuxFxVersionAndRunFromPackage() {
    SiteInner withFx =
        site(config(512)).withSiteConfig(new SiteConfigInner().withLinuxFxVersion("Java|21"));
    assertThatThrownBy(() -> sites.createOrUpdate("rg1", "flex-fx", withFx))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> assertThat(e.getValue().getMessage()).contains("LinuxFxVersion"));

    sites.createOrUpdate("rg1", "flex-rfp", site(config(512)));
    assertThatThrownBy(
            () ->
                sites.updateApplicationSettings(
                    "rg1",
                    "flex-rfp",
                    new StringDictionaryInner()
                        .withProperties(Map.of("WEBSITE_RUN_FROM_PACKAGE", "https://x/p.zip"))))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> {
              assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
              assertThat(e.getValue().getMessage()).contains("WEBSITE_RUN_FROM_PACKAGE");
            });
    sites.delete("rg1", "flex-rfp");
  }

  @Test
  void anFc1PlanMustBeLinuxAndAConsumptionSiteRefusesFunctionAppConfig() {
    assertThatThrownBy(
            () -> plans.createOrUpdate("rg1", "flex-windows", flexPlan().withReserved(false)))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(400));
    SiteInner consumption =
        new SiteInner()
            .withLocation("westeurope")
            .withKind("functionapp,linux")
            .withFunctionAppConfig(config(512));
    assertThatThrownBy(() -> sites.createOrUpdate("rg1", "not-flex", consumption))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> assertThat(e.getValue().getMessage()).contains("only supported for Flex"));
  }

  HttpResponse<String> invoke(String host, String key, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("https://" + host + "/api/echo"))
            .header("x-functions-key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
