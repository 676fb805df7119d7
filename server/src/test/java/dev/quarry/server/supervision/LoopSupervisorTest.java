package dev.quarry.server.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.Status;

class LoopSupervisorTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private LoopSupervisor supervisor() {
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    beans.addBean("meters", registry);
    return new LoopSupervisor(
        Clock.systemUTC(), beans.getBeanProvider(MeterRegistry.class), Duration.ofMillis(5));
  }

  @Test
  void restartsALoopThatThrowsAnErrorAndCountsTheRestarts() throws Exception {
    LoopSupervisor supervisor = supervisor();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch stable = new CountDownLatch(1);
    supervisor.start(
        "test-loop",
        running::get,
        () -> {
          if (runs.incrementAndGet() <= 3) {
            throw new OutOfMemoryError("Requested array size exceeds VM limit");
          }
          stable.countDown();
          while (running.get()) {
            Thread.sleep(5);
          }
        });
    stable.await();
    assertThat(supervisor.restarts("test-loop")).isEqualTo(3);
    assertThat(registry.get("quarry.loop.restarts").tag("loop", "test-loop").counter().count())
        .isEqualTo(3.0);
    assertThat(supervisor.health().getStatus()).isEqualTo(Status.UP);
    running.set(false);
  }

  @Test
  void reportsDownWhileALoopKeepsFailing() {
    LoopSupervisor supervisor = supervisor();
    AtomicBoolean running = new AtomicBoolean(true);
    supervisor.start(
        "broken-loop",
        running::get,
        () -> {
          throw new IllegalStateException("cannot start");
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> supervisor.health().getStatus().equals(Status.DOWN));
    assertThat(supervisor.health().getDetails().toString())
        .contains("broken-loop")
        .contains("cannot start");
    running.set(false);
  }

  @Test
  void aFailedPeriodicTaskIsReportedAndRecovers() {
    LoopSupervisor supervisor = supervisor();
    for (int i = 0; i < LoopSupervisor.DOWN_AFTER; i++) {
      supervisor.runTask(
          "task",
          () -> {
            throw new StackOverflowError();
          });
    }
    assertThat(supervisor.health().getStatus()).isEqualTo(Status.DOWN);
    supervisor.runTask("task", () -> {});
    assertThat(supervisor.health().getStatus()).isEqualTo(Status.UP);
  }
}
