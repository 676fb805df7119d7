package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.ContextFunction;
import dev.quarry.client.ContextStorage;
import dev.quarry.client.FunctionContext;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.QuarryStorage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What every backend's functions that use storage ({@code ContextFunction}) must do, run by one
 * subclass per backend: team A's function reads and writes A's objects by key; team B's reaches
 * none of them, nor the server's own objects; a function's storage kept past its future is refused.
 * Before the cases run, team A holds {@code docs/in/hello.txt} = "hello world"; {@link #a()} and
 * {@link #b()} run their futures on the backend under test.
 */
abstract class ContextStorageCases {
  /** In the worker's copy of this class (the function's class loader): a context kept too long. */
  static volatile @Nullable ContextStorage stashed;

  /** "stash": keeps this future's storage; "stale": uses the storage a finished future kept. */
  static final ContextFunction<String, String> STALE =
      (String step, FunctionContext ctx) -> {
        if (step.equals("stash")) {
          stashed = ctx.storage();
          return "stashed " + ctx.storage().size("docs", "in/hello.txt").orElse(-1L);
        }
        ContextStorage old = stashed;
        if (old == null) {
          return "another worker";
        }
        try {
          return "allowed " + old.size("docs", "in/hello.txt");
        } catch (SecurityException e) {
          return "refused";
        }
      };

  /** The two teams' executors on the backend under test, and team A's Storage API client. */
  record Teams(FunctionExecutor a, FunctionExecutor b, QuarryStorage storageA)
      implements AutoCloseable {
    /** Connects both executors and puts team A's {@code docs/in/hello.txt}. */
    static Teams connect(String target, ClientOptions.Builder a, ClientOptions.Builder b) {
      FunctionExecutor fa = FunctionExecutor.connect(target, a.build());
      Teams teams = new Teams(fa, FunctionExecutor.connect(target, b.build()), fa.storage());
      teams.storageA.putObject("docs", "in/hello.txt", "hello world");
      return teams;
    }

    @Override
    public void close() {
      storageA.close();
      a.close();
      b.close();
    }
  }

  /** The teams of the subclass's backend, connected before its cases run. */
  abstract Teams teams();

  FunctionExecutor a() {
    return teams().a();
  }

  FunctionExecutor b() {
    return teams().b();
  }

  QuarryStorage storageA() {
    return teams().storageA();
  }

  @Test
  void aFunctionReadsAnObjectByKeyAndWritesAnotherThroughItsContext() {
    var futures =
        a().map(
                (String key, FunctionContext ctx) -> {
                  String text = ctx.storage().getObjectAsString("docs", key);
                  ctx.storage().putObject("docs", "out/" + key, text.toUpperCase());
                  return text.length() + " " + ctx.storage().listKeys("docs", "in/");
                },
                List.of("in/hello.txt"));

    assertThat(a().getResult(futures)).containsExactly("11 [in/hello.txt]");
    assertThat(storageA().getObjectAsString("docs", "out/in/hello.txt")).isEqualTo("HELLO WORLD");
  }

  @Test
  void anotherTeamsFunctionReachesNoneOfItsObjectsAndOverwritesNothing() {
    var futures =
        b().map(
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

    List<String> seen = b().getResult(futures).getFirst();
    assertThat(seen.getFirst()).startsWith("UncheckedIOException").contains("NoSuchFileException");
    assertThat(seen).containsSubsequence("listed []", "size Optional.empty", "deleted false");
    assertThat(String.join("\n", seen)).doesNotContain("hello world");
    assertThat(storageA().getObjectAsString("docs", "in/hello.txt")).isEqualTo("hello world");
  }

  @Test
  void theServersOwnObjectsAndTraversalsAreOutOfReach() {
    String tenantA = "dev";
    var futures =
        b().map(
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

    List<String> outcomes = b().getResult(futures).getFirst();
    assertThat(outcomes).hasSize(9).allMatch(o -> o.equals("invalid") || o.equals("missing"));
    assertThat(outcomes.subList(0, 3)).containsOnly("invalid");
  }

  @Test
  void aFunctionsStorageIsRefusedOnceItsFutureHasEnded() throws Exception {
    assertThat(a().callAsync(STALE, "stash").get()).isEqualTo("stashed 11");
    String stale = a().callAsync(STALE, "stale").get();
    org.junit.jupiter.api.Assumptions.assumeFalse(
        stale.equals("another worker"), "the second future ran in another worker JVM");
    assertThat(stale).isEqualTo("refused");
  }
}
