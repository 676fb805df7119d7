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
import java.util.Map;

/**
 * The management SDK's clients for one service principal and subscription, on the JDK HTTP client
 * (no Netty), pointed at {@link AzureFunctionsOptions#resourceManagerEndpoint()} and {@link
 * AzureFunctionsOptions#authorityHost()}.
 */
record AzureClients(
    WebAppsClient sites,
    AppServicePlansClient plans,
    StorageAccountsClient storageAccounts,
    java.net.http.HttpClient invoker) {

  static AzureClients create(AzureFunctionsOptions o) {
    java.net.http.HttpClient.Builder jdk =
        java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    o.sslContext().ifPresent(jdk::sslContext);
    HttpClient http = new JdkHttpClientBuilder(jdk).build();
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
    return new AzureClients(
        appService.serviceClient().getWebApps(),
        appService.serviceClient().getAppServicePlans(),
        storage.serviceClient().getStorageAccounts(),
        jdk.build());
  }

  private static String withSlash(String s) {
    return s.endsWith("/") ? s : s + "/";
  }
}
