package dev.quarry.server.backend;

import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.resilience.ResilienceMetrics;
import dev.quarry.backend.resilience.ResilienceOptions;
import dev.quarry.backend.resilience.ResilientBackends;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;

/** Wraps every lane's backend in the same Resilience4j layer, exported to Micrometer. */
final class Resilient {
  private Resilient() {}

  /** Decorates {@code raw} as {@code name} (circuits are named {@code name/tenant[/profile]}). */
  static ComputeBackend wrap(
      ComputeBackend raw,
      ResilienceOptions options,
      String name,
      ObjectProvider<MeterRegistry> meters) {
    ResilienceMetrics metrics = ResilienceMetrics.create();
    meters.ifAvailable(metrics::bindTo);
    return ResilientBackends.decorate(raw, options, name, metrics);
  }
}
