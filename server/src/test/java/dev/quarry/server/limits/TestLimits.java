package dev.quarry.server.limits;

import dev.quarry.server.QuarryProperties;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@link LimitsService}s for unit tests in other packages: no database, no overrides. */
public final class TestLimits {
  private TestLimits() {}

  /**
   * Every tenant gets the server defaults, with at most {@code maxConcurrentInvocations}
   * invocations at once. Only {@link LimitsService#of} and {@link LimitsService#defaults} work:
   * setting or reading limits as an operator needs the tenants, the audit log and a transaction,
   * which this service does not have.
   */
  public static LimitsService everyTenant(int maxConcurrentInvocations) {
    QuarryProperties props =
        new Binder(
                new MapConfigurationPropertySource(
                    Map.of(
                        "quarry.tenant-defaults.max-concurrent-invocations",
                        String.valueOf(maxConcurrentInvocations))))
            .bindOrCreate("quarry", QuarryProperties.class);
    return new LimitsService(new NoOverrides(), null, null, props, null);
  }

  /** No tenant has overrides, and none can be stored. */
  private static final class NoOverrides implements TenantLimitsRepository {
    @Override
    public Optional<TenantLimitsEntity> findById(String tenantId) {
      return Optional.empty();
    }

    @Override
    public int insertIfAbsent(String tenantId) {
      throw new UnsupportedOperationException("TestLimits stores no overrides");
    }
  }
}
