package dev.quarry.lambda.emulator.internal;

import dev.quarry.emulator.child.ChildOutput;
import dev.quarry.emulator.child.MemoryProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance backed by a child JVM running the AWS runtime interface client, which polls this
 * instance's own {@link RuntimeApiServer} for invocations.
 *
 * <p>Long because it runs a real worker process behind the Lambda runtime API: start, hand over
 * events, collect answers, time-outs and crashes.
 */
final class ProcessInstance extends Instance implements RuntimeApiServer.Target {

  private static final Logger log = LoggerFactory.getLogger(ProcessInstance.class);

  /** Lambda's limit for the init phase, added to the timeout of a cold start. */
  private static final long INIT_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(10);

  private static final Invocation SHUTDOWN = new Invocation("", new byte[0], null, "", false);

  private final Path dir;
  private final ChildOutput output;
  private final RuntimeApiServer api;
  private final LinkedBlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
  private final long startNanos = System.nanoTime();
  private final Process process;
  private volatile @Nullable Invocation current;
  private volatile long readyNanos;
  private volatile @Nullable InvocationOutcome initFailure;
  private volatile @Nullable String exit;
  private volatile boolean killed;
  private volatile long peakMemoryMb;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();

  /** Starts the instance's child JVM. */
  ProcessInstance(
      Deployment deployment,
      Path taskRoot,
      Path dir,
      ChildJvmLauncher launcher,
      Executor executor,
      Consumer<? super Instance> onDeath)
      throws IOException {
    super(deployment);
    this.dir = dir;
    FunctionConfig c = deployment().config();
    Files.createDirectories(dir.resolve("tmp"));
    Path outputFile = dir.resolve("output.log");
    this.output =
        new ChildOutput(
            outputFile,
            LoggerFactory.getLogger("dev.quarry.lambda.emulator.function." + c.name()),
            "[" + id() + "]");
    this.api = new RuntimeApiServer(this, executor, c.timeoutSeconds());
    String logStream =
        LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/MM/dd"))
            + "/[$LATEST]"
            + id()
            + RequestIds.hex(20);
    try {
      this.process =
          launcher.launch(
              new ChildJvmLauncher.Sandbox(
                  c, taskRoot, api.port(), logStream, dir.resolve("tmp"), outputFile));
    } catch (IOException | RuntimeException e) {
      api.stop();
      output.close();
      deleteDirectory();
      throw e;
    }
    process.onExit().thenRun(() -> exited(onDeath));
    log.debug("started instance {} of {} (pid {})", id(), c.name(), process.pid());
  }

  @Override
  public boolean isAlive() {
    return exit == null && initFailure == null && !killed;
  }

  @Override
  public RunResult run(Invocation inv, boolean cold) throws InterruptedException {
    current = inv;
    InvocationOutcome failed = initFailure;
    String exited = exit;
    if (failed != null) {
      inv.complete(failed);
    } else if (exited != null) {
      inv.complete(InvocationOutcome.crash(inv.requestId, exited));
    } else {
      queue.add(inv);
    }
    InvocationOutcome outcome = await(inv);
    long delivered = inv.deliveredNanos;
    long duration =
        outcome.kind() == InvocationOutcome.Kind.TIMEOUT
            ? TimeUnit.SECONDS.toNanos(deployment().config().timeoutSeconds())
            : delivered == 0 ? 0 : Math.max(0, outcome.atNanos() - delivered);
    long ready = readyNanos;
    long init = !cold ? -1 : (ready != 0 ? ready - startNanos : outcome.atNanos() - startNanos);
    List<String> lines = output.drain(true);
    if (isAlive()) {
      long mb = MemoryProbe.peakResidentMb(process.pid());
      if (mb > 0) {
        peakMemoryMb = mb;
      }
    } else if (outcome.kind() == InvocationOutcome.Kind.CRASH && ready == 0 && !killed) {
      warnInitExit(String.valueOf(exit), lines);
    }
    current = null;
    if (!isAlive()) {
      output.close(); // exited() leaves it open while an invocation may still drain it
    }
    return new RunResult(outcome, duration, init, peakMemoryMb, lines);
  }

  private void warnInitExit(String how, List<String> lastLines) {
    log.warn(
        "instance {} of {} exited during init ({}); last output:\n{}",
        id(),
        deployment().config().name(),
        how,
        String.join("\n", lastLines.subList(Math.max(0, lastLines.size() - 20), lastLines.size())));
  }

