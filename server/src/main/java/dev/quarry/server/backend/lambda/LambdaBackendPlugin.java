package dev.quarry.server.backend.lambda;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.lambda.LambdaBackend;
import dev.quarry.backend.lambda.LambdaBackendOptions;
import dev.quarry.backend.lambda.LambdaBackends;
import dev.quarry.backend.lambda.RuntimeSpec;
import dev.quarry.backend.lambda.WorkerPackage;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.backend.CredentialRule;
import dev.quarry.server.backend.LaneRequest;
import dev.quarry.server.backend.OpenedLane;
import dev.quarry.server.backend.PresignedStoreBackendPlugin;
import dev.quarry.server.backend.Pricing;
import dev.quarry.server.credentials.CredentialService;
import dev.quarry.server.storage.FunctionStorageTokens;
import dev.quarry.server.storage.ProfileStores;
import dev.quarry.storage.ObjectStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Backend kind {@code lambda}: one function per lane in the account and region of the profile's
 * {@code aws} credential (the default lane, {@code quarry.backend.type=lambda}, uses the AWS SDK's
 * default credential chain). Needs the server on S3 storage: workers reach exactly their
 * invocation's objects through pre-signed URLs. Each lane has its own budget (its {@code
 * concurrency}) and a runtimes API.
 */
@Component
public class LambdaBackendPlugin extends PresignedStoreBackendPlugin {
  public static final String KIND = "lambda";
  private static final Logger log = LoggerFactory.getLogger(LambdaBackendPlugin.class);

  private volatile @Nullable WorkerPackage workerPackage;

  public LambdaBackendPlugin(
      CredentialService credentials,
      ObjectStore store,
      ObjectProvider<ProfileStores> stores,
      QuarryProperties props,
      FunctionStorageTokens storageTokens) {
    super(KIND, LambdaSettings.NAMES, credentials, store, stores, props, storageTokens);
  }

  @Override
  public void validate(Map<String, String> settings) {
    if (settings.containsKey("endpoint") && !props.lambda().allowEndpointOverride()) {
      throw ApiException.invalid(
          "setting 'endpoint' is disabled on this server (quarry.lambda.allow-endpoint-override)");
    }
    LambdaSettings.parse(settings);
  }

  @Override
  public CredentialRule credentials() {
    return CredentialRule.required("aws");
  }

  @Override
  public Optional<String> unavailable() {
    return props.storage().type().equals("s3")
        ? Optional.empty()
        : Optional.of("Lambda needs the server to use S3 storage (quarry.storage.type=s3)");
  }

  /** A profile naming its own S3 bucket runs whatever the server's store is. */
  @Override
  public Optional<String> unavailable(Map<String, String> settings) {
    return settings.containsKey(ProfileStores.BUCKET)
        ? Optional.empty()
        : unavailable()
            .map(why -> why + ", or the profile to name its own S3 bucket (setting 'bucket')");
  }

  @Override
  public Optional<Pricing> pricing(Map<String, String> settings) {
    return Optional.of(LambdaSettings.pricing(settings));
  }

  @Override
  public OpenedLane open(LaneRequest request) {
    Optional<String> why = request.isDefault() ? unavailable() : unavailable(request.settings());
    if (why.isPresent()) {
      throw new BackendException(Kind.PERMANENT, why.get());
    }
    LambdaSettings settings = LambdaSettings.parse(request.settings());
    // one function per tenant: a warm instance never runs two tenants' code (the default lane,
    // shared by every tenant, has one function)
    RuntimeSpec runtime =
        request.isDefault() ? settings.runtime() : settings.runtime().forTenant(request.tenant());
    LambdaBackendOptions.Builder options =
        LambdaBackendOptions.builder()
            .region(settings.region())
            .endpoint(settings.endpoint())
            .concurrency(settings.concurrency())
            .grantGrace(java.time.Duration.ofSeconds(settings.grantGraceSeconds()))
            .runtime(runtime)
            .workerPackage(workerPackage())
            // workers reach exactly their invocation's objects through pre-signed URLs, signed for
            // the profile's own bucket when it names one
            .store(storeOf(request))
            // context functions call the server's Storage API back with a per-invocation token
            .storageTokens(storageTokens);
    if (request.credential() != null) {
      Map<String, String> secret =
          credentials.openForServer(
              request.tenant(), request.credential(), "lambda profile " + request.profile());
      if (!secret.containsKey("accessKeyId")) {
        throw new BackendException(
            Kind.PERMANENT,
            "credential '"
                + request.credential()
                + "' has no accessKeyId/secretAccessKey;"
                + " role-only credentials are not supported for Lambda yet");
      }
      options.credentials(
          secret.get("accessKeyId"), secret.get("secretAccessKey"), secret.get("sessionToken"));
    }
    LambdaBackendOptions built = options.build();
    LambdaBackend raw = LambdaBackends.create(built);
    log.info("Opened Lambda lane {} (function {})", request.key(), built.functionName());
    return new OpenedLane(
        raw,
        request.key(),
        false,
        settings.inlineInputBytes(),
        settings.concurrency(),
        new LambdaRuntimesView(raw.runtimes(), runtime));
  }

  private WorkerPackage workerPackage() {
    WorkerPackage pkg = workerPackage;
    if (pkg == null) {
      try {
        String path = props.lambda().workerPackage();
        pkg =
            path.isBlank()
                ? WorkerPackage.fromClasspath(LambdaBackendPlugin.class.getClassLoader())
                : WorkerPackage.fromFile(Path.of(path));
      } catch (RuntimeException e) {
        throw new BackendException(Kind.PERMANENT, e.getMessage(), e);
      }
      workerPackage = pkg;
    }
    return pkg;
  }
}
