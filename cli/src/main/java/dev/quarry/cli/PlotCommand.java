package dev.quarry.cli;

import dev.quarry.client.QuarryJobs;
import dev.quarry.client.TaskOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code quarry jobs plot JOB}: PNG charts of a finished job's futures, as Lithops' {@code plot()}
 * draws them. The server reports each future's run time and completion order, not its start and end
 * times, so the "timeline" is the run time of each future in completion order.
 */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    description = {
      "Write PNG charts of a job: <JOB>-histogram.png (how long futures ran) and"
          + " <JOB>-timeline.png (each future's run time in completion order). Waits for the job to end."
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
    XYSeries ok = new XYSeries("succeeded");
    XYSeries bad = new XYSeries("failed or cancelled");
    double[] durations = new double[results.size()];
    for (int i = 0; i < results.size(); i++) {
      TaskOutcome r = results.get(i);
      durations[i] = r.durationMs();
      (r.state().equals("SUCCEEDED") ? ok : bad).add(i + 1, r.durationMs());
    }
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
    XYSeriesCollection series = new XYSeriesCollection();
    series.addSeries(ok);
    series.addSeries(bad);
    JFreeChart t =
        ChartFactory.createScatterPlot(
            "Job " + id + ": futures in completion order",
            "completion order",
            "run time (ms)",
            series,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    Path hf = dir.resolve(id + "-histogram.png");
    Path tf = dir.resolve(id + "-timeline.png");
    ChartUtils.saveChartAsPNG(hf.toFile(), h, width, height);
    ChartUtils.saveChartAsPNG(tf.toFile(), t, width, height);
    out().println(hf);
    out().println(tf);
    return ExitCodes.OK;
  }
}
