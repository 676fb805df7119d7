package dev.quarry.server.backend;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.lambda.LambdaBackend;
import dev.quarry.backend.lambda.LambdaBackendOptions;
import dev.quarry.backend.lambda.LambdaBackends;
import dev.quarry.backend.lambda.LambdaRuntimes;
import dev.quarry.backend.lambda.WorkerPackage;
import dev.quarry.backend.resilience.ResilienceOptions;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.credentials.CredentialService;
import dev.quarry.server.credentials.ProfileService;
import dev.quarry.server.credentials.ProfileService.Profile;
import dev.quarry.server.storage.WorkerStorage;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The backend of every (tenant, profile) pair, each behind its own resilience decorator (so
 * circuits, bulkheads and rate limits are per profile). Jobs without a profile run on the default
 * local backend. Lanes are built on first use and rebuilt when their profile changes (checked at
 * most every {@link #RECHECK}).
 */
@Component
public class BackendRegistry implements AutoCloseable {
  /** How long a lane is trusted before its profile is read again. */
  static final Duration RECHECK = Duration.ofSeconds(5);
  /** Lanes of the local pool share this budget key. */
  public static final String LOCAL_BUDGET = "local";

  private static final Logger log = LoggerFactory.getLogger(BackendRegistry.class);

  /**
   * Where a job's invocations go.
   *
   * @param key {@code tenant/profile}, or {@code tenant/} for the default backend
   * @param budget lanes with the same budget share capacity ({@link #LOCAL_BUDGET} for the pool)
   * @param inlineInputBytes inputs larger than this travel through storage, not in the envelope
   * @param runtimes deployments of a Lambda lane, null for others
   */
  public record Lane(
      String key, String budget, ComputeBackend backend, int inlineInputBytes, String profile,
      @Nullable LambdaRuntimes runtimes) {}

  private record Entry(Lane lane, @Nullable Instant profileUpdatedAt, Instant checkedAt) {}

  private final LocalPool pool;
  private final ComputeBackend defaultBackend;
  private final ProfileService profiles;
  private final CredentialService credentials;
  private final WorkerStorage storage;
  private final dev.quarry.storage.ObjectStore store;
  private final QuarryProperties props;
  private final ObjectProvider<MeterRegistry> meters;
  private final Clock clock;
  private final Map<String, Entry> lanes = new ConcurrentHashMap<>();
  private volatile @Nullable WorkerPackage workerPackage;

  BackendRegistry(
      LocalPool pool,
      ProfileService profiles,
      CredentialService credentials,
      WorkerStorage storage,
      dev.quarry.storage.ObjectStore store,
      QuarryProperties props,
      ObjectProvider<MeterRegistry> meters,
      Clock clock) {
    this.store = store;
    this.pool = pool;
    this.profiles = profiles;
    this.credentials = credentials;
    this.storage = storage;
    this.props = props;
    this.meters = meters;
    this.clock = clock;
    ProfileSettings.requireValidDefaults(props.backend().resilience());
    this.defaultBackend = Resilient.wrap(pool.shared(), props.backend().resilience(), meters);
  }

  /**
   * The lane of a tenant's jobs on {@code profile} (null or empty: the default backend).
   *
   * @throws BackendException PERMANENT when the profile is gone or cannot be used (missing
   *     credential, no S3 storage, no worker package)
   */
  public Lane lane(String tenant, @Nullable String profile) {
    if (profile == null || profile.isEmpty()) {
      return new Lane(tenant + "/", LOCAL_BUDGET, defaultBackend, Integer.MAX_VALUE, "", null);
    }
    String key = tenant + "/" + profile;
    Entry entry = lanes.get(key);
    Instant now = clock.instant();
    if (entry != null && entry.checkedAt().plus(RECHECK).isAfter(now)) {
      return entry.lane();
    }
    synchronized (this) {
      entry = lanes.get(key);
      Profile current =
          profiles.lookup(tenant, profile)
              .orElseThrow(() -> new BackendException(Kind.PERMANENT, "profile '" + profile + "' no longer exists"));
      if (entry != null && current.updatedAt().equals(entry.profileUpdatedAt())) {
        lanes.put(key, new Entry(entry.lane(), entry.profileUpdatedAt(), now));
        return entry.lane();
      }
      Lane lane;
      try {
        lane = open(tenant, current);
      } catch (dev.quarry.server.api.ApiException e) {
        // a row written before its setting had a range: fail this profile's work, nothing else
        throw new BackendException(
            Kind.PERMANENT, "profile '" + profile + "' cannot be used: " + e.getMessage() + "; fix it with PUT /v1/profiles/" + profile);
      }
      lanes.put(key, new Entry(lane, current.updatedAt(), now));
      if (entry != null) {
        retire(entry.lane());
      }
      return lane;
    }
  }

  /** The budgets of the lanes open now, with their capacity. */
  public Map<String, Integer> budgets() {
    Map<String, Integer> out = new java.util.HashMap<>();
    out.put(LOCAL_BUDGET, pool.capacity());
    for (Entry e : lanes.values()) {
      out.put(e.lane().budget(), e.lane().backend().capacity());
    }
    return out;
  }

  /**
   * Deployments reachable through a tenant's Lambda profile.
   *
   * @throws BackendException PERMANENT when the profile is not a usable Lambda profile
   */
  public LambdaRuntimes runtimes(String tenant, String profile) {
    Profile p =
        profiles.lookup(tenant, profile)
            .orElseThrow(() -> new BackendException(Kind.PERMANENT, "no profile named '" + profile + "'"));
    if (!p.backend().equals("lambda")) {
      throw new BackendException(Kind.PERMANENT, "profile '" + profile + "' uses backend " + p.backend() + ", not lambda");
    }
    LambdaRuntimes runtimes = lane(tenant, profile).runtimes();
    if (runtimes == null) {
      throw new BackendException(Kind.PERMANENT, "profile '" + profile + "' is not a Lambda profile");
    }
    return runtimes;
  }

  /** The Lambda settings of a tenant's profile (validated when it was written). */
  public ProfileSettings.Lambda lambdaSettings(String tenant, String profile) {
    Profile p =
        profiles.lookup(tenant, profile)
            .orElseThrow(() -> new BackendException(Kind.PERMANENT, "no profile named '" + profile + "'"));
    return ProfileSettings.lambda(p.settings());
  }

  private Lane open(String tenant, Profile p) {
    String key = tenant + "/" + p.name();
    ResilienceOptions defaults = ProfileSettings.resilience(props.backend().resilience(), p.settings());
    return switch (p.backend()) {
      case "local" -> new Lane(key, LOCAL_BUDGET,
          Resilient.wrap(pool.shared(), defaults, "local:" + key, meters), Integer.MAX_VALUE, p.name(), null);
      case "lambda" -> openLambda(tenant, p, key);
      default -> throw new BackendException(
          Kind.PERMANENT, "backend " + p.backend() + " of profile '" + p.name() + "' is not supported by this server yet");
    };
  }

  private Lane openLambda(String tenant, Profile p, String key) {
    if (!storage.settings().getType().equals("s3")) {
      throw new BackendException(
          Kind.PERMANENT, "Lambda profiles need the server to use S3 storage (quarry.storage.type=s3)");
    }
    ProfileSettings.Lambda settings = ProfileSettings.lambda(p.settings());
    LambdaBackendOptions.Builder options =
        LambdaBackendOptions.builder()
            .region(settings.region())
            .endpoint(settings.endpoint())
            .concurrency(settings.concurrency())
            .runtime(settings.runtime())
            .workerPackage(workerPackage())
            // workers reach exactly their invocation's objects through pre-signed URLs
            .store(store);
    if (p.credential() != null) {
      Map<String, String> secret = credentials.openForServer(tenant, p.credential(), "lambda profile " + p.name());
      if (!secret.containsKey("accessKeyId")) {
        throw new BackendException(Kind.PERMANENT,
            "credential '" + p.credential() + "' has no accessKeyId/secretAccessKey; role-only credentials are not supported for Lambda yet");
      }
      options.credentials(secret.get("accessKeyId"), secret.get("secretAccessKey"), secret.get("sessionToken"));
    }
    LambdaBackend raw = LambdaBackends.create(options.build());
    ResilienceOptions resilience = ProfileSettings.resilience(props.backend().resilience(), p.settings());
    if (!p.settings().containsKey("maxConcurrentInvocations")) {
      resilience = resilience.toBuilder().maxConcurrentInvocations(settings.concurrency()).build();
    }
    ComputeBackend wrapped = Resilient.wrap(raw, resilience, "lambda:" + key, meters);
    log.info("Opened Lambda lane {} (function {})", key, options.build().functionName());
    return new Lane(key, key, wrapped, settings.inlineInputBytes(), p.name(), raw.runtimes());
  }

  private WorkerPackage workerPackage() {
    WorkerPackage pkg = workerPackage;
    if (pkg == null) {
      try {
        String path = props.lambda().workerPackage();
        pkg = path.isBlank()
            ? WorkerPackage.fromClasspath(BackendRegistry.class.getClassLoader())
            : WorkerPackage.fromFile(Path.of(path));
      } catch (RuntimeException e) {
        throw new BackendException(Kind.PERMANENT, e.getMessage(), e);
      }
      workerPackage = pkg;
    }
    return pkg;
  }

  /** Closes a replaced lane once its invocations can have ended. */
  private void retire(Lane lane) {
    Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(Duration.ofMinutes(16));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      lane.backend().close();
    });
  }

  @Override
  public void close() {
    List<Lane> open = new ArrayList<>();
    lanes.values().forEach(e -> open.add(e.lane()));
    lanes.clear();
    open.forEach(l -> l.backend().close());
    defaultBackend.close();
  }
}
