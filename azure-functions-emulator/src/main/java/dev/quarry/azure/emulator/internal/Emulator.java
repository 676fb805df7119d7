package dev.quarry.azure.emulator.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.quarry.azure.emulator.AzureEmulatorOptions;
import dev.quarry.azure.emulator.AzureFunctionsEmulator;
import dev.quarry.azure.emulator.child.FunctionChildMain;
import dev.quarry.emulator.faults.FaultInjector;
import dev.quarry.emulator.faults.Faults;
import dev.quarry.emulator.http.Servers;
import dev.quarry.emulator.inprocess.InProcessFunction;
import dev.quarry.emulator.pool.InstancePool;
import dev.quarry.emulator.stats.InvocationCounters;
import dev.quarry.emulator.stats.InvocationStats;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The emulator: one HTTPS server for Entra and ARM, one per function app for its host. */
public final class Emulator implements AzureFunctionsEmulator, FunctionApp.Host {

  private static final Logger log = LoggerFactory.getLogger(Emulator.class);

  private final AzureEmulatorOptions options;
  private final Path workDir;
  private final Tls tls;
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final InvocationCounters counters = new InvocationCounters();
  private final FaultInjector faults;
  private final Map<String, FunctionApp> apps = new ConcurrentHashMap<>();
  private final AtomicLong instanceSeq = new AtomicLong();
  private final String hostClasspath;
  private final Invocations invocations;
  private final Arm arm;
  private final OneDeploy oneDeploy;
  private final Map<String, InProcessFunction> inProcess = new ConcurrentHashMap<>();

  private Emulator(AzureEmulatorOptions options, Path workDir, Tls tls) throws IOException {
    this.options = options;
    this.workDir = workDir;
    this.tls = tls;
    this.faults = new FaultInjector(options.seed(), counters);
    this.hostClasspath = hostClasspath();
    this.invocations = new Invocations(counters, faults);
    this.server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
    server.setExecutor(executor);
    this.arm = new Arm(options, apps, this, workDir, this::endpoint);
    server.createContext("/", arm::handle);
    this.oneDeploy = new OneDeploy(arm, workDir);
    Servers.startAsDaemon(server);
  }

  /**
   * The JDK server's cap on idle keep-alive connections, unless the JVM sets its own: with the
   * default (200) every connection beyond 200 idle ones is closed when its exchange ends, so a
   * client keeping a thousand connections to an app host (one per concurrent invocation) opens new
   * ones, each with a full TLS handshake, all the time; Azure's front ends keep them. Read once per
   * JVM, when its first JDK HTTP server is made.
   */
  static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

  /**
   * @throws IOException if the certificate or the server cannot be made
   */
  public static Emulator start(AzureEmulatorOptions options) throws IOException {
    System.getProperties().putIfAbsent(MAX_IDLE_CONNECTIONS, "4096");
    Path dir = Files.createTempDirectory("azure-functions-emulator");
    try {
      return new Emulator(options, dir, Tls.create(options.javaHome(), dir));
    } catch (IOException | RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  @Override
  public URI endpoint() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public SSLContext sslContext() {
    return tls.context();
  }

  @Override
  public Path trustStore() {
    return tls.keyStore();
  }

  @Override
  public AzureEmulatorOptions options() {
    return options;
  }

  @Override
  public Faults faults() {
    return faults;
  }

  @Override
  public InvocationStats stats() {
    return counters.snapshot();
  }

  @Override
  public Optional<URI> appHost(String resourceGroup, String appName) {
    return Optional.ofNullable(apps.get(Arm.key(resourceGroup, appName))).map(FunctionApp::baseUri);
  }

  @Override
  public void registerInProcess(String entryPoint, InProcessFunction function) {
    inProcess.put(entryPoint, function);
  }

  @Override
  public boolean renewFunctionKey(String resourceGroup, String appName, String function) {
    FunctionApp app = apps.get(Arm.key(resourceGroup, appName));
    if (app == null) {
      return false;
    }
    app.renewFunctionKey(function);
    return true;
  }

  // --- FunctionApp.Host ---

  @Override
  public SSLContext ssl() {
    return tls.context();
  }

  @Override
  public ExecutorService executor() {
    return executor;
  }

  @Override
  public InstancePool<Deployment, FunctionInstance> newPool(
      FunctionApp app, Deployment deployment) {
    return new InstancePool<>(
        options.maxInstancesPerFunction(),
        (d, onDeath) -> {
          counters.instanceStarted();
          InProcessFunction body = inProcess.get(d.function().entryPoint());
          if (body != null) {
            return new InProcessInstance(d, body);
          }
          return new ChildInstance(
              d,
              options.javaHome(),
              hostClasspath,
              options.instanceMemoryMb(),
              workDir.resolve("instances").resolve(app.name + "-" + instanceSeq.incrementAndGet()),
              onDeath);
        },
        deployment);
  }

  @Override
  public void invoke(FunctionApp app, HttpExchange ex) throws IOException {
    invocations.handle(app, ex);
  }

  @Override
  public void scm(FunctionApp app, HttpExchange ex) throws IOException {
    oneDeploy.handle(app, ex);
  }

  @Override
  public void close() {
    server.stop(0);
    apps.values().forEach(FunctionApp::delete);
    apps.clear();
    executor.shutdownNow();
    delete(workDir);
  }

  /** The emulator's own classes and the functions library, for the child JVMs. */
  private static String hostClasspath() {
    Set<String> entries = new LinkedHashSet<>();
    entries.add(codeSource(FunctionChildMain.class));
    entries.add(codeSource(com.microsoft.azure.functions.HttpRequestMessage.class));
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (Path.of(e).getFileName() != null
          && Path.of(e).getFileName().toString().startsWith("azure-functions-java")) {
        entries.add(e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Deletes {@code dir}; instances that exit meanwhile delete their own folders, so a walk that
   * meets a vanished file starts again (a few times).
   */
  private static void delete(Path dir) {
    for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | java.io.UncheckedIOException e) {
        log.debug("cannot delete {} yet: {}", dir, e.toString());
      }
    }
  }
}
