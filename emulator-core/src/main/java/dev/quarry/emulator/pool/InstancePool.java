package dev.quarry.emulator.pool;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A function's instances: idle ones are reused (most recently used first); a new one is started
 * while fewer than {@code max} exist; otherwise callers wait for one to be released. Instances of
 * an older deployment are killed when idle or released (drained). Deployments are compared by
 * identity.
 *
 * <pre>{@code
 * InstancePool<Deployment, Instance> pool = new InstancePool<>(4, factory, deployment);
 * InstancePool.Lease<Instance> lease = pool.acquire();
 * try {
 *   lease.instance().run(invocation, lease.cold());
 * } finally {
 *   pool.release(lease.instance());
 * }
 * }</pre>
 *
 * @param <D> what instances run (configuration and code)
 * @param <I> the instances
 */
public final class InstancePool<D, I extends PooledInstance<D>> {

  /** An instance lent to one invocation; {@code cold} if it was started for it. */
  public record Lease<I>(I instance, boolean cold) {}

  /** Thrown by {@link #acquire} once the pool is closed. */
  public static final class ClosedException extends Exception {
    ClosedException() {
      super("the function was deleted or the emulator closed", null, false, false);
    }
  }

  private final int max;
  private final InstanceFactory<D, I> factory;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<I> idle = new ArrayDeque<>();
  private final Set<I> live = new HashSet<>();
  private int starting;
  private D current;
  private boolean closed;

  /**
   * @param max the most instances alive at once, at least 1
   * @param initial the deployment new instances run
   */
  public InstancePool(int max, InstanceFactory<D, I> factory, D initial) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    this.max = max;
    this.factory = factory;
    this.current = initial;
  }

  /**
   * An idle instance of the current deployment, else a new one, else waits for either.
   *
   * @throws IOException if a new instance cannot be started
   * @throws ClosedException once the pool is closed
   */
  public Lease<I> acquire() throws InterruptedException, IOException, ClosedException {
    D deployment;
    List<I> stale = new ArrayList<>(0);
    lock.lock();
    try {
      while (true) {
        if (closed) {
          throw new ClosedException();
        }
        I i;
        while ((i = idle.pollLast()) != null) {
          if (i.deployment() == current && i.isAlive()) {
            return new Lease<>(i, false);
          }
          live.remove(i);
          stale.add(i);
        }
        if (live.size() + starting < max) {
          starting++;
          deployment = current;
          break;
        }
        changed.await();
      }
    } finally {
      lock.unlock();
      stale.forEach(PooledInstance::kill);
    }
    I started;
    try {
      started = factory.start(deployment, this::died);
    } catch (IOException | RuntimeException e) {
      lock.lock();
      try {
        starting--;
        changed.signal();
      } finally {
        lock.unlock();
      }
      throw e;
    }
    lock.lock();
    try {
      starting--;
      if (closed) {
        started.kill();
        throw new ClosedException();
      }
      live.add(started);
    } finally {
      lock.unlock();
    }
    return new Lease<>(started, true);
  }

  /** Returns {@code instance} after an invocation: kept idle if still usable, else killed. */
  public void release(I instance) {
    boolean kill;
    lock.lock();
    try {
      kill = closed || !instance.isAlive() || instance.deployment() != current;
      if (kill) {
        live.remove(instance);
      } else {
        idle.addLast(instance);
      }
      changed.signal();
    } finally {
      lock.unlock();
    }
    if (kill) {
      instance.kill();
    }
  }

  /**
   * Makes {@code deployment} current; idle instances of older ones are killed now, busy ones when
   * released.
   */
  public void deploy(D deployment) {
    List<I> stale;
    lock.lock();
    try {
      current = deployment;
      stale = new ArrayList<>(idle);
      idle.clear();
      stale.forEach(live::remove);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    stale.forEach(PooledInstance::kill);
  }

  /** The deployment new instances run. */
  public D current() {
    lock.lock();
    try {
      return current;
    } finally {
      lock.unlock();
    }
  }

  /** Instances started and not yet dead or killed. */
  public int liveInstances() {
    lock.lock();
    try {
      return live.size();
    } finally {
      lock.unlock();
    }
  }

  /** Kills every instance; waiting and later acquires fail. Idempotent. */
  public void close() {
    List<I> all;
    lock.lock();
    try {
      closed = true;
      all = new ArrayList<>(live);
      live.clear();
      idle.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    all.forEach(PooledInstance::kill);
  }

  private void died(I instance) {
    lock.lock();
    try {
      if (live.remove(instance)) {
        idle.remove(instance);
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }
}
