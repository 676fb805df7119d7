package dev.quarry.lambda.emulator.internal;

import dev.quarry.emulator.faults.FaultInjector;
import dev.quarry.emulator.faults.Faults;
import dev.quarry.lambda.emulator.EmulatorOptions;
import dev.quarry.lambda.emulator.EmulatorStats;
import dev.quarry.lambda.emulator.FunctionInfo;
import dev.quarry.lambda.emulator.InProcessHandler;
import dev.quarry.lambda.emulator.LambdaEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link LambdaEmulator}: wires the servers, functions and instances together. */
public final class Emulator implements LambdaEmulator {

  private static final Logger log = LoggerFactory.getLogger(Emulator.class);

  private final Path workDir;
  private final StatsRecorder stats = new StatsRecorder();
  private final FaultInjector faults;
  private final FunctionRegistry registry = new FunctionRegistry();
  private final CodeStore codes;
  private final ChildJvmLauncher launcher;
  private final ConcurrentHashMap<String, InProcessHandler> inProcess = new ConcurrentHashMap<>();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService scheduler;
  private final ApiServer server;
  private final URI endpoint;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<Instance> instances = ConcurrentHashMap.newKeySet();

  private Emulator(EmulatorOptions options, Path workDir) throws IOException {
    this.workDir = workDir;
    this.faults = new FaultInjector(options.seed(), stats.invocations);
    this.codes = new CodeStore(workDir.resolve("code"));
    this.launcher =
        new ChildJvmLauncher(
            options.javaHome(),
            options.runtimeClasspath(),
            options.region(),
            options.instanceEnvironment(),
            workDir);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lambda-emulator-scheduler");
              t.setDaemon(true);
              return t;
            });
    URI[] endpointHolder = new URI[1];
    ControlPlane control =
        new ControlPlane(
            registry,
            codes,
            options.codeFetcher(),
            options.region(),
            options.maxInstancesPerFunction(),
            this::startInstance,
            scheduler,
            options.stateTransitionDelay(),
            () -> endpointHolder[0]);
    InvokeEndpoint invoke =
        new InvokeEndpoint(
            registry, new Invoker(stats), faults, stats, executor, options.concurrencyLimit());
    SigV4Verifier verifier =
        new SigV4Verifier(
            options.accessKeyId(), options.secretAccessKey(), options.region(), Clock.systemUTC());
    this.server = new ApiServer(verifier, stats, control, invoke, options.region(), executor);
    this.endpoint = server.endpoint();
    endpointHolder[0] = endpoint;
  }

  /** See {@link LambdaEmulator#start}. */
  public static Emulator start(EmulatorOptions options) {
    Path workDir;
    try {
      workDir = Files.createTempDirectory("quarry-lambda-emulator-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the emulator's work directory", e);
    }
    try {
      Emulator emulator = new Emulator(options, workDir);
      emulator.server.start();
      log.info("Lambda emulator listening on {} (region {})", emulator.endpoint, options.region());
      return emulator;
    } catch (IOException e) {
      deleteRecursively(workDir);
      throw new UncheckedIOException("cannot start the Lambda emulator", e);
    }
  }

  private Instance startInstance(Deployment deployment, Consumer<? super Instance> onDeath)
      throws IOException {
    if (closed.get()) {
      throw new IOException("the emulator is closed");
    }
    InProcessHandler handler = inProcess.get(deployment.config().handler());
    Instance instance;
    if (handler != null) {
      instance = new InProcessInstance(deployment, handler);
    } else {
      Path taskRoot = codes.unpack(deployment.code());
      instance =
          new ProcessInstance(
              deployment,
              taskRoot,
              workDir.resolve("instances").resolve(RequestIds.hex(16)),
              launcher,
              executor,
              onDeath);
      instances.add(instance);
      instance.terminated().thenRun(() -> instances.remove(instance));
    }
    stats.invocations.instanceStarted();
    return instance;
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public Faults faults() {
    return faults;
  }

  @Override
  public void registerInProcess(String handler, InProcessHandler implementation) {
    inProcess.put(handler, implementation);
  }

  @Override
  public EmulatorStats stats() {
    return stats.snapshot();
  }

  @Override
  public List<FunctionInfo> functions() {
    return registry.all().stream().map(Emulator::info).toList();
  }

  @Override
  public Optional<FunctionInfo> function(String name) {
    return registry.all().stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .map(Emulator::info);
  }

  private static FunctionInfo info(LambdaFunction fn) {
    LambdaFunction.View v = fn.view();
    FunctionConfig c = v.config();
    return new FunctionInfo(
        c.name(),
        c.arn(),
        c.runtime(),
        c.handler(),
        c.role(),
        c.description(),
        c.memoryMb(),
        c.timeoutSeconds(),
        c.environment(),
        c.architectures(),
        c.codeSha256(),
        c.codeSize(),
        c.lastModified(),
        c.revisionId(),
        v.status().state().name(),
        v.status().lastUpdateStatus() == null ? null : v.status().lastUpdateStatus().name(),
        v.liveInstances());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop();
    List<LambdaFunction> all = registry.all();
    registry.clear();
    all.forEach(LambdaFunction::delete);
    for (Instance instance : List.copyOf(instances)) {
      instance.kill();
      try {
        instance.terminated().get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException e) {
        log.warn("instance {} did not terminate in time", instance.id());
      }
    }
    scheduler.shutdownNow();
    executor.shutdownNow();
    deleteRecursively(workDir);
    log.info("Lambda emulator on {} closed", endpoint);
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("cannot delete {}: {}", dir, e.toString());
    }
  }
}
