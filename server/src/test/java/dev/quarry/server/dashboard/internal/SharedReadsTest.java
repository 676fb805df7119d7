package dev.quarry.server.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The chart data of a job is read once per interval and shared by every page that asks. */
class SharedReadsTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final AtomicInteger reads = new AtomicInteger();
  private final SharedReads<String, String> shared =
      new SharedReads<>(Duration.ofSeconds(1), 2, nanos::get);

  private String read(String key) {
    return key + "#" + reads.incrementAndGet();
  }

  @Test
  void readsOncePerKeyAndIntervalAndSharesTheValue() {
    assertThat(shared.get("a", () -> read("a"))).isEqualTo("a#1");
    nanos.addAndGet(999_999_999);
    assertThat(shared.get("a", () -> read("a"))).isEqualTo("a#1");
    assertThat(shared.get("b", () -> read("b"))).isEqualTo("b#2");
    nanos.addAndGet(1);
    assertThat(shared.get("a", () -> read("a"))).isEqualTo("a#3");
    assertThat(reads).hasValue(3);
  }

  @Test
  void callersDuringAReadWaitForItInsteadOfReadingAgain() throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      callersWait(pool);
    }
  }

  private void callersWait(ExecutorService pool) throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> first =
        CompletableFuture.supplyAsync(
            () ->
                shared.get(
                    "a",
                    () -> {
                      reading.countDown();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return read("a");
                    }),
            pool);
    assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<String> second =
        CompletableFuture.supplyAsync(() -> shared.get("a", () -> read("a")), pool);
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !second.isDone());
    release.countDown();
    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("a#1");
    assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("a#1");
    assertThat(reads).hasValue(1);
  }

  @Test
  void aFailedReadIsNotKept() {
    assertThatThrownBy(
            () ->
                shared.get(
                    "a",
                    () -> {
                      throw new IllegalStateException("database down");
                    }))
        .hasMessage("database down");
    assertThat(shared.size()).isZero();
    assertThat(shared.get("a", () -> read("a"))).isEqualTo("a#1");
  }

  @Test
  void keepsAtMostMaxKeysAndReadsPastThemWithoutKeeping() {
    shared.get("a", () -> read("a"));
    shared.get("b", () -> read("b"));
    assertThat(shared.get("c", () -> read("c"))).isEqualTo("c#3");
    assertThat(shared.get("c", () -> read("c"))).isEqualTo("c#4");
    assertThat(shared.size()).isEqualTo(2);
    nanos.addAndGet(Duration.ofSeconds(1).toNanos()); // a and b aged out: dropped for c
    assertThat(shared.get("c", () -> read("c"))).isEqualTo("c#5");
    assertThat(shared.get("c", () -> read("c"))).isEqualTo("c#5");
    assertThat(shared.size()).isEqualTo(1);
  }
}
