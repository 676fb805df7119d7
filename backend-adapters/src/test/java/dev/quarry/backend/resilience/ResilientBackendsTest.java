package dev.quarry.backend.resilience;

import static dev.quarry.backend.resilience.FaultyBackend.CRASH;
import static dev.quarry.backend.resilience.FaultyBackend.HANG;
import static dev.quarry.backend.resilience.FaultyBackend.OK;
import static dev.quarry.backend.resilience.FaultyBackend.PERMANENT;
import static dev.quarry.backend.resilience.FaultyBackend.TRANSIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.quarry.backend.BackendException;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResilientBackendsTest {
  private static final AtomicInteger IDS = new AtomicInteger();

  /** Small circuit window, short open wait. */
  private static final ResilienceOptions FAST =
      ResilienceOptions.builder()
          .slidingWindowSize(4)
          .minimumNumberOfCalls(4)
          .waitDurationInOpenState(Duration.ofMillis(200))
          .permittedCallsInHalfOpenState(1)
          .build();

  private ResilientBackend resilient;

  @AfterEach
  void tearDown() {
    if (resilient != null) {
      resilient.close();
    }
  }

  @Test
  void aTransientFailureIsReportedAfterOneCallNotRetried() throws Exception {
    FaultyBackend backend = FaultyBackend.scripted(TRANSIENT, OK);
    resilient = ResilientBackends.decorate(backend, FAST, "test");

    assertFailure(resilient.invoke(envelope("t1")))
        .satisfies(e -> assertThat(kind(e)).isEqualTo(BackendException.Kind.TRANSIENT))
        .withMessageContaining("injected TRANSIENT");
    assertThat(backend.calls).as("attempts are counted by the caller, not here").hasSize(1);
    assertThat(resilient.invoke(envelope("t1")).get(5, TimeUnit.SECONDS).getOutcomes(0).getOk())
        .isTrue();
    assertThat(backend.calls).hasSize(2);
  }

  @Test
  @SuppressWarnings("removal")
  void theDeprecatedRetrySettingsAreIgnored() {
    FaultyBackend backend = FaultyBackend.scripted(TRANSIENT, TRANSIENT, OK);
    resilient =
        ResilientBackends.decorate(
            backend,
            FAST.toBuilder().maxAttempts(5).backoff(ms(1), 2.0, 0.5, ms(5)).build(),
            "test");

    assertFailure(resilient.invoke(envelope("t1")))
        .satisfies(e -> assertThat(kind(e)).isEqualTo(BackendException.Kind.TRANSIENT));
    assertThat(backend.calls).hasSize(1);
  }

  @Test
  void doesNotRetryPermanentOrCrash() {
    FaultyBackend backend = FaultyBackend.scripted(PERMANENT, CRASH);
    resilient = ResilientBackends.decorate(backend, FAST, "test");

    assertFailure(resilient.invoke(envelope("t1")))
        .satisfies(e -> assertThat(kind(e)).isEqualTo(BackendException.Kind.PERMANENT));
    assertFailure(resilient.invoke(envelope("t1")))
        .satisfies(e -> assertThat(kind(e)).isEqualTo(BackendException.Kind.CRASH));
    assertThat(backend.calls).hasSize(2);
  }

  @Test
  void functionErrorInsideSummaryIsASuccess() throws Exception {
    FaultyBackend backend =
        new FaultyBackend(envelope -> new FaultyBackend.Step.FunctionError("boom"));
    resilient = ResilientBackends.decorate(backend, FAST, "test");

    for (int i = 0; i < 6; i++) {
      InvocationSummary summary = resilient.invoke(envelope("t1")).get(5, TimeUnit.SECONDS);
      assertThat(summary.getOutcomes(0).getOk()).isFalse();
      assertThat(summary.getOutcomes(0).getError().getMessage()).isEqualTo("boom");
    }
    assertThat(backend.calls).hasSize(6);
    assertThat(resilient.circuitState("t1")).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void permanentFailuresDoNotOpenTheCircuit() {
    FaultyBackend backend = new FaultyBackend(envelope -> PERMANENT);
    resilient = ResilientBackends.decorate(backend, FAST, "test");

    for (int i = 0; i < 8; i++) {
      assertFailure(resilient.invoke(envelope("t1")))
          .satisfies(e -> assertThat(kind(e)).isEqualTo(BackendException.Kind.PERMANENT));
    }
    assertThat(resilient.circuitState("t1")).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void opensCircuitAfterSustainedFailuresAndFailsFastWithCircuitOpenException() throws Exception {
    FaultyBackend backend = FaultyBackend.scripted(CRASH, CRASH, CRASH, CRASH);
    resilient = ResilientBackends.decorate(backend, FAST, "lambda");
    for (int i = 0; i < 4; i++) {
      assertFailure(resilient.invoke(envelope("t1")))
          .satisfies(e -> assertThat(kind(e)).isEqualTo(BackendException.Kind.CRASH));
    }
    Instant opened = Instant.now();

    assertThat(resilient.circuitState("t1")).isEqualTo(CircuitBreaker.State.OPEN);
    // what the dashboard shows: open, why, and until when
    CircuitStatus status = resilient.circuit("t1", "");
    assertThat(status.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(status.lastFailure()).isNotBlank();
    assertThat(status.lastFailureAt()).isBetween(opened.minusSeconds(5), opened.plusMillis(300));
    assertThat(status.openUntil()).isBetween(opened.minusMillis(100), opened.plusMillis(300));
    assertThat(resilient.circuit("t1", "other-profile")).isEqualTo(CircuitStatus.UNUSED);
    for (int i = 0; i < 3; i++) {
      assertFailure(resilient.invoke(envelope("t1")))
          .isInstanceOfSatisfying(
              CircuitOpenException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(BackendException.Kind.TRANSIENT);
                assertThat(e.circuit()).isEqualTo("lambda/t1");
                assertThat(e.openUntil())
                    .isBetween(opened.minusMillis(100), opened.plusMillis(300));
              })
          .withMessageContaining("circuit 'lambda/t1' is open until");
    }
    assertThat(backend.calls).as("no call reaches the backend while open").hasSize(4);

    Thread.sleep(250);
    InvocationSummary summary = resilient.invoke(envelope("t1")).get(5, TimeUnit.SECONDS);

    assertThat(summary.getOutcomes(0).getOk()).isTrue();
    assertThat(resilient.circuitState("t1")).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(backend.calls).hasSize(5);
  }

  @Test
  void circuitsAreIsolatedPerTenant() throws Exception {
    FaultyBackend backend =
        new FaultyBackend(envelope -> envelope.getTenantId().equals("bad") ? CRASH : OK);
    resilient = ResilientBackends.decorate(backend, FAST, "test");
    for (int i = 0; i < 4; i++) {
      assertFailure(resilient.invoke(envelope("bad")));
    }

    assertFailure(resilient.invoke(envelope("bad"))).isInstanceOf(CircuitOpenException.class);
    assertThat(resilient.invoke(envelope("good")).get(5, TimeUnit.SECONDS).getOutcomes(0).getOk())
        .isTrue();
    assertThat(resilient.circuitState("bad")).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(resilient.circuitState("good")).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(resilient.circuit("good", "").lastFailure()).isNull();
    assertThat(resilient.circuit("bad", "").lastFailure()).isNotBlank();
  }

  @Test
  void bulkheadCapsConcurrentInvocations() throws Exception {
    FaultyBackend backend = new FaultyBackend(envelope -> FaultyBackend.delay(ms(150), OK));
    resilient =
        ResilientBackends.decorate(
            backend, FAST.toBuilder().maxConcurrentInvocations(2).build(), "test");

    var first = resilient.invoke(envelope("t1"));
    var second = resilient.invoke(envelope("t1"));
    assertThat(resilient.inFlight()).isEqualTo(2);
    var third = resilient.invoke(envelope("t1"));

    assertFailure(third)
        .satisfies(e -> assertThat(kind(e)).isEqualTo(BackendException.Kind.TRANSIENT))
        .withMessageContaining("bulkhead full");
    assertThat(first.get(5, TimeUnit.SECONDS).getOutcomes(0).getOk()).isTrue();
    assertThat(second.get(5, TimeUnit.SECONDS).getOutcomes(0).getOk()).isTrue();
    assertThat(resilient.invoke(envelope("t1")).get(5, TimeUnit.SECONDS).getOutcomes(0).getOk())
        .as("permits come back")
        .isTrue();
    assertThat(backend.maxRunning.get()).isEqualTo(2);
    assertThat(resilient.capacity()).isEqualTo(2);
    // the permit comes back in a callback of the completion the test just saw
    await().atMost(Duration.ofSeconds(5)).until(() -> resilient.inFlight() == 0);
  }

  @Test
  void rateLimiterCapsInvocationsPerSecond() throws Exception {
    FaultyBackend backend = FaultyBackend.scripted();
    resilient =
        ResilientBackends.decorate(
            backend, FAST.toBuilder().invocationsPerSecond(3).build(), "test");
    List<CompletableFuture<InvocationSummary>> futures = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      futures.add(resilient.invoke(envelope("t1")));
    }
    Thread.sleep(300);
    int inFirstPeriod = backend.calls.size();
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

    assertThat(inFirstPeriod).isLessThanOrEqualTo(3);
    assertThat(backend.calls).hasSize(6);
    assertThat(backend.callTimesNanos.get(3) - backend.callTimesNanos.get(0))
        .as("the fourth call waited for the next one-second period")
        .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(700));
  }

  @Test
  void rateLimitedPastTheMaxWaitFailsTransient() {
    FaultyBackend backend = FaultyBackend.scripted();
    resilient =
        ResilientBackends.decorate(
            backend,
            FAST.toBuilder().invocationsPerSecond(1).rateLimitMaxWait(Duration.ZERO).build(),
            "test");

    resilient.invoke(envelope("t1")).join();

    assertFailure(resilient.invoke(envelope("t1")))
        .satisfies(e -> assertThat(kind(e)).isEqualTo(BackendException.Kind.TRANSIENT))
        .withMessageContaining("rate limited");
  }

  @Test
  void invocationPastDeadlineFailsTransient() {
    FaultyBackend backend = FaultyBackend.scripted(HANG);
    resilient =
        ResilientBackends.decorate(
            backend, FAST.toBuilder().deadlineGrace(ms(100)).build(), "test");
    TaskEnvelope envelope =
        envelope("t1").toBuilder().setDeadlineMs(System.currentTimeMillis() + 100).build();
    long start = System.nanoTime();

    assertFailure(resilient.invoke(envelope))
        .satisfies(e -> assertThat(kind(e)).isEqualTo(BackendException.Kind.TRANSIENT))
        .withMessageContaining("invocation timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(ms(150), ms(3000));
  }

  @Test
  void underThirtyPercentInjectedTransientFailuresEachInvocationIsExactlyOneCall()
      throws Exception {
    Random random = new Random(42);
    FaultyBackend backend =
        new FaultyBackend(
            envelope -> {
              synchronized (random) {
                return random.nextDouble() < 0.3 ? TRANSIENT : OK;
              }
            });
    // a circuit that opens only when every call of a window fails stays closed
    resilient =
        ResilientBackends.decorate(
            backend, ResilienceOptions.builder().failureRateThreshold(100f).build(), "test");

    List<CompletableFuture<InvocationSummary>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(resilient.invoke(envelope("t1")));
    }
    int failed = 0;
    for (CompletableFuture<InvocationSummary> f : futures) {
      try {
        assertThat(f.get(20, TimeUnit.SECONDS).getOutcomesList())
            .hasSize(1)
            .allMatch(o -> o.getOk());
      } catch (ExecutionException e) {
        assertThat(kind(e.getCause())).isEqualTo(BackendException.Kind.TRANSIENT);
        failed++;
      }
    }

    assertThat(backend.calls).as("exactly one call per invocation").hasSize(200);
    assertThat(backend.successes).hasValue(200 - failed);
    assertThat(failed).isBetween(30, 90);
    assertThat(resilient.circuitState("t1")).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void metricsAreExported() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ResilienceMetrics metrics = ResilienceMetrics.create();
    metrics.bindTo(registry);
    resilient = ResilientBackends.decorate(FaultyBackend.scripted(OK), FAST, "metered", metrics);

    resilient.invoke(envelope("t1")).get(5, TimeUnit.SECONDS);

    assertThat(
            registry
                .get("resilience4j.circuitbreaker.state")
                .tag("name", "metered/t1")
                .tag("state", "closed")
                .gauge()
                .value())
        .isEqualTo(1.0);
    assertThat(registry.find("resilience4j.retry.calls").meters()).as("no retry here").isEmpty();
    assertThat(registry.find("resilience4j.bulkhead.available.concurrent.calls").gauges())
        .isNotEmpty();
  }

  @Test
  void rejectsADuplicateNameInTheSameMetrics() {
    ResilienceMetrics metrics = ResilienceMetrics.create();
    resilient = ResilientBackends.decorate(FaultyBackend.scripted(), FAST, "dup", metrics);

    assertThatThrownBy(
            () -> ResilientBackends.decorate(FaultyBackend.scripted(), FAST, "dup", metrics))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'dup'");
  }

  @Test
  void closeClosesTheWrappedBackendAndRefusesNewInvocations() {
    FaultyBackend backend = FaultyBackend.scripted();
    ResilientBackend decorated = ResilientBackends.decorate(backend, FAST, "test");

    decorated.close();

    assertThat(backend.closed).isTrue();
    assertFailure(decorated.invoke(envelope("t1")))
        .satisfies(e -> assertThat(kind(e)).isEqualTo(BackendException.Kind.TRANSIENT));
    assertThat(decorated.metrics().bulkheads().find("test")).isEmpty();
  }

  static TaskEnvelope envelope(String tenant) {
    return TaskEnvelope.newBuilder()
        .setInvocationId("inv-" + IDS.incrementAndGet())
        .setTenantId(tenant)
        .build();
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private static BackendException.Kind kind(Throwable e) {
    return ((BackendException) e).kind();
  }

  private static ThrowableAssertAlternative<?> assertFailure(
      CompletableFuture<InvocationSummary> future) {
    return assertThatExceptionOfType(ExecutionException.class)
        .isThrownBy(() -> future.get(5, TimeUnit.SECONDS))
        .havingCause()
        .isInstanceOf(BackendException.class);
  }
}
