package dev.quarry.server.credentials;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.backend.BackendPlugin;
import dev.quarry.server.backend.BackendPlugins;
import dev.quarry.server.db.TenantScopedName;
import dev.quarry.server.storage.ProfileStores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Named backend profiles of a tenant (e.g. {@code aws-prod} = Lambda in eu-west-1 with credentials
 * {@code team-aws}). Admins write them; members submit jobs to them by name.
 *
 * <p>A profile is read on every submit, dispatch and result read, so lookups by name are cached
 * (bounded, {@value #MAX_CACHED} names, absent ones too). A write clears this replica's cache once
 * it is committed and tells the other replicas at commit ({@code NOTIFY quarry_profiles}, which
 * {@code PgListener} turns into {@link #invalidateAll}); an entry also expires {@link #CACHE_TTL}
 * after it was read, which bounds how stale a replica can be if it missed a notification.
 */
@Service
public class ProfileService {
  private static final int MAX_SETTINGS = 32;

  /** Profile names whose lookups are cached. */
  static final int MAX_CACHED = 10_000;

  /** How long a cached lookup is trusted without a notification. */
  static final Duration CACHE_TTL = Duration.ofSeconds(5);

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<TreeMap<String, String>> SETTINGS = new TypeReference<>() {};

  private final ProfileRepository repository;
  private final TransactionTemplate tx;
  private final CredentialService credentials;
  private final AuditLog audit;
  private final BackendPlugins plugins;
  private final ObjectProvider<ProfileStores> stores;
  private final JdbcClient jdbc;
  private final Cache<TenantScopedName, Optional<Profile>> cache;

  ProfileService(
      ProfileRepository repository,
      TransactionTemplate tx,
      CredentialService credentials,
      AuditLog audit,
      BackendPlugins plugins,
      ObjectProvider<ProfileStores> stores,
      JdbcClient jdbc,
      Clock clock) {
    this.jdbc = jdbc;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(MAX_CACHED)
            .expireAfterWrite(CACHE_TTL)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .build();
    this.repository = repository;
    this.tx = tx;
    this.credentials = credentials;
    this.audit = audit;
    this.plugins = plugins;
    this.stores = stores;
  }

  /** A profile: which backend, its settings, and the credential set it uses (by name). */
  public record Profile(
      String name,
      String backend,
      Map<String, String> settings,
      @Nullable String credential,
      Instant createdAt,
      Instant updatedAt) {}

  /**
   * @throws ApiException INVALID_ARGUMENT for bad fields or a {@code bucket} the credential cannot
   *     write, read and delete in; NOT_FOUND for an unknown credential
   */
  public Profile put(
      Principal admin,
      String name,
      String backend,
      Map<String, String> settings,
      @Nullable String credential) {
    admin.require(Role.ADMIN);
    CredentialService.requireName(name);
    plugins.require(backend);
    if (settings.size() > MAX_SETTINGS
        || settings.entrySet().stream()
            .anyMatch(e -> e.getKey().length() > 64 || e.getValue().length() > 1024)) {
      throw ApiException.invalid(
          "settings: at most "
              + MAX_SETTINGS
              + " entries, keys up to 64 and values up to 1024 characters");
    }
    String kind = credential == null ? null : credentials.kind(admin.tenantId(), credential);
    if (credential != null && kind == null) {
      throw ApiException.notFound(ErrorReason.CREDENTIAL_NOT_FOUND, credential);
    }
    plugins.validate(backend, settings, kind);
    // a bucket must be reachable with the profile's credential before any job is sent there
    stores.getObject().check(admin.tenantId(), settings, credential, kind);
    String json = JSON.writeValueAsString(new TreeMap<>(settings));
    try {
      return tx.execute(
          s -> {
            repository.upsert(admin.tenantId(), name, backend, json, credential);
            audit.record(admin, "profile.put", name);
            notifyReplicas();
            return read(admin.tenantId(), name).orElseThrow();
          });
    } finally {
      invalidateAll();
    }
  }

  public List<Profile> list(Principal caller) {
    caller.require(Role.VIEWER);
    return repository.findByTenant(caller.tenantId()).stream()
        .map(ProfileService::profile)
        .toList();
  }

  /**
   * @throws ApiException NOT_FOUND for an unknown profile
   */
  public Profile delete(Principal admin, String name) {
    admin.require(Role.ADMIN);
    try {
      return tx.execute(
          s -> {
            Profile existing =
                read(admin.tenantId(), name)
                    .orElseThrow(() -> ApiException.notFound(ErrorReason.PROFILE_NOT_FOUND, name));
            repository.delete(new TenantScopedName(admin.tenantId(), name));
            audit.record(admin, "profile.delete", name);
            notifyReplicas();
            return existing;
          });
    } finally {
      invalidateAll();
    }
  }

  /**
   * Forgets every cached lookup: a profile changed on another replica, or this replica may have
   * missed a notification (the listening connection was lost).
   */
  public void invalidateAll() {
    cache.invalidateAll();
  }

  /** Tells every replica, at commit of the current transaction, to forget cached lookups. */
  private void notifyReplicas() {
    jdbc.sql("select pg_notify('quarry_profiles', '')").query().singleRow();
  }

  /**
   * The profile a job is submitted to, checked against what this server can run; opens (and audits)
   * its credential when it has one.
   *
   * @throws ApiException NOT_FOUND for an unknown profile, INVALID_ARGUMENT for a backend this
   *     server does not run
   */
  public Profile forSubmit(Principal caller, String name) {
    Profile p =
        find(caller.tenantId(), name)
            .orElseThrow(() -> ApiException.notFound(ErrorReason.PROFILE_NOT_FOUND, name));
    BackendPlugin plugin =
        plugins
            .find(p.backend())
            .orElseThrow(
                () ->
                    ApiException.invalid(
                        "profile '"
                            + name
                            + "' uses backend '"
                            + p.backend()
                            + "', which this server does not run (it runs "
                            + plugins.kinds()
                            + ")"));
    plugin
        .unavailable(p.settings())
        .ifPresent(
            why -> {
              throw ApiException.invalid("profile '" + name + "' cannot run here: " + why);
            });
    if (p.credential() != null) {
      credentials.open(caller, p.credential(), "job on profile " + name);
    }
    return p;
  }

  /** A tenant's profile by name, for the server's own use (no caller to check). */
  public Optional<Profile> lookup(String tenant, String name) {
    return find(tenant, name);
  }

  private Optional<Profile> find(String tenant, String name) {
    return cache.get(new TenantScopedName(tenant, name), id -> read(tenant, name));
  }

  private Optional<Profile> read(String tenant, String name) {
    return repository.findById(new TenantScopedName(tenant, name)).map(ProfileService::profile);
  }

  private static Profile profile(ProfileEntity p) {
    // shared by every reader of the cache: not to be changed
    Map<String, String> settings =
        Collections.unmodifiableMap(JSON.readValue(p.settings(), SETTINGS));
    return new Profile(
        p.id().name(), p.backend(), settings, p.credentialName(), p.createdAt(), p.updatedAt());
  }
}
