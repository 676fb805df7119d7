package dev.quarry.cli;

import dev.quarry.client.JobInfo;
import java.time.Duration;
import java.time.Instant;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * A job's progress on stderr: a live bar (me.tongfei progressbar) on a terminal, otherwise a plain
 * line at most once a second and at the end, without control characters.
 */
abstract class ProgressView implements AutoCloseable {
  static ProgressView open(Env env, String jobId) {
    return env.terminal() ? new Bar(jobId) : new Lines(env, jobId);
  }

  abstract void update(JobInfo job);

  /** The job ended; render its final state. */
  abstract void finish(JobInfo job);

  @Override
  public abstract void close();

  static String counts(JobInfo j) {
    return "pending "
        + j.pending()
        + ", running "
        + j.running()
        + ", done "
        + j.done()
        + ", failed "
        + j.failed();
  }

  /** A live bar; it redraws itself (rate and ETA included) every 200 ms until closed. */
  private static final class Bar extends ProgressView {
    private final String jobId;
    private @Nullable ProgressBar bar;

    Bar(String jobId) {
      this.jobId = jobId;
    }

    @Override
    void update(JobInfo j) {
      if (bar == null) {
        bar =
            new ProgressBarBuilder()
                .setTaskName("job " + jobId.substring(0, Math.min(8, jobId.length())))
                .setInitialMax(j.total())
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .setUnit(" futures", 1)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
      }
      bar.maxHint(j.total());
      bar.stepTo(j.done());
      bar.setExtraMessage(counts(j));
    }

    @Override
    void finish(JobInfo j) {
      update(j);
      close();
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }

  /** Plain lines for pipes and log files. */
  private static final class Lines extends ProgressView {
    private final Env env;
    private final String jobId;
    private @Nullable Instant started;
    private int startDone;
    private @Nullable Instant lastPrinted;
    private String lastLine = "";

    Lines(Env env, String jobId) {
      this.env = env;
      this.jobId = jobId;
    }

    @Override
    void update(JobInfo j) {
      Instant now = env.clock().instant();
      if (started == null) {
        started = now;
        startDone = j.done();
      }
      if (lastPrinted == null || Duration.between(lastPrinted, now).toMillis() >= 1000) {
        print(j, now);
      }
    }

    @Override
    void finish(JobInfo j) {
      print(j, env.clock().instant());
    }

    private void print(JobInfo j, Instant now) {
      String counts = j.state() + " " + j.done() + "/" + j.total() + " (" + counts(j) + ")";
      if (j.state().isTerminal() && lastLine.equals(counts)) {
        return; // the end was already shown
      }
      lastLine = counts;
      lastPrinted = now;
      StringBuilder line =
          new StringBuilder(
              "job " + jobId + " " + j.state() + " " + j.done() + "/" + j.total() + " (" + counts(j)
                  + ")");
      double seconds = started == null ? 0 : Duration.between(started, now).toMillis() / 1000.0;
      int progressed = j.done() - startDone;
      if (seconds > 0 && progressed > 0) {
        double rate = progressed / seconds;
        line.append(String.format(" rate %.1f/s", rate));
        if (!j.state().isTerminal()) {
          line.append(" ETA ")
              .append(
                  Views.duration(
                      Duration.ofSeconds((long) Math.ceil((j.total() - j.done()) / rate))));
        }
      }
      env.err().println(line);
      env.err().flush();
    }

    @Override
    public void close() {}
  }
}
