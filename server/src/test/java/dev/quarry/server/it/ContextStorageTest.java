package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.FunctionContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Functions that use storage ({@code ContextFunction}) on the local backend: the cases every
 * backend passes ({@link ContextStorageCases}), and a thread left behind is refused once its future
 * has ended.
 */
class ContextStorageTest extends ContextStorageCases {
  static Teams teams;

  /** Set by a thread a function left running (in the worker JVM that ran it). */
  static final AtomicInteger lateSuccesses = new AtomicInteger();

  static final AtomicBoolean lateRefused = new AtomicBoolean();

  @BeforeAll
  static void start() throws Exception {
    teams =
        Teams.connect(
            TestServer.get().grpcTarget(),
            ClientOptions.builder().apiKey(TenancyTest.newTenant()),
            ClientOptions.builder().apiKey(TenancyTest.newTenant()));
  }

  @AfterAll
  static void stop() {
    teams.close();
  }

  @Override
  Teams teams() {
    return teams;
  }

  @Test
  void aThreadLeftRunningIsRefusedOnceItsFutureEnded() throws Exception {
    var first =
        a().callAsync(
                (String key, FunctionContext ctx) -> {
                  Thread late =
                      new Thread(
                          () -> {
                            long until = System.nanoTime() + 30_000_000_000L;
                            while (System.nanoTime() < until) {
                              try {
                                ctx.storage().size("docs", key);
                                lateSuccesses.incrementAndGet();
                              } catch (SecurityException e) {
                                lateRefused.set(true);
                                return;
                              }
                              try {
                                Thread.sleep(20);
                              } catch (InterruptedException e) {
                                return;
                              }
                            }
                          });
                  late.setDaemon(true);
                  late.start();
                  while (lateSuccesses.get() == 0 && !lateRefused.get()) {
                    Thread.onSpinWait();
                  }
                  return lateRefused.get() ? "refused while running" : "started";
                },
                "in/hello.txt");
    assertThat(first.get()).isEqualTo("started");

    // observe from the same worker JVM (the team's worker): the flag is set once a call is refused
    var observer =
        a().callAsync(
                (String ignored, FunctionContext ctx) -> {
                  if (lateSuccesses.get() == 0) {
                    return "another worker JVM";
                  }
                  long until = System.nanoTime() + 20_000_000_000L;
                  while (!lateRefused.get() && System.nanoTime() < until) {
                    Thread.sleep(10);
                  }
                  return lateRefused.get() ? "refused" : "still allowed";
                },
                "");
    String seen = observer.get();
    org.junit.jupiter.api.Assumptions.assumeFalse(
        seen.equals("another worker JVM"), "the observer ran in another worker JVM");
    assertThat(seen).isEqualTo("refused");
  }
}
