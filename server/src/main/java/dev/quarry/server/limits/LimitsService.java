package dev.quarry.server.limits;

import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

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
  static final Map<String, String> COLUMNS = Map.of(
      "maxConcurrentInvocations", "max_concurrent_invocations",
      "maxInputsPerJob", "max_inputs_per_job",
      "maxInputBytes", "max_input_bytes",
      "maxRequestBytes", "max_request_bytes",
      "maxJobsInFlight", "max_jobs_in_flight",
      "requestsPerSecond", "requests_per_second");

  private final JdbcClient jdbc;
  private final QuarryProperties props;
  private final AuditLog audit;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  public LimitsService(JdbcClient jdbc, QuarryProperties props, AuditLog audit) {
    this.jdbc = jdbc;
    this.props = props;
    this.audit = audit;
  }

  /** The server-wide defaults every tenant starts with. */
  public TenantLimits defaults() {
    var d = props.tenantDefaults();
    var l = props.limits();
    return new TenantLimits(
        d.maxConcurrentInvocations(), l.maxInputsPerJob(), l.maxInputBytes(), l.maxRequestBytes(),
        d.maxJobsInFlight(), d.requestsPerSecond());
  }

  public TenantLimits of(String tenant) {
    long now = System.currentTimeMillis();
    Cached c = cache.get(tenant);
    if (c != null && c.until > now) {
      return c.limits;
    }
    TenantLimits d = defaults();
    TenantLimits limits =
        jdbc.sql("select * from tenant_limits where tenant_id = ?")
            .param(tenant)
            .query((rs, n) -> merge(rs, d))
            .optional()
            .orElse(d);
    cache.put(tenant, new Cached(limits, now + CACHE_MS));
    return limits;
  }

  /**
   * Sets overrides for a tenant; a null value returns that limit to the default. Values may not
   * exceed the server's hard limits ({@code quarry.limits.*}).
   *
   * @throws ApiException NOT_FOUND for an unknown tenant, INVALID_ARGUMENT for bad values
   */
  public TenantLimits set(Principal operator, String tenant, Map<String, @Nullable Integer> values) {
    operator.require(Role.OPERATOR);
    if (jdbc.sql("select count(*) from tenants where id = ?").param(tenant).query(Long.class).single() == 0) {
      throw ApiException.notFound(ErrorReason.TENANT_NOT_FOUND, tenant);
    }
    for (var e : values.entrySet()) {
      if (!COLUMNS.containsKey(e.getKey())) {
        throw ApiException.invalid("unknown limit '" + dev.quarry.server.api.JsonErrors.clip(e.getKey()) + "'; known: " + new java.util.TreeSet<>(COLUMNS.keySet()));
      }
      Integer v = e.getValue();
      if (v != null && (v < 1 || v > hardMax(e.getKey()))) {
        throw ApiException.invalid("limit '" + e.getKey() + "' must be between 1 and " + hardMax(e.getKey()) + ", got " + v);
      }
    }
    jdbc.sql("insert into tenant_limits (tenant_id) values (?) on conflict do nothing").param(tenant).update();
    for (var e : values.entrySet()) {
      jdbc.sql("update tenant_limits set " + COLUMNS.get(e.getKey()) + " = ?, updated_at = now() where tenant_id = ?")
          .params(e.getValue(), tenant)
          .update();
    }
    audit.record(tenant, operator, "limits.set", values.toString());
    cache.remove(tenant);
    return of(tenant);
  }

  public TenantLimits get(Principal caller, String tenant) {
    caller.require(Role.OPERATOR);
    if (jdbc.sql("select count(*) from tenants where id = ?").param(tenant).query(Long.class).single() == 0) {
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
      default -> MAX_CONCURRENCY;
    };
  }

  private static TenantLimits merge(ResultSet rs, TenantLimits d) throws SQLException {
    return new TenantLimits(
        or(rs, "max_concurrent_invocations", d.maxConcurrentInvocations()),
        or(rs, "max_inputs_per_job", d.maxInputsPerJob()),
        or(rs, "max_input_bytes", d.maxInputBytes()),
        or(rs, "max_request_bytes", d.maxRequestBytes()),
        or(rs, "max_jobs_in_flight", d.maxJobsInFlight()),
        or(rs, "requests_per_second", d.requestsPerSecond()));
  }

  private static int or(ResultSet rs, String column, int fallback) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? fallback : v;
  }

  private record Cached(TenantLimits limits, long until) {}
}
