package dev.quarry.server.backend;

import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.resilience.ResilienceMetrics;
import dev.quarry.backend.resilience.ResilienceOptions;
import dev.quarry.backend.resilience.ResilientBackends;
import dev.quarry.server.QuarryProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;

/** Wraps every backend in the same Resilience4j layer, configured by {@code quarry.backend.resilience.*}. */
final class Resilient {
  private Resilient() {}

  static ComputeBackend wrap(
      ComputeBackend raw, QuarryProperties.Resilience r, ObjectProvider<MeterRegistry> meters) {
    return wrap(raw, options(r), raw.type(), meters);
  }

  /** Decorates {@code raw} as {@code name} (circuits are named {@code name/tenant[/profile]}). */
  static ComputeBackend wrap(
      ComputeBackend raw, ResilienceOptions options, String name, ObjectProvider<MeterRegistry> meters) {
    ResilienceMetrics metrics = ResilienceMetrics.create();
    meters.ifAvailable(metrics::bindTo);
    return ResilientBackends.decorate(raw, options, name, metrics);
  }

  static ResilienceOptions options(QuarryProperties.Resilience r) {
    return ProfileSettings.resilience(r, java.util.Map.of());
  }
}
