package dev.quarry.server.limits;

import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.api.JsonErrors;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.tenancy.TenantService;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Effective limits per tenant: the server defaults ({@code quarry.tenant-defaults.*}, bounded by
 * {@code quarry.limits.*}) overridden by what the operator set for the tenant. Cached briefly;
 * setting limits clears the cache of this replica at once and others within seconds.
 */
@Service
public class LimitsService {
  private static final long CACHE_MS = 5_000;

  /** Upper bound of maxConcurrentInvocations and maxJobsInFlight. */
  public static final int MAX_CONCURRENCY = 10_000;

  public static final int MAX_REQUESTS_PER_SECOND = 100_000;

  /** The limits an operator can set, by their API names. */
  static final Set<String> NAMES =
      Set.of(
          "maxConcurrentInvocations",
          "maxInputsPerJob",
          "maxInputBytes",
          "maxRequestBytes",
          "maxJobsInFlight",
          "requestsPerSecond",
          "maxStorageMib",
          "maxStorageObjects");

  private final TenantLimitsRepository repository;
  private final TenantService tenants;
  private final TransactionTemplate tx;
  private final QuarryProperties props;
  private final AuditLog audit;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  LimitsService(
      TenantLimitsRepository repository,
      TenantService tenants,
      TransactionTemplate tx,
      QuarryProperties props,
      AuditLog audit) {
    this.repository = repository;
    this.tenants = tenants;
    this.tx = tx;
    this.props = props;
    this.audit = audit;
  }

  /** The server-wide defaults every tenant starts with. */
  public TenantLimits defaults() {
    var d = props.tenantDefaults();
    var l = props.limits();
    return new TenantLimits(
        d.maxConcurrentInvocations(),
        l.maxInputsPerJob(),
        l.maxInputBytes(),
        l.maxRequestBytes(),
        d.maxJobsInFlight(),
        d.requestsPerSecond(),
        d.maxStorageMib(),
        d.maxStorageObjects());
  }

  public TenantLimits of(String tenant) {
    long now = System.currentTimeMillis();
    Cached c = cache.get(tenant);
    if (c != null && c.until > now) {
      return c.limits;
    }
    TenantLimits d = defaults();
    TenantLimits limits = repository.findById(tenant).map(l -> l.over(d)).orElse(d);
    cache.put(tenant, new Cached(limits, now + CACHE_MS));
    return limits;
  }

  /**
   * Sets overrides for a tenant; a null value returns that limit to the default. Values may not
   * exceed the server's hard limits ({@code quarry.limits.*}).
   *
   * @throws ApiException NOT_FOUND for an unknown tenant, INVALID_ARGUMENT for bad values
   */
  public TenantLimits set(
      Principal operator, String tenant, Map<String, @Nullable Integer> values) {
    operator.require(Role.OPERATOR);
    if (!tenants.exists(tenant)) {
      throw ApiException.notFound(ErrorReason.TENANT_NOT_FOUND, tenant);
    }
    for (var e : values.entrySet()) {
      if (!NAMES.contains(e.getKey())) {
        throw ApiException.invalid(
            "unknown limit '" + JsonErrors.clip(e.getKey()) + "'; known: " + new TreeSet<>(NAMES));
      }
      Integer v = e.getValue();
      if (v != null && (v < 1 || v > hardMax(e.getKey()))) {
        throw ApiException.invalid(
            "limit '"
                + e.getKey()
                + "' must be between 1 and "
                + hardMax(e.getKey())
                + ", got "
                + v);
      }
    }
    tx.executeWithoutResult(
        s -> {
          repository.insertIfAbsent(tenant);
          TenantLimitsEntity row = repository.findById(tenant).orElseThrow();
          values.forEach(row::set);
          audit.record(tenant, operator, "limits.set", values.toString());
        });
    cache.remove(tenant);
    return of(tenant);
  }

  public TenantLimits get(Principal caller, String tenant) {
    caller.require(Role.OPERATOR);
    if (!tenants.exists(tenant)) {
      throw ApiException.notFound(ErrorReason.TENANT_NOT_FOUND, tenant);
    }
    return of(tenant);
  }

  private int hardMax(String limit) {
    var l = props.limits();
    return switch (limit) {
      case "maxInputsPerJob" -> l.maxInputsPerJob();
      case "maxInputBytes" -> l.maxInputBytes();
      case "maxRequestBytes" -> l.maxRequestBytes();
      case "requestsPerSecond" -> MAX_REQUESTS_PER_SECOND;
      case "maxStorageMib", "maxStorageObjects" -> Integer.MAX_VALUE;
      default -> MAX_CONCURRENCY;
    };
  }

  private record Cached(TenantLimits limits, long until) {}
}
