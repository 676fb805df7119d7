package dev.quarry.server.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.backend.BackendException;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.backend.BackendFakes.FakeBackend;
import dev.quarry.server.backend.BackendFakes.FakePlugin;
import dev.quarry.server.backend.BackendFakes.MutableClock;
import dev.quarry.server.credentials.ProfileService.Profile;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The registry's decisions, with fake plug-ins and profiles: no Spring context, no processes. */
class BackendRegistryTest {
  private final MutableClock clock = new MutableClock();
  private final Map<String, Profile> profiles = new HashMap<>();
  private final FakePlugin fake = new FakePlugin("fake", "shared");
  private final FakePlugin other = new FakePlugin("other", null);
  private BackendRegistry registry;

  @AfterEach
  void close() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aLaneIsOpenedOnceAndReopenedOnlyWhenItsProfileChanges() {
    registry = registry("fake", Map.of());
    profile("p", "fake", Map.of());

    BackendRegistry.Lane first = registry.lane("t", "p");
    clock.advance(BackendRegistry.RECHECK.plusSeconds(1));
    BackendRegistry.Lane unchanged = registry.lane("t", "p");
    profile("p", "fake", Map.of("failureRateThreshold", "60"));
    BackendRegistry.Lane withinRecheck = registry.lane("t", "p");
    clock.advance(BackendRegistry.RECHECK.plusSeconds(1));
    BackendRegistry.Lane changed = registry.lane("t", "p");

    assertThat(unchanged).isSameAs(first);
    assertThat(withinRecheck).as("trusted for RECHECK").isSameAs(first);
    assertThat(changed).isNotSameAs(first);
    assertThat(fake.opened)
        .extracting(LaneRequest::key)
        .containsExactly(LaneRequest.DEFAULT_KEY, "t/p", "t/p");
    assertThat(changed.key()).isEqualTo("t/p");
    assertThat(changed.kind()).isEqualTo("fake");
    assertThat(changed.profile()).isEqualTo("p");
  }

  @Test
  void aReplacedLaneClosesWhenItsLastInvocationEndsNotBefore() {
    registry = registry("fake", Map.of());
    profile("p", "fake", Map.of());
    BackendRegistry.Lane old = registry.lane("t", "p");
    CompletableFuture<InvocationSummary> a = old.backend().invoke(envelope("t"));
    CompletableFuture<InvocationSummary> b = old.backend().invoke(envelope("t"));
    FakeBackend oldRaw = fake.backends.get(1);

    replaceProfile("p");
    BackendRegistry.Lane replacement = registry.lane("t", "p");

    assertThat(replacement).isNotSameAs(old);
    assertThat(registry.inFlight("t", "p")).isZero();
    assertThat(oldRaw.closed).as("two invocations still run").isFalse();
    oldRaw.complete(0);
    assertThat(a).isCompleted();
    assertThat(oldRaw.closed).as("one invocation still runs").isFalse();
    oldRaw.complete(1);
    assertThat(b).isCompleted();
    assertThat(oldRaw.closed).as("closed on its last invocation").isTrue();
    assertThat(fake.backends.get(2).closed).isFalse();
  }

  @Test
  void aReplacedLaneWithNothingInFlightClosesAtOnce() {
    registry = registry("fake", Map.of());
    profile("p", "fake", Map.of());
    registry.lane("t", "p");

    replaceProfile("p");
    registry.lane("t", "p");

    assertThat(fake.backends.get(1).closed).isTrue();
  }

  @Test
  void anInvocationOnAClosedReplacedLaneRunsOnItsReplacement() {
    registry = registry("fake", Map.of());
    profile("p", "fake", Map.of());
    BackendRegistry.Lane old = registry.lane("t", "p");
    replaceProfile("p");
    BackendRegistry.Lane replacement = registry.lane("t", "p");

    CompletableFuture<InvocationSummary> late = old.backend().invoke(envelope("t"));

    assertThat(fake.backends.get(1).calls).isEmpty();
    assertThat(fake.backends.get(2).calls).hasSize(1);
    assertThat(registry.inFlight("t", "p")).isEqualTo(1);
    fake.backends.get(2).complete(0);
    assertThat(late).isCompleted();
    assertThat(registry.inFlight("t", "p")).isZero();
    assertThat(replacement.backend().invoke(envelope("t"))).isNotDone();
  }

  @Test
  void aProfileMovedToAnotherKindGetsThatPlugInsLaneAndBudget() {
    registry = registry("fake", Map.of());
    profile("p", "fake", Map.of());
    assertThat(registry.lane("t", "p").budget()).isEqualTo("shared");

    clock.advance(BackendRegistry.RECHECK.plusSeconds(1));
    profile("p", "other", Map.of());
    BackendRegistry.Lane moved = registry.lane("t", "p");

    assertThat(moved.kind()).isEqualTo("other");
    assertThat(moved.budget()).isEqualTo("t/p");
    assertThat(registry.budgets()).containsEntry("shared", 8).containsEntry("t/p", 8);
    assertThat(registry.queuesBacklog("shared")).isTrue();
    assertThat(registry.queuesBacklog("t/p")).isFalse();
  }

