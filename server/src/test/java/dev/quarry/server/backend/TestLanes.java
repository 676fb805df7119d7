package dev.quarry.server.backend;

import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.backend.BackendFakes.FakePlugin;
import dev.quarry.server.credentials.ProfileService.Profile;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * A {@link BackendRegistry} over fake plug-ins, for tests outside this package: lanes of kind
 * {@link #FAKE} open a {@link BackendFakes.FakeBackend} each (its own budget, named like the lane,
 * of {@link #CAPACITY} slots, no backlog); opening a lane of kind {@link #BROKEN} throws an {@link
 * Error}, one of kind {@link #UNAVAILABLE} a {@link dev.quarry.backend.BackendException} (the kind
 * cannot run on this server); a profile of any other kind has no plug-in. Profiles live in memory.
 */
public final class TestLanes implements AutoCloseable {
  public static final String FAKE = "fake";
  public static final String BROKEN = "broken";
  public static final String UNAVAILABLE = "unavailable";

  /** The capacity of every fake backend. */
  public static final int CAPACITY = 8;

  private final FakePlugin fake = new FakePlugin(FAKE, null);
  private final FakePlugin broken = new FakePlugin(BROKEN, null);
  private final FakePlugin unavailable = new FakePlugin(UNAVAILABLE, null);
  private final Map<String, Profile> profiles = new ConcurrentHashMap<>();
  private final BackendRegistry registry;

  public TestLanes() {
    broken.openError = "the broken plug-in cannot open lanes";
    unavailable.unavailable = "it needs S3 storage";
    QuarryProperties.Backend backend =
        new Binder(new MapConfigurationPropertySource(Map.of("quarry.backend.type", FAKE)))
            .bindOrCreate("quarry", QuarryProperties.class)
            .backend();
    registry =
        new BackendRegistry(
            new BackendPlugins(List.of(fake, broken, unavailable)),
            (tenant, name) -> Optional.ofNullable(profiles.get(tenant + "/" + name)),
            backend,
            new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class),
            Clock.systemUTC());
  }

  public BackendRegistry registry() {
    return registry;
  }

  /** Creates (or replaces) the tenant's profile {@code name} of backend {@code kind}. */
  public void profile(String tenant, String name, String kind) {
    profiles.put(
        tenant + "/" + name, new Profile(name, kind, Map.of(), null, Instant.EPOCH, Instant.now()));
  }

  /** The envelopes invoked on the lane {@code key} ({@code tenant/profile}), oldest first. */
  public List<TaskEnvelope> invoked(String key) {
    for (int i = 0; i < fake.opened.size(); i++) {
      if (fake.opened.get(i).key().equals(key)) {
        return List.copyOf(fake.backends.get(i).envelopes);
      }
    }
    return List.of();
  }

  /** Answers the {@code call}-th invocation (from 0) on the lane {@code key}. */
  public void complete(String key, int call) {
    for (int i = 0; i < fake.opened.size(); i++) {
      if (fake.opened.get(i).key().equals(key)) {
        fake.backends.get(i).complete(call);
        return;
      }
    }
    throw new IllegalArgumentException("no lane " + key);
  }

  @Override
  public void close() {
    registry.close();
  }
}
