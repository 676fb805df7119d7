package dev.quarry.server.backend;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.resilience.CircuitStatus;
import dev.quarry.backend.resilience.ResilienceOptions;
import dev.quarry.backend.resilience.ResilientBackend;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.credentials.ProfileService;
import dev.quarry.server.credentials.ProfileService.Profile;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The lane of every (tenant, profile) pair: the backend its profile's {@link BackendPlugin} opened,
 * behind its own resilience decorator (so circuits, bulkheads and rate limits are per profile).
 * Jobs without a profile run on the default lane, of kind {@code quarry.backend.type} with the
 * settings {@code quarry.backend.settings.*}, checked and opened at start. Knows no backend kind by
 * name.
 *
 * <p>Lanes are opened on first use and rebuilt when their profile changes (checked at most every
 * {@link #RECHECK}). A replaced lane closes when its last invocation in flight ends.
 *
 * <p>Long because lane caching, rebuilding on a profile change and retiring replaced lanes share
 * one lock and must be read together.
 */
@Component
public class BackendRegistry implements AutoCloseable {
  /** How long a lane is trusted before its profile is read again. */
  static final Duration RECHECK = Duration.ofSeconds(5);

  /**
   * Where a job's invocations go.
   *
   * @param key {@code tenant/profile}, or {@code tenant/} for the default lane
   * @param budget lanes with the same budget share capacity
   * @param backend the lane's decorated backend; a replaced lane's backend closes after its last
   *     invocation, and one invoked after that runs on its replacement
   * @param inlineInputBytes inputs larger than this travel through storage, not in the envelope
   * @param profile the profile's name, empty for the default lane
   * @param kind the backend kind (the plug-in's)
   * @param queuesBacklog whether the backend queues work beyond its capacity itself
   * @param runtimes deployments reachable through the lane, null for kinds without any
   */
  public record Lane(
      String key,
      String budget,
      ComputeBackend backend,
      int inlineInputBytes,
      String profile,
      String kind,
      boolean queuesBacklog,
      @Nullable BackendRuntimes runtimes) {}

  /**
   * What the dashboard shows of one of a tenant's open lanes.
   *
   * @param profile the profile's name, empty for the default lane
   * @param kind the backend kind
   * @param circuit the tenant's circuit on it and its last counted failure
   * @param busy invocations running on the lane's backend now (worker processes of a local pool,
   *     Lambda invocations in flight; shared lanes count every tenant's)
   * @param capacity how many may run at once
   */
  public record LaneStatus(
      String profile, String kind, CircuitStatus circuit, int busy, int capacity) {}

  private record Entry(
      Lane lane, RetiringBackend backend, Instant profileUpdatedAt, Instant checkedAt) {}

  private final BackendPlugins plugins;
  private final BiFunction<String, String, Optional<Profile>> profiles;
  private final QuarryProperties.Resilience defaults;
  private final ObjectProvider<MeterRegistry> meters;
  private final Clock clock;
  private final OpenedLane defaultLane;
  private final ComputeBackend defaultBackend;
  private final String defaultKind;
  private final Map<String, Entry> lanes = new ConcurrentHashMap<>();
  private final Map<String, Boolean> backlogBudgets = new ConcurrentHashMap<>();

  @Autowired
  BackendRegistry(
      BackendPlugins plugins,
      ProfileService profiles,
      QuarryProperties props,
      ObjectProvider<MeterRegistry> meters,
      Clock clock) {
    this(plugins, profiles::lookup, props.backend(), meters, clock);
  }

  /**
   * Checks and opens the default lane.
   *
   * @throws IllegalStateException naming the property when the default backend's kind, settings or
   *     resilience defaults are not usable
   */
  BackendRegistry(
      BackendPlugins plugins,
      BiFunction<String, String, Optional<Profile>> profiles,
      QuarryProperties.Backend backend,
      ObjectProvider<MeterRegistry> meters,
      Clock clock) {
    this.plugins = plugins;
    this.profiles = profiles;
    this.defaults = backend.resilience();
    this.meters = meters;
    this.clock = clock;
    ProfileSettings.requireValidDefaults(defaults);
    this.defaultKind = backend.type();
    BackendPlugin plugin =
        plugins
            .find(defaultKind)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "quarry.backend.type must be one of "
                            + plugins.kinds()
                            + ", got '"
                            + defaultKind
                            + "'"));
    plugin
        .unavailable()
        .ifPresent(
            why -> {
              throw new IllegalStateException(
                  "quarry.backend.type=" + defaultKind + " cannot be used: " + why);
            });
    ResilienceOptions options;
    try {
      BackendPlugins.validateSettings(plugin, backend.settings());
      options = ProfileSettings.resilience(defaults, backend.settings());
    } catch (ApiException e) {
      throw new IllegalStateException(
          "quarry.backend.settings (backend " + defaultKind + "): " + e.getMessage());
    }
    this.defaultLane = plugin.open(LaneRequest.defaultLane(backend.settings()));
    this.defaultBackend =
        Resilient.wrap(
            defaultLane.backend(),
            bulkhead(options, backend.settings(), defaultLane),
            defaultKind,
            meters);
    backlogBudgets.put(defaultLane.budget(), defaultLane.queuesBacklog());
  }

  /**
   * The lane of a tenant's jobs on {@code profile} (null or empty: the default lane).
   *
   * @throws BackendException PERMANENT when the profile is gone or cannot be used (no plug-in for
   *     its kind, missing credential, a stored setting no longer valid, ...)
   */
  public Lane lane(String tenant, @Nullable String profile) {
    return lane(tenant, profile, false);
  }

  private Lane lane(String tenant, @Nullable String profile, boolean fresh) {
    if (profile == null || profile.isEmpty()) {
      return new Lane(
          tenant + "/",
          defaultLane.budget(),
          defaultBackend,
          defaultLane.inlineInputBytes(),
          "",
          defaultKind,
          defaultLane.queuesBacklog(),
          defaultLane.runtimes());
    }
    String key = tenant + "/" + profile;
    Entry entry = lanes.get(key);
    Instant now = clock.instant();
    if (!fresh && entry != null && entry.checkedAt().plus(RECHECK).isAfter(now)) {
      return entry.lane();
    }
    synchronized (this) {
      entry = lanes.get(key);
      Profile current =
          profiles
              .apply(tenant, profile)
              .orElseThrow(
                  () ->
                      new BackendException(
                          Kind.PERMANENT, "profile '" + profile + "' no longer exists"));
      if (entry != null && current.updatedAt().equals(entry.profileUpdatedAt())) {
        lanes.put(key, new Entry(entry.lane(), entry.backend(), entry.profileUpdatedAt(), now));
        return entry.lane();
      }
      Entry opened = open(tenant, key, current, now);
      lanes.put(key, opened);
      if (entry != null) {
        entry.backend().retire(opened.backend());
      }
      return opened.lane();
    }
  }

  /**
   * The deployments reachable through a tenant's profile, with the profile's current settings.
   *
   * @throws BackendException PERMANENT when the profile is gone, cannot be used, or its kind has no
   *     runtimes
   */
  public BackendRuntimes runtimes(String tenant, String profile) {
    Lane lane = lane(tenant, profile, true);
    if (lane.runtimes() == null) {
      throw new BackendException(
          Kind.PERMANENT,
          "profile '" + profile + "' uses backend " + lane.kind() + ", which has no runtimes");
    }
    return lane.runtimes();
  }

  /** The budgets of the lanes open now, with their capacity. */
  public Map<String, Integer> budgets() {
    Map<String, Integer> out = new HashMap<>();
    out.put(defaultLane.budget(), defaultBackend.capacity());
    for (Entry e : lanes.values()) {
      out.merge(e.lane().budget(), e.lane().backend().capacity(), Math::max);
    }
    return out;
  }

  /**
   * The default lane and the tenant's profile lanes open on this replica (a profile no job used
   * since the replica started has no lane yet), default first, then by profile name.
   */
  public List<LaneStatus> lanes(String tenant) {
    List<LaneStatus> out = new ArrayList<>();
    out.add(status(tenant, "", defaultKind, defaultBackend));
    String prefix = tenant + "/";
    lanes.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix) && !e.getValue().backend().closed())
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                out.add(
                    status(
                        tenant,
                        e.getValue().lane().profile(),
                        e.getValue().lane().kind(),
                        e.getValue().backend().delegate())));
    return out;
  }

  private static LaneStatus status(
      String tenant, String profile, String kind, ComputeBackend backend) {
    if (backend instanceof ResilientBackend r) {
      return new LaneStatus(profile, kind, r.circuit(tenant, profile), r.inFlight(), r.capacity());
    }
    return new LaneStatus(profile, kind, CircuitStatus.UNUSED, 0, backend.capacity());
  }

  /** Whether the backends of {@code budget} queue a backlog beyond their capacity themselves. */
  public boolean queuesBacklog(String budget) {
    return backlogBudgets.getOrDefault(budget, false);
  }

  /** Invocations in flight on the lane of {@code tenant/profile}, -1 when it is not open. */
  int inFlight(String tenant, String profile) {
    Entry e = lanes.get(tenant + "/" + profile);
    return e == null ? -1 : e.backend().inFlight();
  }

  private Entry open(String tenant, String key, Profile p, Instant now) {
    BackendPlugin plugin =
        plugins
            .find(p.backend())
            .orElseThrow(
                () ->
                    new BackendException(
                        Kind.PERMANENT,
                        "backend "
                            + p.backend()
                            + " of profile '"
                            + p.name()
                            + "' is not supported by this server (it runs "
                            + plugins.kinds()
                            + ")"));
    OpenedLane opened;
    ResilienceOptions options;
    try {
      options = ProfileSettings.resilience(defaults, p.settings());
      opened = plugin.open(new LaneRequest(tenant, key, p.name(), p.settings(), p.credential()));
    } catch (ApiException e) {
      // a row written before its setting had a range: fail this profile's work, nothing else
      throw new BackendException(
          Kind.PERMANENT,
          "profile '"
              + p.name()
              + "' cannot be used: "
              + e.getMessage()
              + "; fix it with PUT /v1/profiles/"
              + p.name());
    }
    ComputeBackend wrapped;
    try {
      wrapped =
          Resilient.wrap(
              opened.backend(),
              bulkhead(options, p.settings(), opened),
              plugin.kind() + ":" + key,
              meters);
    } catch (RuntimeException e) {
      opened.backend().close();
      throw e;
    }
    RetiringBackend backend = new RetiringBackend(wrapped);
    backlogBudgets.put(opened.budget(), opened.queuesBacklog());
    Lane lane =
        new Lane(
            key,
            opened.budget(),
            backend,
            opened.inlineInputBytes(),
            p.name(),
            plugin.kind(),
            opened.queuesBacklog(),
            opened.runtimes());
    return new Entry(lane, backend, p.updatedAt(), now);
  }

  /** The plug-in's bulkhead applies unless the settings choose one. */
  private static ResilienceOptions bulkhead(
      ResilienceOptions options, Map<String, String> settings, OpenedLane opened) {
    if (opened.maxConcurrentInvocations() > 0
        && !settings.containsKey(ProfileSettings.MAX_CONCURRENT_INVOCATIONS.name())) {
      return options.toBuilder()
          .maxConcurrentInvocations(opened.maxConcurrentInvocations())
          .build();
    }
    return options;
  }

  @Override
  public void close() {
    List<Entry> open = new ArrayList<>(lanes.values());
    lanes.clear();
    open.forEach(e -> e.backend().close());
    defaultBackend.close();
  }
}
