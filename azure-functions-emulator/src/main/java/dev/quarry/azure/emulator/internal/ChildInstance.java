package dev.quarry.azure.emulator.internal;

import dev.quarry.azure.emulator.child.Frames;
import dev.quarry.azure.emulator.child.FunctionChildMain;
import dev.quarry.emulator.child.ChildOutput;
import dev.quarry.emulator.child.ChildProcesses;
import dev.quarry.emulator.child.MemoryProbe;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A child JVM running one function's entry point, one invocation at a time. */
final class ChildInstance implements FunctionInstance {

  private static final Logger log = LoggerFactory.getLogger(ChildInstance.class);

  private final Deployment deployment;
  private final Process process;
  private final DataOutputStream in;
  private final DataInputStream out;
  private final ChildOutput output;
  private final Path dir;
  private volatile boolean killed;

  ChildInstance(
      Deployment deployment,
      Path javaHome,
      String hostClasspath,
      int memoryMb,
      Path dir,
      Consumer<? super ChildInstance> onDeath)
      throws IOException {
    this.deployment = deployment;
    this.dir = dir;
    Files.createDirectories(dir.resolve("tmp"));
    AppPackage.FunctionDef fn = deployment.function();
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin").resolve("java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:-UsePerfData");
    command.add("-Xshare:auto");
    command.add("-Xmx" + Math.max(32, memoryMb * 85 / 100) + "m");
    command.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
    command.add("-cp");
    command.add(
        String.join(
            File.pathSeparator,
            fn.scriptFile().toString(),
            deployment.pkg().root().resolve("lib").resolve("*").toString(),
            hostClasspath));
    command.add(FunctionChildMain.class.getName());
    command.add(fn.entryPoint());
    command.add(fn.name());
    Path outputFile = dir.resolve("output.log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(deployment.pkg().root().toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("LANG", "en_US.UTF-8");
    env.putAll(deployment.settings());
    env.put("FUNCTIONS_WORKER_RUNTIME", "java");
    env.put("AzureWebJobsScriptRoot", deployment.pkg().root().toString());
    env.put("CONTAINER_NAME", dir.getFileName().toString());
    this.output =
        new ChildOutput(
            outputFile,
            LoggerFactory.getLogger("dev.quarry.azure.emulator.function." + fn.name()),
            "[" + dir.getFileName() + "]");
    this.process = pb.start();
    ChildProcesses.register(process);
    this.in = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 64 * 1024));
    this.out = new DataInputStream(new BufferedInputStream(process.getInputStream(), 64 * 1024));
    process
        .onExit()
        .thenRun(
            () -> {
              output.drain(true);
              output.close();
              deleteDirectory();
              if (!killed) {
                onDeath.accept(this);
              }
            });
  }

  @Override
  public Deployment deployment() {
    return deployment;
  }

  @Override
  public boolean isAlive() {
    return !killed && process.isAlive();
  }

  @Override
  public void kill() {
    killed = true;
    process.destroyForcibly();
  }

  @Override
  public Result run(Frames.Message request, int timeoutSeconds, boolean crash)
      throws InterruptedException {
    long start = System.nanoTime();
    CompletableFuture<Frames.Message> answer = new CompletableFuture<>();
    try {
      Frames.write(in, request);
    } catch (IOException e) {
      return new Result(Kind.CRASHED, null, System.nanoTime() - start, 0);
    }
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                answer.complete(Frames.read(out));
              } catch (IOException | RuntimeException e) {
                answer.completeExceptionally(e);
              }
            });
    if (crash) {
      log.debug("injected crash of {}", dir.getFileName());
      kill();
    }
    try {
      Frames.Message m = answer.get(timeoutSeconds, TimeUnit.SECONDS);
      output.drain(true);
      return new Result(
          Kind.ANSWERED, m, System.nanoTime() - start, MemoryProbe.peakResidentMb(process.pid()));
    } catch (ExecutionException e) {
      output.drain(true);
      killed = true;
      return new Result(Kind.CRASHED, null, System.nanoTime() - start, 0);
    } catch (TimeoutException e) {
      kill();
      return new Result(Kind.TIMED_OUT, null, System.nanoTime() - start, 0);
    }
  }

  private void deleteDirectory() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException e) {
      log.debug("cannot delete {}: {}", dir, e.toString());
    }
  }
}
