package dev.quarry.azure.emulator;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.appservice.AppServiceManager;
import java.util.Map;

/** The real App Service management SDK pointed at an emulator: environment and HTTP client. */
final class AzureSdk {

  private AzureSdk() {}

  static HttpClient httpClient(AzureFunctionsEmulator azure) {
    return new JdkHttpClientBuilder(
            java.net.http.HttpClient.newBuilder().sslContext(azure.sslContext()))
        .build();
  }

  static TokenCredential credential(AzureFunctionsEmulator azure, String secret) {
    AzureEmulatorOptions o = azure.options();
    return new ClientSecretCredentialBuilder()
        .authorityHost(azure.endpoint().toString())
        .tenantId(o.tenantId())
        .clientId(o.clientId())
        .clientSecret(secret)
        .disableInstanceDiscovery()
        .httpClient(httpClient(azure))
        .build();
  }

  static AppServiceManager manager(AzureFunctionsEmulator azure) {
    return manager(azure, azure.options().clientSecret());
  }

  static AppServiceManager manager(AzureFunctionsEmulator azure, String secret) {
    String url = azure.endpoint() + "/";
    AzureEnvironment env =
        new AzureEnvironment(
            Map.of(
                "resourceManagerEndpointUrl", url,
                "managementEndpointUrl", url,
                "activeDirectoryEndpointUrl", url,
                "activeDirectoryResourceId", url,
                "microsoftGraphResourceId", url));
    AzureProfile profile =
        new AzureProfile(azure.options().tenantId(), azure.options().subscriptionId(), env);
    return AppServiceManager.configure()
        .withHttpClient(httpClient(azure))
        .authenticate(credential(azure, secret), profile);
  }
}
