package dev.quarry.client.internal;

import dev.quarry.client.Progress;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * A progress bar of futures being waited on (done of total), drawn on stderr by me.tongfei
 * progressbar while a wait lasts. Driven by the futures' own completions: no server calls.
 */
public final class ProgressDisplay implements AutoCloseable {
  private final @Nullable ProgressBar bar;

  private ProgressDisplay(@Nullable ProgressBar bar) {
    this.bar = bar;
  }

  /** A bar over {@code futures} when {@code mode} says so, else one that draws nothing. */
  public static ProgressDisplay open(Progress mode, List<? extends CompletableFuture<?>> futures) {
    return mode.enabled() ? over(futures, System.err) : new ProgressDisplay(null);
  }

  /** A bar over {@code futures} drawn on {@code out}. */
  static ProgressDisplay over(List<? extends CompletableFuture<?>> futures, PrintStream out) {
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("futures")
            .setInitialMax(futures.size())
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(200)
            .showSpeed()
            .setUnit("", 1)
            .continuousUpdate()
            .setConsumer(new ConsoleProgressBarConsumer(out))
            .build();
    for (CompletableFuture<?> f : futures) {
      f.whenComplete((v, e) -> bar.step());
    }
    return new ProgressDisplay(bar);
  }

  /** Whether a bar is drawn. */
  public boolean drawn() {
    return bar != null;
  }

  /** Draws the last state and stops drawing. */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
