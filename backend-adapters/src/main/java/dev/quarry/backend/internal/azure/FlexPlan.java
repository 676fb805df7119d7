package dev.quarry.backend.internal.azure;

import com.azure.resourcemanager.appservice.fluent.models.AppServicePlanInner;
import com.azure.resourcemanager.appservice.fluent.models.SiteInner;
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
import dev.quarry.backend.BackendException;
import dev.quarry.backend.azure.AzureFunctionsOptions;
import dev.quarry.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Flex Consumption (plan FC1, tier FlexConsumption, Linux): the site carries a {@code
 * functionAppConfig} (runtime java 21; deployment storage, a blob container of the profile's
 * storage account reached with the connection string in the app setting {@value
 * #DEPLOYMENT_STORAGE_SETTING}; the instance memory and the maximum instance count) and no {@code
 * linuxFxVersion}; the package is deployed once through the app's one-deploy endpoint ({@code POST
 * https://<scm host>/api/publish?RemoteBuild=false}, the zip as body, a Microsoft Entra token for
 * Resource Manager as bearer), which writes it to the deployment container and restarts the app on
 * it ({@link OneDeployClient}). Flex refuses {@code WEBSITE_RUN_FROM_PACKAGE}, {@code
 * FUNCTIONS_WORKER_RUNTIME} and {@code FUNCTIONS_EXTENSION_VERSION} as app settings: the runtime is
 * in {@code functionAppConfig}.
 */
record FlexPlan(AzureFunctionsOptions options, AzureClients clients, StorageAccountKeys storage)
    implements PlanSpec {

  static final String DEPLOYMENT_STORAGE_SETTING = "DEPLOYMENT_STORAGE_CONNECTION_STRING";

  @Override
  public AppServicePlanInner plan() {
    return PlanSpec.linuxPlan(options, "FC1", "FlexConsumption");
  }

  @Override
  public SiteInner shape(String name, SiteInner site) {
    StorageAccountKeys.Account account = storage.account();
    String container = container(name);
    try (ObjectStore ignored = StorageAccountKeys.open(account, container)) {
      // opening with createContainer makes the deployment container when missing
    }
    FunctionsDeploymentStorage deployment =
        new FunctionsDeploymentStorage()
            .withType(FunctionsDeploymentStorageType.BLOB_CONTAINER)
            .withValue(account.blobEndpoint() + "/" + container)
            .withAuthentication(
                new FunctionsDeploymentStorageAuthentication()
                    .withType(AuthenticationType.STORAGE_ACCOUNT_CONNECTION_STRING)
                    .withStorageAccountConnectionStringName(DEPLOYMENT_STORAGE_SETTING));
    return site.withFunctionAppConfig(
        new FunctionAppConfig()
            .withDeployment(new FunctionsDeployment().withStorage(deployment))
            .withRuntime(new FunctionsRuntime().withName(RuntimeName.JAVA).withVersion("21"))
            .withScaleAndConcurrency(
                new FunctionsScaleAndConcurrency()
                    .withInstanceMemoryMB(options.memoryMb())
                    .withMaximumInstanceCount(options.flexMaximumInstanceCount())));
  }

  @Override
  public void configure(String name, SiteInner site) {
    StorageAccountKeys.Account account = storage.account();
    PlanSpec.writeSettings(
        options,
        clients,
        name,
        account.connectionString(),
        Map.of(DEPLOYMENT_STORAGE_SETTING, account.connectionString()));
    new OneDeployClient(clients).deploy(name, scmHost(site), options.workerPackage().zip());
  }

  /** The app's deployment container: {@code app-package-} and 16 hex digits of its name. */
  static String container(String name) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return "app-package-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The site's SCM (Kudu) host: its repository host name, as ARM lists it. */
  static String scmHost(SiteInner site) {
    if (site.hostnameSslStates() != null) {
      for (HostnameSslState s : site.hostnameSslStates()) {
        if (HostType.REPOSITORY.equals(s.hostType()) && s.name() != null) {
          return s.name();
        }
      }
    }
    String host = site.defaultHostname();
    int dot = host.indexOf('.');
    if (dot < 0) {
      throw new BackendException(
          BackendException.Kind.TRANSIENT, "function app " + site.name() + " has no SCM host yet");
    }
    return host.substring(0, dot) + ".scm" + host.substring(dot);
  }
}
