package dev.quarry.azure.emulator.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.quarry.azure.emulator.child.Frames;
import dev.quarry.emulator.http.Servers;
import dev.quarry.emulator.pool.InstancePool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One function app: its resource (as ARM stores it), app settings, keys, deployed package, its own
 * HTTPS host on 127.0.0.1 (its {@code defaultHostName}) serving {@code /api/<function>}, and its
 * SCM host (another port, the repository host name ARM lists) serving the one deploy.
 */
final class FunctionApp {

  private static final Logger log = LoggerFactory.getLogger(FunctionApp.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Azure's front end ends an HTTP-triggered invocation after this long. */
  static final int HTTP_TRIGGER_LIMIT_SECONDS = 230;

  final String id;
  final String name;
  final String resourceGroup;
  private final HttpsServer host;
  private final HttpsServer scm;
  private final String scmHostName;
  private volatile boolean flex;
  private final String defaultHostName;
  private final URI baseUri;
  private final Host context;
  private final String hostKey = newKey();
  private final Map<String, String> functionKeys = new ConcurrentHashMap<>();
  private final Map<String, InstancePool<Deployment, FunctionInstance>> pools =
      new ConcurrentHashMap<>();
  private volatile ObjectNode resource;
  private volatile Map<String, String> settings = Map.of();
  private volatile @Nullable AppPackage pkg;
  private volatile @Nullable String deployError;
  private volatile boolean deleted;

  /** What apps need from the emulator. */
  interface Host {
    javax.net.ssl.SSLContext ssl();

    ExecutorService executor();

    InstancePool<Deployment, FunctionInstance> newPool(FunctionApp app, Deployment deployment);

    void invoke(FunctionApp app, HttpExchange ex) throws IOException;

    /** A call to the app's SCM host. */
    void scm(FunctionApp app, HttpExchange ex) throws IOException;
  }

  FunctionApp(String id, String name, String resourceGroup, ObjectNode resource, Host context)
      throws IOException {
    this.id = id;
    this.name = name;
    this.resourceGroup = resourceGroup;
    this.context = context;
    // a backlog for a thousand clients connecting at once, as the Lambda emulator's API has
    this.host = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    host.setHttpsConfigurator(new HttpsConfigurator(context.ssl()));
    host.setExecutor(context.executor());
    host.createContext("/", ex -> context.invoke(this, ex));
    Servers.startAsDaemon(host);
    this.defaultHostName = "127.0.0.1:" + host.getAddress().getPort();
    this.baseUri = URI.create("https://" + defaultHostName);
    this.scm = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    scm.setHttpsConfigurator(new HttpsConfigurator(context.ssl()));
    scm.setExecutor(context.executor());
    scm.createContext("/", ex -> context.scm(this, ex));
    Servers.startAsDaemon(scm);
    this.scmHostName = "127.0.0.1:" + scm.getAddress().getPort();
    this.resource = resource;
  }

  String defaultHostName() {
    return defaultHostName;
  }

  String scmHostName() {
    return scmHostName;
  }

  /** Whether the app is on a Flex Consumption plan (set with its resource). */
  boolean flex() {
    return flex;
  }

  void flex(boolean flex) {
    this.flex = flex;
  }

  URI baseUri() {
    return baseUri;
  }

  ObjectNode resource() {
    return resource;
  }

  void resource(ObjectNode r) {
    this.resource = r;
  }

  Map<String, String> settings() {
    return settings;
  }

  /** Replaces the app settings; instances restart with them, as on Azure. */
  synchronized void settings(Map<String, String> s) {
    this.settings = Map.copyOf(s);
    redeploy();
  }

  synchronized void deployed(AppPackage p) {
    this.pkg = p;
    this.deployError = null;
    redeploy();
  }

  void deployFailed(String why) {
    this.deployError = why;
  }

  Optional<String> deployError() {
    return Optional.ofNullable(deployError);
  }

  Optional<AppPackage> pkg() {
    return Optional.ofNullable(pkg);
  }

  /** The function's default key, created on first listing. */
  String functionKey(String function) {
    return functionKeys.computeIfAbsent(function.toLowerCase(Locale.ROOT), f -> newKey());
  }

  /** Replaces the function's default key. */
  void renewFunctionKey(String function) {
    functionKeys.put(function.toLowerCase(Locale.ROOT), newKey());
  }

  /** Whether {@code key} opens {@code function}: its own key or the host key. */
  boolean keyOpens(String function, @Nullable String key) {
    if (key == null || key.isEmpty()) {
      return false;
    }
    String own = functionKeys.get(function.toLowerCase(Locale.ROOT));
    return key.equals(hostKey) || key.equals(own);
  }

  String hostKey() {
    return hostKey;
  }

  /** The pool of {@code fn}'s instances, created with the current deployment. */
  InstancePool<Deployment, FunctionInstance> pool(AppPackage.FunctionDef fn) {
    AppPackage p = pkg;
    return pools.computeIfAbsent(
        fn.name().toLowerCase(Locale.ROOT),
        k -> context.newPool(this, new Deployment(p, fn, settings)));
  }

  private void redeploy() {
    AppPackage p = pkg;
    Map<String, InstancePool<Deployment, FunctionInstance>> current = new HashMap<>(pools);
    current.forEach(
        (k, pool) -> {
          AppPackage.FunctionDef fn = p == null ? null : p.functions().get(k);
          if (fn == null) {
            pools.remove(k);
            pool.close();
          } else {
            pool.deploy(new Deployment(p, fn, settings));
          }
        });
  }

  boolean deleted() {
    return deleted;
  }

  /** Stops the host and every instance. */
  void delete() {
    deleted = true;
    host.stop(0);
    scm.stop(0);
    pools.values().forEach(InstancePool::close);
    pools.clear();
    log.debug("function app {} deleted", name);
  }

  Frames.Message frame(String invocationId, HttpExchange ex, byte[] body) {
    Map<String, String> headers = new HashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
    return new Frames.Message(
        invocationId,
        ex.getRequestMethod(),
        baseUri().resolve(ex.getRequestURI()).toString(),
        0,
        headers,
        body);
  }

  private static String newKey() {
    byte[] b = new byte[40];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
