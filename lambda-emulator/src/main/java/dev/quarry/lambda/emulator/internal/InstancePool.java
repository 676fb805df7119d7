package dev.quarry.lambda.emulator.internal;

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
 * an older deployment are killed when idle or released (drained).
 */
final class InstancePool {

  /** An instance lent to one invocation; {@code cold} if it was started for it. */
  record Lease(Instance instance, boolean cold) {}

  /** Thrown by {@link #acquire} once the pool is closed. */
  static final class ClosedException extends Exception {
    ClosedException() {
      super("the function was deleted or the emulator closed", null, false, false);
    }
  }

  private final int max;
  private final InstanceFactory factory;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Instance> idle = new ArrayDeque<>();
  private final Set<Instance> live = new HashSet<>();
  private int starting;
  private Deployment current;
  private boolean closed;

  InstancePool(int max, InstanceFactory factory, Deployment initial) {
    this.max = max;
    this.factory = factory;
    this.current = initial;
  }

  /**
   * An idle instance of the current deployment, else a new one, else waits for either.
   *
   * @throws IOException if a new instance cannot be started
   */
  Lease acquire() throws InterruptedException, IOException, ClosedException {
    Deployment deployment;
    List<Instance> stale = new ArrayList<>(0);
    lock.lock();
    try {
      while (true) {
        if (closed) {
          throw new ClosedException();
        }
        Instance i;
        while ((i = idle.pollLast()) != null) {
          if (i.deployment() == current && i.isAlive()) {
            return new Lease(i, false);
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
      stale.forEach(Instance::kill);
    }
    Instance started;
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
    return new Lease(started, true);
  }

  /** Returns {@code instance} after an invocation: kept idle if still usable, else killed. */
  void release(Instance instance) {
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
  void deploy(Deployment deployment) {
    List<Instance> stale;
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
    stale.forEach(Instance::kill);
  }

  Deployment current() {
    lock.lock();
    try {
      return current;
    } finally {
      lock.unlock();
    }
  }

  int liveInstances() {
    lock.lock();
    try {
      return live.size();
    } finally {
      lock.unlock();
    }
  }

  /** Kills every instance; waiting and later acquires fail. Idempotent. */
  void close() {
    List<Instance> all;
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
    all.forEach(Instance::kill);
  }

  private void died(Instance instance) {
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
