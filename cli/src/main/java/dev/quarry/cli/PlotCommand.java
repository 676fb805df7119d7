package dev.quarry.cli;

import dev.quarry.client.QuarryJobs;
import dev.quarry.client.TaskOutcome;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quarry jobs plot JOB}: PNG charts of a finished job's futures, as Lithops' {@code plot()}
 * draws them: a histogram of run times, and a timeline with one bar per future over the time its
 * function ran (its duration up to when the server recorded its end, never before the server handed
 * it to a backend), in seconds since the job's first future was handed out.
 */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    description = {
      "Write PNG charts of a job: <JOB>-histogram.png (how long futures ran) and"
          + " <JOB>-timeline.png (each future's start and end, by input index). Waits for the job"
          + " to end."
    })
final class PlotCommand extends Cmd {
  @Parameters(paramLabel = "JOB", description = "The job id.")
  String id;

  @Option(
      names = "--dir",
      defaultValue = ".",
      paramLabel = "DIR",
      description = "Where to write the files (default: here).")
  Path dir;

  @Option(names = "--width", defaultValue = "1000", description = "Width in pixels (200-4000).")
  int width;

  @Option(names = "--height", defaultValue = "600", description = "Height in pixels (200-4000).")
  int height;

  @Override
  int run() throws IOException {
    if (width < 200 || width > 4000 || height < 200 || height > 4000) {
      throw new IllegalArgumentException("--width and --height must be between 200 and 4000");
    }
    System.setProperty("java.awt.headless", "true");
    List<TaskOutcome> results = new ArrayList<>();
    try (QuarryJobs jobs = jobs()) {
      jobs.results(id, false, results::add);
    }
    if (results.isEmpty()) {
      throw new QuarryCli.CommandFailed(
          ExitCodes.FAILED, "job " + id + " has no finished futures to plot");
    }
    Files.createDirectories(dir);
    double[] durations = results.stream().mapToDouble(TaskOutcome::durationMs).toArray();
    HistogramDataset histogram = new HistogramDataset();
    histogram.addSeries(
        "futures",
        durations,
        Math.max(1, Math.min(50, (int) Math.ceil(Math.sqrt(durations.length)))));
    JFreeChart h =
        ChartFactory.createHistogram(
            "Job " + id + ": run time of " + results.size() + " futures",
            "run time (ms)",
            "futures",
            histogram,
            PlotOrientation.VERTICAL,
            false,
            false,
            false);
    JFreeChart t = timeline(results);
    Path hf = dir.resolve(id + "-histogram.png");
    Path tf = dir.resolve(id + "-timeline.png");
    ChartUtils.saveChartAsPNG(hf.toFile(), h, width, height);
    ChartUtils.saveChartAsPNG(tf.toFile(), t, width, height);
    out().println(hf);
    out().println(tf);
    return ExitCodes.OK;
  }

  /** One horizontal bar per future, from its start to its end, by input index. */
  private JFreeChart timeline(List<TaskOutcome> results) {
    long origin =
        results.stream()
            .mapToLong(r -> r.startedAtMs() > 0 ? r.startedAtMs() : r.finishedAtMs())
            .min()
            .orElse(0);
    XYIntervalSeries ok = new XYIntervalSeries("succeeded");
    XYIntervalSeries bad = new XYIntervalSeries("failed or cancelled");
    for (TaskOutcome r : results) {
      // the function ran for durationMs before its end was recorded, after the claim at startedAt
      long ran = Math.max(r.startedAtMs(), r.finishedAtMs() - r.durationMs());
      double end = (r.finishedAtMs() - origin) / 1000.0;
      double start = r.startedAtMs() > 0 ? (ran - origin) / 1000.0 : end;
      (r.state().equals("SUCCEEDED") ? ok : bad)
          .add(r.index(), r.index() - 0.4, r.index() + 0.4, end, start, end);
    }
    XYIntervalSeriesCollection bars = new XYIntervalSeriesCollection();
    bars.addSeries(ok);
    bars.addSeries(bad);
    XYBarRenderer renderer = new XYBarRenderer();
    renderer.setUseYInterval(true);
    renderer.setShadowVisible(false);
    renderer.setBarPainter(new StandardXYBarPainter());
    renderer.setSeriesPaint(0, new Color(0x2e7d32));
    renderer.setSeriesPaint(1, new Color(0xc62828));
    NumberAxis futures = new NumberAxis("future (input index)");
    futures.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYPlot plot =
        new XYPlot(bars, futures, new NumberAxis("seconds since the first claim"), renderer);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    return new JFreeChart(
        "Job " + id + ": when each future ran", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
  }
}
