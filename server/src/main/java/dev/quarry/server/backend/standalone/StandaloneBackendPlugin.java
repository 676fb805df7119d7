package dev.quarry.server.backend.standalone;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.local.TenantObjects;
import dev.quarry.backend.pull.PullPool;
import dev.quarry.backend.pull.PullPoolOptions;
import dev.quarry.backend.pull.PullPools;
import dev.quarry.server.QuarryProperties;
import dev.quarry.server.backend.LaneCapacityChanged;
import dev.quarry.server.backend.LaneRequest;
import dev.quarry.server.backend.OpenedLane;
import dev.quarry.server.backend.SettinglessBackendPlugin;
import dev.quarry.server.workers.WorkerProperties;
import dev.quarry.storage.ObjectStore;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Backend kind {@code standalone}: each profile's lane is a {@link PullPool} that workers join with
 * a worker token for that profile ({@code quarry worker --server ... --token-file ...}). The pool
 * lives as long as the server, not the lane: workers may connect before the first job, and a
 * profile change that replaces the lane keeps them. Its capacity is the sum of the connected
 * workers' slots; a change is published as a {@link LaneCapacityChanged}. The default lane cannot
 * be standalone (a worker token names a profile). No settings and no credential. Context functions
 * reach their tenant's Storage API objects over the stream while their worker holds the lease.
 */
@Component
public class StandaloneBackendPlugin extends SettinglessBackendPlugin implements AutoCloseable {
  public static final String KIND = PullPools.TYPE;

  /** Inputs up to this size travel in the envelope, larger ones through storage. */
  public static final int INLINE_INPUT_BYTES = 64 << 10;

  private final Map<String, PullPool> pools = new ConcurrentHashMap<>();
  private final ObjectStore store;
  private final WorkerProperties workers;
  private final long maxObjectBytes;
  private final Clock clock;
  private final ApplicationEventPublisher events;
  private final @Nullable TenantObjects objects;

  /**
   * @param objects the tenants' Storage API objects that context functions reach over their
   *     worker's stream (null: such calls are refused)
   */
  public StandaloneBackendPlugin(
      ObjectStore store,
      WorkerProperties workers,
      QuarryProperties props,
      Clock clock,
      ApplicationEventPublisher events,
      @Nullable TenantObjects objects) {
    this.store = store;
    this.objects = objects;
    this.workers = workers;
    this.maxObjectBytes = props.backend().worker().maxObject().toBytes();
    this.clock = clock;
    this.events = events;
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** Pull pools serve their workers' storage calls from the server's store only. */
  @Override
  public boolean supportsProfileBucket() {
    return false;
  }

  @Override
  public OpenedLane open(LaneRequest request) {
    if (request.isDefault()) {
      throw new BackendException(
          BackendException.Kind.PERMANENT,
          "backend standalone needs a profile: workers join a profile with a worker token");
    }
    PullPool pool = pool(request.tenant(), request.profile());
    return new OpenedLane(
        new LaneView(pool), budget(request.key()), true, INLINE_INPUT_BYTES, 0, null);
  }

  /** The pool of a tenant's profile, created on first use (a worker or a lane). */
  public PullPool pool(String tenant, String profile) {
    String key = tenant + "/" + profile;
    return pools.computeIfAbsent(
        key,
        k ->
            PullPools.create(
                PullPoolOptions.builder()
                    .store(store)
                    .leaseTime(workers.leaseTime())
                    .maxSlots(workers.maxSlots())
                    .maxObjectBytes(maxObjectBytes)
                    .clock(clock)
                    .tenantObjects(objects)
                    .onCapacityChange(() -> events.publishEvent(new LaneCapacityChanged(budget(k))))
                    .build()));
  }

  /** The dispatcher budget of a pool's lane; capacity changes of the pool wake it. */
  public static String budget(String laneKey) {
    return KIND + ":" + laneKey;
  }

  @Override
  public void close() {
    pools.values().forEach(PullPool::close);
    pools.clear();
  }

  /** The lane's face of a pool: closing the lane leaves the pool and its workers alone. */
  private record LaneView(PullPool pool) implements PoolLane {
    @Override
    public String type() {
      return pool.type();
    }

    @Override
    public void close() {}
  }
}