  private InvocationOutcome await(Invocation inv) throws InterruptedException {
    int timeoutSeconds = deployment().config().timeoutSeconds();
    long timeoutNanos = TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try {
      CompletableFuture.anyOf(inv.delivered, inv.outcome)
          .get(INIT_BUDGET_NANOS + timeoutNanos, TimeUnit.NANOSECONDS);
      if (!inv.outcome.isDone()) {
        long left = inv.deliveredNanos + timeoutNanos - System.nanoTime();
        return inv.outcome.get(Math.max(0, left), TimeUnit.NANOSECONDS);
      }
      return inv.outcome.join();
    } catch (TimeoutException e) {
      if (inv.complete(InvocationOutcome.timeout(inv.requestId, timeoutSeconds))) {
        log.debug("instance {} timed out on {}; killing it", id(), inv.requestId);
        kill();
        awaitTermination();
      }
      return inv.outcome.join();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits (briefly) until a killed child has really exited, so no timed-out work outlives the
   * answer.
   */
  private void awaitTermination() throws InterruptedException {
    try {
      terminated.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("instance {} did not exit within 5 s of being killed", id());
    }
  }

  @Override
  public void kill() {
    killed = true;
    process.destroyForcibly();
    queue.offer(SHUTDOWN);
  }

  @Override
  public CompletableFuture<?> terminated() {
    return terminated;
  }

  // --- Runtime API ---

  @Override
  public @Nullable Invocation next() throws InterruptedException {
    if (readyNanos == 0) {
      readyNanos = System.nanoTime();
    }
    Invocation inv = queue.take();
    if (inv == SHUTDOWN) {
      queue.offer(SHUTDOWN);
      return null;
    }
    output.drain(true);
    inv.markDelivered();
    return inv;
  }

  @Override
  public void delivered(Invocation inv) {
    if (inv.injectCrash) {
      log.debug("instance {}: injected crash during {}", id(), inv.requestId);
      process.destroyForcibly();
    }
  }

  @Override
  public boolean respond(String requestId, byte[] payload) {
    Invocation inv = current;
    if (inv == null || inv.deliveredNanos == 0 || !inv.requestId.equals(requestId)) {
      return false;
    }
    inv.complete(InvocationOutcome.success(payload));
    return true;
  }

  @Override
  public boolean error(String requestId, @Nullable String errorType, byte[] errorJson) {
    Invocation inv = current;
    if (inv == null || inv.deliveredNanos == 0 || !inv.requestId.equals(requestId)) {
      return false;
    }
    inv.complete(InvocationOutcome.functionError(errorJson, errorType(errorType, errorJson)));
    return true;
  }

  @Override
  public void initError(@Nullable String errorType, byte[] errorJson) {
    byte[] payload =
        errorJson.length > 0
            ? errorJson
            : InvocationOutcome.errorJson("Runtime.Unknown", "Unknown init error");
    InvocationOutcome failure =
        InvocationOutcome.functionError(payload, errorType(errorType, payload));
    initFailure = failure;
    Invocation inv = current;
    if (inv != null) {
      inv.complete(failure);
    }
    log.debug("instance {} failed to initialise: {}", id(), failure);
  }

  private static String errorType(@Nullable String header, byte[] errorJson) {
    String fromBody = Json.field(errorJson, "errorType");
    if (fromBody != null) {
      return fromBody;
    }
    return header != null ? header : "Runtime.Unknown";
  }

  private void exited(Consumer<? super Instance> onDeath) {
    int status = process.exitValue();
    String description = describeExit(status);
    exit = description;
    queue.offer(SHUTDOWN);
    log.debug("instance {} of {} exited ({})", id(), deployment().config().name(), description);
    Invocation inv = current;
    if (inv != null) {
      // run() drains the output into the invocation's log, then closes it
      inv.complete(InvocationOutcome.crash(inv.requestId, description));
    } else {
      List<String> last = output.drain(true);
      if (readyNanos == 0 && !killed && initFailure == null) {
        warnInitExit(description, last);
      }
      output.close();
    }
    api.stop();
    onDeath.accept(this);
    deleteDirectory();
    terminated.complete(null);
  }

  /** Like Go's {@code ProcessState.String()}, which Lambda reports. */
  static String describeExit(int status) {
    return switch (status) {
      case 128 + 9 -> "signal: killed";
      case 128 + 6 -> "signal: aborted";
      case 128 + 11 -> "signal: segmentation fault";
      case 128 + 15 -> "signal: terminated";
      default -> "exit status " + status;
    };
  }

  private void deleteDirectory() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", dir, e.toString());
    }
  }
}
