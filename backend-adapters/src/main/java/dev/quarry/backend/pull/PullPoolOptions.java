package dev.quarry.backend.pull;

import dev.quarry.backend.local.TenantObjects;
import dev.quarry.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a pull pool. Build with {@link #builder()}; every setter validates its argument.
 *
 * <pre>{@code
 * PullPoolOptions options = PullPoolOptions.builder()
 *     .store(objectStore) // workers reach it only through the pool, per grant
 *     .leaseTime(Duration.ofSeconds(30))
 *     .onCapacityChange(dispatcher::wakeUp)
 *     .build();
 * }</pre>
 */
public final class PullPoolOptions {
  public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_SLOTS = 64;
  public static final int MAX_SLOTS_LIMIT = 1024;
  public static final Duration DEFAULT_DEADLINE_GRACE = Duration.ofSeconds(30);
  public static final long DEFAULT_MAX_OBJECT_BYTES = 256L << 20;

  private static final ScheduledExecutorService SHARED_SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("quarry-pull-leases").factory());

  private final ObjectStore store;
  private final Duration leaseTime;
  private final int maxSlots;
  private final Duration deadlineGrace;
  private final long maxObjectBytes;
  private final Clock clock;
  private final Runnable onCapacityChange;
  private final ScheduledExecutorService scheduler;
  private final @Nullable TenantObjects tenantObjects;

  private PullPoolOptions(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store is required");
    this.leaseTime = b.leaseTime;
    this.maxSlots = b.maxSlots;
    this.deadlineGrace = b.deadlineGrace;
    this.maxObjectBytes = b.maxObjectBytes;
    this.clock = b.clock;
    this.onCapacityChange = b.onCapacityChange;
    this.scheduler = b.scheduler;
    this.tenantObjects = b.tenantObjects;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The store workers read and write through the pool, within each invocation's grant. */
  public ObjectStore store() {
    return store;
  }

  /** A lease not renewed by a heartbeat for this long is lost; a silent worker is cut off. */
  public Duration leaseTime() {
    return leaseTime;
  }

  /** The most slots one worker may announce. */
  public int maxSlots() {
    return maxSlots;
  }

  /** How long past its deadline an invocation may run before its lease is taken back. */
  public Duration deadlineGrace() {
    return deadlineGrace;
  }

  /** The largest object a worker may write. */
  public long maxObjectBytes() {
    return maxObjectBytes;
  }

  public Clock clock() {
    return clock;
  }

  /** Called (outside the pool's lock) whenever {@code capacity()} may have changed. */
  public Runnable onCapacityChange() {
    return onCapacityChange;
  }

  /** Runs the lease reaper; shared by pools, never shut down by them. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /**
   * The tenants' Storage API objects that context functions reach over their worker's stream, as
   * the tenant of an invocation the worker holds a lease on; empty: such calls are refused.
   */
  public Optional<TenantObjects> tenantObjects() {
    return Optional.ofNullable(tenantObjects);
  }

  /** Builder of {@link PullPoolOptions}. */
  public static final class Builder {
    private @Nullable ObjectStore store;
    private Duration leaseTime = DEFAULT_LEASE_TIME;
    private int maxSlots = DEFAULT_MAX_SLOTS;
    private Duration deadlineGrace = DEFAULT_DEADLINE_GRACE;
    private long maxObjectBytes = DEFAULT_MAX_OBJECT_BYTES;
    private Clock clock = Clock.systemUTC();
    private Runnable onCapacityChange = () -> {};
    private ScheduledExecutorService scheduler = SHARED_SCHEDULER;
    private @Nullable TenantObjects tenantObjects;

    private Builder() {}

    public Builder store(ObjectStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * @throws IllegalArgumentException unless between 100 ms and 1 hour
     */
    public Builder leaseTime(Duration leaseTime) {
      if (leaseTime.compareTo(Duration.ofMillis(100)) < 0
          || leaseTime.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "leaseTime must be between 100ms and 1h, got " + leaseTime);
      }
      this.leaseTime = leaseTime;
      return this;
    }

    /**
     * @throws IllegalArgumentException unless between 1 and {@value #MAX_SLOTS_LIMIT}
     */
    public Builder maxSlots(int maxSlots) {
      if (maxSlots < 1 || maxSlots > MAX_SLOTS_LIMIT) {
        throw new IllegalArgumentException(
            "maxSlots must be between 1 and " + MAX_SLOTS_LIMIT + ", got " + maxSlots);
      }
      this.maxSlots = maxSlots;
      return this;
    }

    /**
     * @throws IllegalArgumentException if negative
     */
    public Builder deadlineGrace(Duration deadlineGrace) {
      if (deadlineGrace.isNegative()) {
        throw new IllegalArgumentException("deadlineGrace must not be negative");
      }
      this.deadlineGrace = deadlineGrace;
      return this;
    }

    /**
     * @throws IllegalArgumentException unless positive
     */
    public Builder maxObjectBytes(long maxObjectBytes) {
      if (maxObjectBytes <= 0) {
        throw new IllegalArgumentException("maxObjectBytes must be positive");
      }
      this.maxObjectBytes = maxObjectBytes;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder onCapacityChange(Runnable onCapacityChange) {
      this.onCapacityChange = Objects.requireNonNull(onCapacityChange, "onCapacityChange");
      return this;
    }

    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The tenants' objects context functions reach over the stream; null to refuse such calls. */
    public Builder tenantObjects(@Nullable TenantObjects tenantObjects) {
      this.tenantObjects = tenantObjects;
      return this;
    }

    /**
     * @throws NullPointerException if no store was set
     */
    public PullPoolOptions build() {
      return new PullPoolOptions(this);
    }
  }
}
