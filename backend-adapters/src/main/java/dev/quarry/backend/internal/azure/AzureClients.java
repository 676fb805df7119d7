package dev.quarry.backend.internal.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.appservice.AppServiceManager;
import com.azure.resourcemanager.appservice.fluent.AppServicePlansClient;
import com.azure.resourcemanager.appservice.fluent.WebAppsClient;
import com.azure.resourcemanager.storage.StorageManager;
import com.azure.resourcemanager.storage.fluent.StorageAccountsClient;
import dev.quarry.backend.azure.AzureFunctionsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The management SDK's clients for one service principal and subscription, on the JDK HTTP client
 * (no Netty), pointed at {@link AzureFunctionsOptions#resourceManagerEndpoint()} and {@link
 * AzureFunctionsOptions#authorityHost()}; and the JDK clients calling the worker app's HTTP
 * trigger; the credential and Resource Manager scope also open the app's SCM (Kudu) endpoint.
 *
 * <p>There is one trigger client per {@value #CONNECTIONS_PER_INVOKER} invocations of the lane's
 * concurrency (at most {@value #MAX_INVOKERS}), each call on one of them at random: over HTTP/1.1
 * every concurrent call holds a connection, and the JDK client files each connection it takes back
 * into a list it walks on every return, so one client holding a thousand keep-alive connections
 * spends more time in that walk (under its pool's lock) than in the call; small pools keep it
 * short.
 */
record AzureClients(
    WebAppsClient sites,
    AppServicePlansClient plans,
    StorageAccountsClient storageAccounts,
    KeepingBuilder management,
    List<java.net.http.HttpClient> invokers,
    TokenCredential credential,
    String managementScope) {

  static final int CONNECTIONS_PER_INVOKER = 64;
  static final int MAX_INVOKERS = 16;

  AzureClients {
    invokers = List.copyOf(invokers);
  }

  /** A client for one call of the HTTP trigger. */
  java.net.http.HttpClient invoker() {
    return invokers.get(ThreadLocalRandom.current().nextInt(invokers.size()));
  }

  /**
   * Closes the trigger clients once their calls have ended, then the management SDK's client (its
   * calls, a deploy or a runtimes call, are cancelled).
   */
  void close() {
    invokers.forEach(java.net.http.HttpClient::close);
    management.built().forEach(java.net.http.HttpClient::shutdownNow);
  }

  static AzureClients create(AzureFunctionsOptions o) {
    java.net.http.HttpClient.Builder jdk =
        java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    o.sslContext().ifPresent(jdk::sslContext);
    KeepingBuilder management = new KeepingBuilder(jdk);
    HttpClient http = new JdkHttpClientBuilder(management).build();
    boolean publicCloud =
        o.authorityHost().equals(AzureFunctionsOptions.DEFAULT_AUTHORITY_HOST)
            && o.resourceManagerEndpoint().equals(AzureFunctionsOptions.DEFAULT_RESOURCE_MANAGER);
    ClientSecretCredentialBuilder credential =
        new ClientSecretCredentialBuilder()
            .authorityHost(o.authorityHost().toString())
            .tenantId(o.tenantId())
            .clientId(o.clientId())
            .clientSecret(o.clientSecret())
            .httpClient(http);
    if (!publicCloud) {
      credential.disableInstanceDiscovery();
    }
    TokenCredential token = credential.build();
    AzureEnvironment env;
    if (publicCloud) {
      env = AzureEnvironment.AZURE;
    } else {
      String rm = withSlash(o.resourceManagerEndpoint().toString());
      env =
          new AzureEnvironment(
              Map.of(
                  "resourceManagerEndpointUrl", rm,
                  "managementEndpointUrl", rm,
                  "activeDirectoryEndpointUrl", withSlash(o.authorityHost().toString()),
                  "activeDirectoryResourceId", rm,
                  "microsoftGraphResourceId", rm));
    }
    AzureProfile profile = new AzureProfile(o.tenantId(), o.subscriptionId(), env);
    AppServiceManager appService =
        AppServiceManager.configure().withHttpClient(http).authenticate(token, profile);
    StorageManager storage =
        StorageManager.configure().withHttpClient(http).authenticate(token, profile);
    int count =
        Math.clamp(
            (o.concurrency() + CONNECTIONS_PER_INVOKER - 1) / CONNECTIONS_PER_INVOKER,
            1,
            MAX_INVOKERS);
    List<java.net.http.HttpClient> invokers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      invokers.add(jdk.build());
    }
    return new AzureClients(
        appService.serviceClient().getWebApps(),
        appService.serviceClient().getAppServicePlans(),
        storage.serviceClient().getStorageAccounts(),
        management,
        invokers,
        token,
        withSlash(o.resourceManagerEndpoint().toString()) + ".default");
  }

  private static String withSlash(String s) {
    return s.endsWith("/") ? s : s + "/";
  }
}
