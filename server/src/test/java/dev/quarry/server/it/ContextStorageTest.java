package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.FunctionContext;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.QuarryStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Functions that use storage ({@code ContextFunction}) on the local backend: a function reads and
 * writes its own team's objects by key; another team's function reaches none of them, nor the
 * server's own objects; a thread left behind is refused once its future has ended.
 */
class ContextStorageTest {
  static TestServer server;
  static String keyA;
  static String keyB;
  static FunctionExecutor fexecA;
  static FunctionExecutor fexecB;
  static QuarryStorage storageA;

  /** Set by a thread a function left running (in the worker JVM that ran it). */
  static final AtomicInteger lateSuccesses = new AtomicInteger();

  static final AtomicBoolean lateRefused = new AtomicBoolean();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    keyA = TenancyTest.newTenant();
    keyB = TenancyTest.newTenant();
    fexecA = executor(keyA);
    fexecB = executor(keyB);
    storageA = fexecA.storage();
    storageA.putObject("docs", "in/hello.txt", "hello world");
  }

  @AfterAll
  static void stop() {
    storageA.close();
    fexecA.close();
    fexecB.close();
  }

  static FunctionExecutor executor(String key) {
    return FunctionExecutor.connect(
        server.grpcTarget(), ClientOptions.builder().apiKey(key).build());
  }

  @Test
  void aFunctionReadsAnObjectByKeyAndWritesAnotherThroughItsContext() {
    var futures =
        fexecA.map(
            (String key, FunctionContext ctx) -> {
              String text = ctx.storage().getObjectAsString("docs", key);
              ctx.storage().putObject("docs", "out/" + key, text.toUpperCase());
              return text.length() + " " + ctx.storage().listKeys("docs", "in/");
            },
            List.of("in/hello.txt"));

    assertThat(fexecA.getResult(futures)).containsExactly("11 [in/hello.txt]");
    assertThat(storageA.getObjectAsString("docs", "out/in/hello.txt")).isEqualTo("HELLO WORLD");
  }

  @Test
  void anotherTeamsFunctionReachesNoneOfItsObjectsAndOverwritesNothing() {
    var futures =
        fexecB.map(
            (String key, FunctionContext ctx) -> {
              List<String> seen = new ArrayList<>();
              try {
                seen.add("READ " + ctx.storage().getObjectAsString("docs", key));
              } catch (RuntimeException e) {
                seen.add(e.getClass().getSimpleName() + ": " + e.getMessage());
              }
              seen.add("listed " + ctx.storage().listKeys("docs", ""));
              seen.add("size " + ctx.storage().size("docs", key));
              ctx.storage().putObject("docs", key, "overwritten by B");
              seen.add("deleted " + ctx.storage().deleteObject("docs", "in/never.txt"));
              return seen;
            },
            List.of("in/hello.txt"));

    List<String> seen = fexecB.getResult(futures).getFirst();
    assertThat(seen.getFirst()).startsWith("UncheckedIOException").contains("NoSuchFileException");
    assertThat(seen).containsSubsequence("listed []", "size Optional.empty", "deleted false");
    assertThat(String.join("\n", seen)).doesNotContain("hello world");
    assertThat(storageA.getObjectAsString("docs", "in/hello.txt")).isEqualTo("hello world");
  }

  @Test
  void theServersOwnObjectsAndTraversalsAreOutOfReach() {
    String tenantA = "dev";
    var futures =
        fexecB.map(
            (String tenant, FunctionContext ctx) -> {
              String[][] attempts = {
                {"..", "x"},
                {"docs", "../../jobs/x"},
                {"docs", "/etc/passwd"},
                {"tenants", tenant + "/storage/docs/in/hello.txt"},
                {"jobs", "x"},
                {"blobs", "x"},
                {"docs/../..", "x"},
                {"", "x"},
                {"docs", ""},
              };
              List<String> outcomes = new ArrayList<>();
              for (String[] a : attempts) {
                try {
                  byte[] got = ctx.storage().getObject(a[0], a[1]);
                  outcomes.add("READ " + a[0] + "/" + a[1] + " " + got.length);
                } catch (IllegalArgumentException e) {
                  outcomes.add("invalid");
                } catch (java.io.UncheckedIOException e) {
                  outcomes.add(
                      e.getCause() instanceof java.nio.file.NoSuchFileException
                          ? "missing"
                          : "failed " + e.getMessage());
                }
              }
              return outcomes;
            },
            List.of(tenantA));

    List<String> outcomes = fexecB.getResult(futures).getFirst();
    assertThat(outcomes).hasSize(9).allMatch(o -> o.equals("invalid") || o.equals("missing"));
    assertThat(outcomes.subList(0, 3)).containsOnly("invalid");
  }

  @Test
  void aThreadLeftRunningIsRefusedOnceItsFutureEnded() throws Exception {
    var first =
        fexecA.callAsync(
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
        fexecA.callAsync(
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
