package dev.quarry.cli;

import dev.quarry.client.JobInfo;
import dev.quarry.client.JsonSubmitOptions;
import dev.quarry.client.QuarryJobs;
import dev.quarry.client.TaskOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** {@code quarry submit FUNCTION --inputs file.json|-}. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Run a function registered by name (or a builtin: echo, sleep, checksum, fail,"
          + " noop) on each element of a JSON array, as one job.",
      "Waits and prints the results as a JSON array in input order (failed futures as"
          + " {\"error\": ...}); with --no-wait prints the job and returns at once.",
      "Exits with 1 if a future failed."
    })
final class SubmitCommand extends Cmd {
  /** Largest inputs file read (the server bounds a job's size too). */
  static final int MAX_INPUT_BYTES = 64 << 20;

  @Parameters(paramLabel = "FUNCTION", description = "Function name or id.")
  String function;

  @Option(
      names = "--inputs",
      required = true,
      paramLabel = "FILE|-",
      description = "A JSON array of inputs, from a file or - for standard input.")
  String inputs;

  @Option(names = "--label", description = "Label shown in listings.")
  @Nullable String label;

  @Option(
      names = "--chunk-size",
      defaultValue = "0",
      description = "Inputs per invocation (default: the server's).")
  int chunkSize;

  @Option(names = "--no-wait", description = "Print the job and return without waiting.")
  boolean noWait;

  @Option(
      names = {"-q", "--quiet"},
      description = "With --no-wait, print only the job id (for scripts).")
  boolean quiet;

  @Override
  int run() throws IOException {
    List<String> in = readInputs();
    try (QuarryJobs jobs = jobs()) {
      JobInfo job =
          jobs.submitJson(
              function, in, new JsonSubmitOptions(settings().profile(), label, chunkSize));
      if (noWait && quiet) {
        out().println(job.id());
        return ExitCodes.OK;
      }
      if (noWait) {
        output().print(Views.job(job), Views.JOB_HEADERS, List.of(Views.jobRow(job)));
        return ExitCodes.OK;
      }
      err().println("job " + job.id() + " submitted (" + in.size() + " inputs)");
      List<Object> out = new ArrayList<>();
      int[] failed = {0};
      jobs.results(
          job.id(),
          true,
          (TaskOutcome r) -> {
            if (r.state().equals("SUCCEEDED")) {
              out.add(r.json() ? Output.Json.COMPACT.readTree(r.data()) : Views.resultText(r));
            } else {
              failed[0]++;
              out.add(Views.outcome(r));
            }
          });
      out().println(Output.Json.PRETTY.writeValueAsString(out));
      if (failed[0] > 0) {
        err().println(failed[0] + " of " + in.size() + " futures failed");
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    }
  }

  private List<String> readInputs() throws IOException {
    byte[] bytes;
    if (inputs.equals("-")) {
      bytes = read(env().in());
    } else {
      Path p = Path.of(inputs);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("--inputs: no such file: " + p);
      }
      try (InputStream s = Files.newInputStream(p)) {
        bytes = read(s);
      }
    }
    JsonNode array;
    try {
      array = Output.Json.COMPACT.readTree(bytes);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("--inputs is not valid JSON: " + e.getOriginalMessage());
    }
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("--inputs must be a JSON array, one element per input");
    }
    List<String> out = new ArrayList<>(array.size());
    array.forEach(n -> out.add(Output.Json.COMPACT.writeValueAsString(n)));
    return out;
  }

  private static byte[] read(InputStream in) throws IOException {
    byte[] b = in.readNBytes(MAX_INPUT_BYTES + 1);
    if (b.length > MAX_INPUT_BYTES) {
      throw new IllegalArgumentException(
          "--inputs is larger than " + (MAX_INPUT_BYTES >> 20) + " MiB");
    }
    return b;
  }
}