  @Test
  void theDefaultLaneIsOpenedAtStartWithTheConfiguredKindAndSettings() {
    registry = registry("other", Map.of("mode", "fast"));

    BackendRegistry.Lane lane = registry.lane("t", null);

    assertThat(other.opened)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.isDefault()).isTrue();
              assertThat(r.settings()).containsEntry("mode", "fast");
            });
    assertThat(fake.opened).isEmpty();
    assertThat(lane.kind()).isEqualTo("other");
    assertThat(lane.key()).isEqualTo("t/");
    assertThat(lane.budget()).isEqualTo(LaneRequest.DEFAULT_KEY);
    assertThat(registry.lane("u", ""))
        .extracting(BackendRegistry.Lane::backend)
        .isSameAs(lane.backend());
  }

  @Test
  void anUnknownDefaultKindStopsStartUpListingTheKnownOnes() {
    assertThatThrownBy(() -> registry("kubernetes", Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("quarry.backend.type must be one of [fake, other], got 'kubernetes'");
  }

  @Test
  void badDefaultSettingsOrAnUnavailableDefaultKindStopStartUp() {
    assertThatThrownBy(() -> registry("other", Map.of("mode", "slow")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("quarry.backend.settings (backend other): setting 'mode'");
    assertThatThrownBy(() -> registry("other", Map.of("colour", "red")))
        .hasMessageContaining("unknown setting 'colour'");
    other.unavailable = "it needs S3";
    assertThatThrownBy(() -> registry("other", Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("quarry.backend.type=other cannot be used: it needs S3");
    assertThat(other.opened).isEmpty();
  }

  @Test
  void aProfileOfAKindWithoutPlugInFailsOnlyItsOwnWork() {
    registry = registry("fake", Map.of());
    profile("az", "azure-functions", Map.of());
    profile("ok", "fake", Map.of());

    assertThatThrownBy(() -> registry.lane("t", "az"))
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
        .hasMessageContaining("backend azure-functions of profile 'az'")
        .hasMessageContaining("[fake, other]");
    assertThat(registry.lane("t", "ok").kind()).isEqualTo("fake");
  }

  @Test
  void aStoredSettingThatIsNoLongerValidOrADeletedProfileFailsPermanently() {
    registry = registry("fake", Map.of());
    profile("old", "fake", Map.of("slidingWindowSize", "5000"));

    assertThatThrownBy(() -> registry.lane("t", "old"))
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.PERMANENT))
        .hasMessageContaining("profile 'old' cannot be used: setting 'slidingWindowSize'")
        .hasMessageContaining("PUT /v1/profiles/old");
    assertThatThrownBy(() -> registry.lane("t", "gone"))
        .hasMessageContaining("profile 'gone' no longer exists");
  }

  @Test
  void runtimesComeFromThePlugInAndOtherKindsHaveNone() {
    registry = registry("fake", Map.of());
    profile("p", "fake", Map.of());
    profile("q", "other", Map.of());

    assertThat(registry.runtimes("t", "q")).isNotNull();
    assertThatThrownBy(() -> registry.runtimes("t", "p"))
        .isInstanceOf(BackendException.class)
        .hasMessage("profile 'p' uses backend fake, which has no runtimes");
  }

  @Test
  void closeClosesEveryLaneAndTheDefaultOne() {
    registry = registry("fake", Map.of());
    profile("p", "fake", Map.of());
    registry.lane("t", "p");

    registry.close();
    registry = null;

    assertThat(fake.backends).hasSize(2).allMatch(b -> b.closed);
  }

  private BackendRegistry registry(String kind, Map<String, String> settings) {
    Map<String, String> props = new HashMap<>();
    props.put("quarry.backend.type", kind);
    settings.forEach((k, v) -> props.put("quarry.backend.settings." + k, v));
    QuarryProperties.Backend backend =
        new Binder(new MapConfigurationPropertySource(props))
            .bindOrCreate("quarry", QuarryProperties.class)
            .backend();
    return new BackendRegistry(
        new BackendPlugins(List.of(fake, other)),
        (tenant, name) -> Optional.ofNullable(profiles.get(name)),
        backend,
        new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class),
        clock);
  }

  private void profile(String name, String kind, Map<String, String> settings) {
    profiles.put(name, new Profile(name, kind, settings, null, Instant.EPOCH, clock.instant()));
  }

  private void replaceProfile(String name) {
    clock.advance(Duration.ofMillis(1));
    Profile p = profiles.get(name);
    profile(name, p.backend(), p.settings());
    clock.advance(BackendRegistry.RECHECK.plusSeconds(1));
  }

  private static TaskEnvelope envelope(String tenant) {
    return TaskEnvelope.newBuilder().setInvocationId("i").setTenantId(tenant).build();
  }
}
