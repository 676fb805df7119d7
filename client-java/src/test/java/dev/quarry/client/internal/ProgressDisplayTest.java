package dev.quarry.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
  @Test
  void drawsTheFuturesDoneOfTheTotal() {
    List<CompletableFuture<String>> futures =
        List.of(new CompletableFuture<>(), new CompletableFuture<>(), new CompletableFuture<>());
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    try (ProgressDisplay bar =
        ProgressDisplay.over(futures, new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertThat(bar.drawn()).isTrue();
      futures.get(0).complete("a");
      futures.get(1).completeExceptionally(new IllegalStateException("failed counts as done"));
    }

    assertThat(out.toString(StandardCharsets.UTF_8)).contains("futures").contains("2/3");
  }

  @Test
  void offDrawsNothingAndAutoIsTheDefault() {
    try (ProgressDisplay bar =
        ProgressDisplay.open(Progress.OFF, List.of(new CompletableFuture<>()))) {
      assertThat(bar.drawn()).isFalse();
    }
    assertThat(Progress.ON.enabled()).isTrue();
    assertThat(ClientOptions.DEFAULT.progress()).isEqualTo(Progress.AUTO);
    assertThat(ClientOptions.builder().progress(Progress.ON).build().toBuilder().build().progress())
        .isEqualTo(Progress.ON);
  }
}
