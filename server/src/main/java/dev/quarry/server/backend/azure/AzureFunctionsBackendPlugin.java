package dev.quarry.server.backend.azure;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.azure.AzureFunctionsBackend;
import dev.quarry.backend.azure.AzureFunctionsOptions;
import dev.quarry.backend.lambda.RuntimeSpec;
import dev.quarry.backend.lambda.WorkerPackage;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.backend.CredentialRule;
import dev.quarry.server.backend.LaneRequest;
import dev.quarry.server.backend.OpenedLane;
import dev.quarry.server.backend.PresignedStoreBackendPlugin;
import dev.quarry.server.credentials.CredentialService;
import dev.quarry.server.storage.FunctionStorageTokens;
import dev.quarry.server.storage.ProfileStores;
import dev.quarry.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Backend kind {@code azure-functions}: one worker function app per lane (per tenant, worker build
 * and memory) in the subscription of the profile's {@code azure} credential (a service principal).
 * Needs the server on Azure Blob storage: workers reach exactly their invocation's objects through
 * pre-signed (SAS) URLs, and their tenant's Storage API (context functions) through a token per
 * invocation. Each lane has its own budget (its {@code concurrency}) and a runtimes API.
 */
@Component
public class AzureFunctionsBackendPlugin extends PresignedStoreBackendPlugin {
  public static final String KIND = "azure-functions";

  /** Class-path resource holding the worker's Azure Functions package in the server. */
  public static final String PACKAGE_RESOURCE = "quarry/worker-azure.zip";

  private static final Logger log = LoggerFactory.getLogger(AzureFunctionsBackendPlugin.class);

  private volatile @Nullable WorkerPackage workerPackage;
  private volatile @Nullable SSLContext trust;

  public AzureFunctionsBackendPlugin(
      CredentialService credentials,
      ObjectStore store,
      ObjectProvider<ProfileStores> stores,
      QuarryProperties props,
      FunctionStorageTokens storageTokens) {
    super(KIND, AzureFunctionsSettings.NAMES, credentials, store, stores, props, storageTokens);
  }

  @Override
  public void validate(Map<String, String> settings) {
    if ((settings.containsKey("authorityHost") || settings.containsKey("resourceManagerEndpoint"))
        && !props.azure().allowEndpointOverride()) {
      throw ApiException.invalid(
          "settings 'authorityHost' and 'resourceManagerEndpoint' are disabled on this server"
              + " (quarry.azure.allow-endpoint-override)");
    }
    AzureFunctionsSettings.parse(settings);
  }

  @Override
  public CredentialRule credentials() {
    return CredentialRule.required("azure");
  }

  /**
   * Workers reach a job's objects through SAS URLs of the server's Azure Blob container; a
   * profile's own bucket is S3, which they could not reach.
   */
  @Override
  public boolean supportsProfileBucket() {
    return false;
  }

  @Override
  public Optional<String> unavailable() {
    return props.storage().type().equals("azure-blob")
        ? Optional.empty()
        : Optional.of(
            "Azure Functions needs the server to use Azure Blob storage"
                + " (quarry.storage.type=azure-blob)");
  }

  @Override
  public OpenedLane open(LaneRequest request) {
    requireAvailable();
    if (request.credential() == null) {
      throw new BackendException(
          Kind.PERMANENT, "azure-functions profiles need a credential of kind azure");
    }
    validate(request.settings());
    AzureFunctionsSettings s = AzureFunctionsSettings.parse(request.settings());
    Map<String, String> secret =
        credentials.openForServer(
            request.tenant(), request.credential(), "azure-functions profile " + request.profile());
    AzureFunctionsOptions.Builder options =
        AzureFunctionsOptions.builder()
            .servicePrincipal(
                secret.getOrDefault("tenantId", ""),
                secret.getOrDefault("clientId", ""),
                secret.getOrDefault("clientSecret", ""),
                secret.getOrDefault("subscriptionId", ""))
            .resourceGroup(s.resourceGroup())
            .region(s.region())
            .plan(s.plan())
            .storageAccount(s.storageAccount())
            .memoryMb(s.memoryMb())
            .timeoutSeconds(s.timeoutSeconds())
            .concurrency(s.concurrency())
            .workerPackage(workerPackage())
            // one app per tenant: a warm instance never runs two tenants' code
            .tenantTag(RuntimeSpec.tenantTag(request.tenant()))
            .store(storeOf(request))
            .grantGrace(Duration.ofSeconds(s.grantGraceSeconds()))
            .storageTokens(storageTokens)
            .sslContext(trust());
    if (s.authorityHost() != null) {
      options.authorityHost(s.authorityHost());
    }
    if (s.resourceManagerEndpoint() != null) {
      options.resourceManagerEndpoint(s.resourceManagerEndpoint());
    }
    AzureFunctionsOptions built;
    try {
      built = options.build();
    } catch (IllegalArgumentException e) {
      throw new BackendException(
          Kind.PERMANENT,
          "azure-functions profile " + request.profile() + ": " + e.getMessage(),
          e);
    }
    AzureFunctionsBackend raw = AzureFunctionsBackend.create(built);
    log.info("Opened Azure Functions lane {} (app {})", request.key(), built.appName());
    return new OpenedLane(
        raw,
        request.key(),
        false,
        s.inlineInputBytes(),
        s.concurrency(),
        new AzureRuntimesView(raw.runtimes()));
  }

  private WorkerPackage workerPackage() {
    WorkerPackage pkg = workerPackage;
    if (pkg == null) {
      String path = props.azure().workerPackage();
      try {
        if (path.isBlank()) {
          try (InputStream in =
              AzureFunctionsBackendPlugin.class
                  .getClassLoader()
                  .getResourceAsStream(PACKAGE_RESOURCE)) {
            if (in == null) {
              throw new BackendException(
                  Kind.PERMANENT,
                  "the worker's Azure Functions package ("
                      + PACKAGE_RESOURCE
                      + ") is not on the class path; build with ./quarry build or set"
                      + " quarry.azure.worker-package");
            }
            pkg = WorkerPackage.of(in.readAllBytes());
          }
        } else {
          pkg = WorkerPackage.fromFile(Path.of(path));
        }
      } catch (IOException | RuntimeException e) {
        throw e instanceof BackendException b
            ? b
            : new BackendException(Kind.PERMANENT, "cannot read the worker package: " + e, e);
      }
      workerPackage = pkg;
    }
    return pkg;
  }

  private @Nullable SSLContext trust() {
    String path = props.azure().trustStore();
    if (path.isBlank()) {
      return null;
    }
    SSLContext ctx = trust;
    if (ctx == null) {
      try (InputStream in = Files.newInputStream(Path.of(path))) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(in, props.azure().trustStorePassword().toCharArray());
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
      } catch (IOException | GeneralSecurityException e) {
        throw new BackendException(
            Kind.PERMANENT, "cannot load quarry.azure.trust-store " + path + ": " + e, e);
      }
      trust = ctx;
    }
    return ctx;
  }
}
