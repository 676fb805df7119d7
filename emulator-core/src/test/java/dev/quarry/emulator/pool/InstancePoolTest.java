package dev.quarry.emulator.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InstancePoolTest {

  static final class Code {}

  static final class Fake implements PooledInstance<Code> {
    final Code code;
    final Consumer<? super Fake> onDeath;
    volatile boolean alive = true;
    volatile boolean killed;

    Fake(Code code, Consumer<? super Fake> onDeath) {
      this.code = code;
      this.onDeath = onDeath;
    }

    @Override
    public Code deployment() {
      return code;
    }

    @Override
    public boolean isAlive() {
      return alive;
    }

    @Override
    public void kill() {
      alive = false;
      killed = true;
    }

    void die() {
      alive = false;
      onDeath.accept(this);
    }
  }

  final List<Fake> started = new ArrayList<>();
  final InstanceFactory<Code, Fake> factory =
      (code, onDeath) -> {
        Fake f = new Fake(code, onDeath);
        synchronized (started) {
          started.add(f);
        }
        return f;
      };

  @Test
  void reusesAReleasedInstanceWarm() throws Exception {
    InstancePool<Code, Fake> pool = new InstancePool<>(2, factory, new Code());
    InstancePool.Lease<Fake> first = pool.acquire();
    pool.release(first.instance());
    InstancePool.Lease<Fake> second = pool.acquire();

    assertThat(first.cold()).isTrue();
    assertThat(second.cold()).isFalse();
    assertThat(second.instance()).isSameAs(first.instance());
    assertThat(started).hasSize(1);
  }

  @Test
  void waitsAtTheMaximumUntilAnInstanceIsReleased() throws Exception {
    InstancePool<Code, Fake> pool = new InstancePool<>(1, factory, new Code());
    InstancePool.Lease<Fake> held = pool.acquire();
    CompletableFuture<InstancePool.Lease<Fake>> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return pool.acquire();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    assertThat(waiting).isNotDone();
    pool.release(held.instance());

    assertThat(waiting.get(10, TimeUnit.SECONDS).instance()).isSameAs(held.instance());
    assertThat(started).hasSize(1);
  }

  @Test
  void replacesAnInstanceThatDied() throws Exception {
    InstancePool<Code, Fake> pool = new InstancePool<>(1, factory, new Code());
    Fake first = pool.acquire().instance();
    first.die();
    pool.release(first);

    InstancePool.Lease<Fake> next = pool.acquire();

    assertThat(next.cold()).isTrue();
    assertThat(next.instance()).isNotSameAs(first);
    assertThat(pool.liveInstances()).isEqualTo(1);
  }

  @Test
  void drainsInstancesOfAnOlderDeployment() throws Exception {
    InstancePool<Code, Fake> pool = new InstancePool<>(2, factory, new Code());
    Fake idle = pool.acquire().instance();
    Fake busy = pool.acquire().instance();
    pool.release(idle);
    Code newer = new Code();

    pool.deploy(newer);
    assertThat(idle.killed).isTrue();
    assertThat(busy.killed).isFalse();
    pool.release(busy);

    assertThat(busy.killed).isTrue();
    InstancePool.Lease<Fake> next = pool.acquire();
    assertThat(next.cold()).isTrue();
    assertThat(next.instance().deployment()).isSameAs(newer);
  }

  @Test
  void closeKillsEveryInstanceAndRefusesLaterAcquires() throws Exception {
    InstancePool<Code, Fake> pool = new InstancePool<>(2, factory, new Code());
    Fake a = pool.acquire().instance();

    pool.close();

    assertThat(a.killed).isTrue();
    assertThatThrownBy(pool::acquire).isInstanceOf(InstancePool.ClosedException.class);
  }

  @Test
  void refusesAMaximumBelowOne() {
    assertThatThrownBy(() -> new InstancePool<>(0, factory, new Code()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max must be >= 1");
  }
}
