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
    ResilienceOptions.Builder options =
        ResilienceOptions.DEFAULT.toBuilder()
            .maxAttempts(r.maxAttempts())
            .failureRateThreshold(r.failureRateThreshold())
            .slidingWindowSize(r.slidingWindowSize())
            .minimumNumberOfCalls(r.minimumNumberOfCalls())
            .waitDurationInOpenState(r.waitDurationInOpenState());
    if (r.invocationsPerSecond() > 0) {
      options.invocationsPerSecond(r.invocationsPerSecond());
    }
    if (r.maxConcurrentInvocations() > 0) {
      options.maxConcurrentInvocations(r.maxConcurrentInvocations());
    }
    ResilienceMetrics metrics = ResilienceMetrics.create();
    meters.ifAvailable(metrics::bindTo);
    return ResilientBackends.decorate(raw, options.build(), raw.type(), metrics);
  }
}
