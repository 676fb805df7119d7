package dev.quarry.azure.emulator.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.quarry.azure.emulator.AzureEmulatorOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Microsoft Entra's client-credentials token endpoint and the Azure Resource Manager operations on
 * {@code Microsoft.Web/sites} that the App Service SDK sends for function apps: create or update,
 * get, delete, app settings (update, list), function keys (list), host keys (list). Deployment is
 * run-from-package on Consumption: an app setting {@code WEBSITE_RUN_FROM_PACKAGE} holding a URL
 * makes the host download and mount that zip, as on Azure; on Flex Consumption (FC1 plans, checked
 * by {@link FlexRules}) it is a one deploy to the app's SCM host ({@link OneDeploy}).
 *
 * <p>Long because it is the whole control plane the SDK talks to (token, discovery, sites, plans,
 * storage accounts, settings, keys), each answer shaped as Azure shapes it, errors included, behind
 * one router; the per-app data plane is {@link FunctionApp} and {@link Invocations}.
 */
final class Arm {

  private static final Logger log = LoggerFactory.getLogger(Arm.class);

  static final String RUN_FROM_PACKAGE = "WEBSITE_RUN_FROM_PACKAGE";
  private static final long MAX_PACKAGE = 512L * 1024 * 1024;
  private static final Pattern SITE = resource("microsoft\\.web/sites/([^/]+)(/.*)?");
  private static final Pattern STORAGE =
      resource("microsoft\\.storage/storageaccounts/([^/]+)(/listkeys)?");
  private static final Pattern PLAN = resource("microsoft\\.web/serverfarms/([^/]+)");
  private static final Pattern SITES = resource("microsoft\\.web/sites");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AzureEmulatorOptions options;
  private final Map<String, FunctionApp> apps;
  private final FunctionApp.Host host;
  private final Path workDir;
  private final Supplier<URI> endpoint;
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Map<String, ObjectNode> plans = new ConcurrentHashMap<>();
  private final AtomicLong packageSeq = new AtomicLong();
  private final HttpClient fetcher =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  Arm(
      AzureEmulatorOptions options,
      Map<String, FunctionApp> apps,
      FunctionApp.Host host,
      Path workDir,
      Supplier<URI> endpoint) {
    this.options = options;
    this.apps = apps;
    this.host = host;
    this.workDir = workDir;
    this.endpoint = endpoint;
  }

  /** Whether {@code authorization} is {@code Bearer} and a token this emulator issued. */
  boolean bearerValid(@Nullable String authorization) {
    return authorization != null
        && authorization.startsWith("Bearer ")
        && tokens.contains(authorization.substring(7));
  }

  static String key(String resourceGroup, String name) {
    return resourceGroup.toLowerCase(Locale.ROOT) + "/" + name.toLowerCase(Locale.ROOT);
  }

  void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    try {
      if (path.endsWith("/oauth2/v2.0/token") && method.equals("POST")) {
        token(ex);
      } else if (path.endsWith("/v2.0/.well-known/openid-configuration")) {
        openIdConfiguration(ex, path.substring(1, path.indexOf('/', 1)));
      } else if (path.equals("/common/discovery/instance")) {
        instanceDiscovery(ex);
      } else {
        Matcher st = STORAGE.matcher(path);
        if (st.matches()) {
          authenticate(ex, st.group(1));
          storageAccount(ex, method, st.group(2), st.group(3), st.group(4) != null);
          return;
        }
        Matcher pl = PLAN.matcher(path);
        if (pl.matches()) {
          authenticate(ex, pl.group(1));
          plan(ex, method, pl.group(2), pl.group(3));
          return;
        }
        Matcher all = SITES.matcher(path);
        if (all.matches() && method.equals("GET")) {
          authenticate(ex, all.group(1));
          ObjectNode list = Exchanges.JSON.createObjectNode();
          var value = list.putArray("value");
          for (FunctionApp app : apps.values()) {
            if (app.resourceGroup.equalsIgnoreCase(all.group(2))) {
              value.add(siteJson(app));
            }
          }
          Exchanges.json(ex, 200, list);
          return;
        }
        Matcher m = SITE.matcher(path);
        if (!m.matches()) {
          log.warn("unemulated call {} {}", method, ex.getRequestURI());
          throw new ArmError(
              404, "InvalidResourceType", "The resource type could not be found: " + path);
        }
        authenticate(ex, m.group(1));
        site(ex, method, m.group(2), m.group(3), m.group(4) == null ? "" : m.group(4));
      }
    } catch (ArmError e) {
      Exchanges.error(ex, e);
    } catch (IOException | RuntimeException e) {
      log.warn("{} {} failed", method, path, e);
      Exchanges.error(ex, new ArmError(500, "InternalServerError", "Internal server error."));
    }
  }

  /**
   * A resource path of a subscription's resource group (groups 1 and 2), then {@code
   * providers/<provider path>}, case-insensitive as ARM's.
   */
  private static Pattern resource(String providerPath) {
    return Pattern.compile(
        "/subscriptions/([^/]+)/resourcegroups/([^/]+)/providers/" + providerPath,
        Pattern.CASE_INSENSITIVE);
  }

  /** The ARM id of resource {@code name} of type {@code type} in {@code group}. */
  private String resourceId(String group, String type, String name) {
    return "/subscriptions/"
        + options.subscriptionId()
        + "/resourceGroups/"
        + group
        + "/providers/"
        + type
        + "/"
        + name;
  }

  // --- Microsoft Entra ---

  /** Why Entra refuses a token request: {@code AADSTS<code>: <description>}. */
  private record TokenRefusal(int status, String error, int code, String description) {}

  private @Nullable TokenRefusal refusal(String tenant, Map<String, String> form) {
    if (!tenant.equalsIgnoreCase(options.tenantId())) {
      String why =
          "Tenant '" + tenant + "' not found. Check to make sure you have the correct tenant ID.";
      return new TokenRefusal(400, "invalid_request", 90002, why);
    }
    if (!options.clientId().equals(form.get("client_id"))) {
      String why =
          "Application with identifier '"
              + form.get("client_id")
              + "' was not found in the directory.";
      return new TokenRefusal(400, "unauthorized_client", 700016, why);
    }
    if (!options.clientSecret().equals(form.get("client_secret"))) {
      String why =
          "Invalid client secret provided. Ensure the secret being sent in the request is the"
              + " client secret value, not the client secret ID.";
      return new TokenRefusal(401, "invalid_client", 7000215, why);
    }
    return null;
  }

  private void token(HttpExchange ex) throws IOException {
    Map<String, String> form = form(Exchanges.utf8(Exchanges.body(ex, 64 * 1024)));
    String tenant = ex.getRequestURI().getPath().split("/")[1];
    TokenRefusal refusal = refusal(tenant, form);
    if (refusal != null) {
      ObjectNode answer = Exchanges.JSON.createObjectNode();
      answer.put("error", refusal.error());
      answer.put("error_description", "AADSTS" + refusal.code() + ": " + refusal.description());
      answer.putArray("error_codes").add(refusal.code());
      Exchanges.json(ex, refusal.status(), answer);
      return;
    }
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    tokens.add(token);
    ObjectNode answer = Exchanges.JSON.createObjectNode();
    answer.put("token_type", "Bearer");
    answer.put("expires_in", 3599);
    answer.put("ext_expires_in", 3599);
    answer.put("access_token", token);
    Exchanges.json(ex, 200, answer);
  }

  private void openIdConfiguration(HttpExchange ex, String tenant) throws IOException {
    String base = endpoint.get() + "/" + tenant;
    ObjectNode c = Exchanges.JSON.createObjectNode();
    c.put("token_endpoint", base + "/oauth2/v2.0/token");
    c.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
    c.put("issuer", base + "/v2.0");
    c.put("device_authorization_endpoint", base + "/oauth2/v2.0/devicecode");
    c.put("end_session_endpoint", base + "/oauth2/v2.0/logout");
    c.put("jwks_uri", base + "/discovery/v2.0/keys");
    c.put("tenant_region_scope", "WW");
    Exchanges.json(ex, 200, c);
  }

  private void instanceDiscovery(HttpExchange ex) throws IOException {
    String authority = endpoint.get().getAuthority();
    ObjectNode c = Exchanges.JSON.createObjectNode();
    c.put(
        "tenant_discovery_endpoint",
        endpoint.get() + "/" + options.tenantId() + "/v2.0/.well-known/openid-configuration");
    c.put("api-version", "1.1");
    ObjectNode meta = c.putArray("metadata").addObject();
    meta.put("preferred_network", authority);
    meta.put("preferred_cache", authority);
    meta.putArray("aliases").add(authority);
    Exchanges.json(ex, 200, c);
  }

  private void authenticate(HttpExchange ex, String subscription) throws ArmError {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      throw new ArmError(
          401,
          "AuthenticationFailed",
          "Authentication failed. The 'Authorization' header is missing.");
    }
    if (!tokens.contains(auth.substring(7))) {
      throw new ArmError(401, "InvalidAuthenticationToken", "The access token is invalid.");
    }
    if (!subscription.equalsIgnoreCase(options.subscriptionId())) {
      throw new ArmError(
          404,
          "SubscriptionNotFound",
          "The subscription '" + subscription + "' could not be found.");
    }
  }

  // --- Microsoft.Storage/storageAccounts (read-only: Azurite's account) ---

  private void storageAccount(
      HttpExchange ex, String method, String group, String name, boolean listKeys)
      throws IOException {
    AzureEmulatorOptions.StorageAccount account =
        options.storageAccounts().get(name.toLowerCase(Locale.ROOT));
    if (account == null) {
      throw ArmError.notFound("Microsoft.Storage/storageAccounts", name, group);
    }
    ObjectNode body = Exchanges.JSON.createObjectNode();
    if (listKeys && method.equals("POST")) {
      ObjectNode key = body.putArray("keys").addObject();
      key.put("keyName", "key1");
      key.put("value", account.key());
      key.put("permissions", "FULL");
    } else if (!listKeys && method.equals("GET")) {
      body.put("id", resourceId(group, "Microsoft.Storage/storageAccounts", account.name()));
      body.put("name", account.name());
      body.put("type", "Microsoft.Storage/storageAccounts");
      body.put("kind", "StorageV2");
      body.put("location", "westeurope");
      body.putObject("sku").put("name", "Standard_LRS").put("tier", "Standard");
      ObjectNode props = body.putObject("properties");
      props.put("provisioningState", "Succeeded");
      String blob =
          account.blobEndpoint().endsWith("/")
              ? account.blobEndpoint()
              : account.blobEndpoint() + "/";
      props.putObject("primaryEndpoints").put("blob", blob);
    } else {
      throw methodNotAllowed(method);
    }
    Exchanges.json(ex, 200, body);
  }

  // --- Microsoft.Web/serverfarms (plans: stored, not enforced) ---

  private void plan(HttpExchange ex, String method, String group, String name) throws IOException {
    String k = key(group, name);
    switch (method) {
      case "PUT" -> {
        ObjectNode body = ((ObjectNode) Exchanges.json(ex)).deepCopy();
        FlexRules.checkPlan(body);
        body.put("id", resourceId(group, "Microsoft.Web/serverfarms", name));
        body.put("name", name);
        body.put("type", "Microsoft.Web/serverfarms");
        ObjectNode props =
            body.path("properties").isObject()
                ? (ObjectNode) body.get("properties")
                : body.putObject("properties");
        props.put("provisioningState", "Succeeded");
        props.put("status", "Ready");
        plans.put(k, body);
        Exchanges.json(ex, 200, body);
      }
      case "GET" -> {
        ObjectNode plan = plans.get(k);
        if (plan == null) {
          throw ArmError.notFound("Microsoft.Web/serverFarms", name, group);
        }
        Exchanges.json(ex, 200, plan);
      }
      case "DELETE" ->
          Exchanges.send(ex, plans.remove(k) == null ? 204 : 200, Map.of(), new byte[0]);
      default -> throw methodNotAllowed(method);
    }
  }

  // --- Microsoft.Web/sites ---

  private void site(HttpExchange ex, String method, String group, String name, String rest)
      throws IOException {
    String k = key(group, name);
    String op = method + " " + rest.toLowerCase(Locale.ROOT);
    if (rest.isEmpty()) {
      switch (method) {
        case "PUT" -> put(ex, group, name);
        case "GET" -> Exchanges.json(ex, 200, siteJson(existing(group, name)));
        case "DELETE" -> {
          FunctionApp app = apps.remove(k);
          if (app == null) {
            Exchanges.send(ex, 204, Map.of(), new byte[0]);
          } else {
            app.delete();
            Exchanges.send(ex, 200, Map.of(), new byte[0]);
          }
        }
        default -> throw methodNotAllowed(method);
      }
      return;
    }
    FunctionApp app = existing(group, name);
    if (op.equals("PUT /config/appsettings")) {
      updateSettings(ex, app);
    } else if (op.equals("POST /config/appsettings/list")) {
      Exchanges.json(ex, 200, settingsJson(app));
    } else if (op.startsWith("POST /functions/") && op.endsWith("/listkeys")) {
      String fn = rest.substring("/functions/".length(), rest.length() - "/listkeys".length());
      if (app.pkg()
          .map(p -> !p.functions().containsKey(fn.toLowerCase(Locale.ROOT)))
          .orElse(true)) {
        throw new ArmError(
            404, "NotFound", "Error retrieving function keys: function '" + fn + "' not found.");
      }
      ObjectNode keys = Exchanges.JSON.createObjectNode();
      keys.put("id", app.id + "/functions/" + fn);
      keys.put("name", fn);
      keys.putObject("properties").put("default", app.functionKey(fn));
      Exchanges.json(ex, 200, keys);
    } else if (op.equals("POST /host/default/listkeys")) {
      ObjectNode keys = Exchanges.JSON.createObjectNode();
      keys.put("masterKey", app.hostKey());
      keys.putObject("functionKeys").put("default", app.hostKey());
      Exchanges.json(ex, 200, keys);
    } else {
      log.warn("unemulated call {} {}", method, ex.getRequestURI());
      throw new ArmError(404, "NotFound", "No route for " + method + " " + rest);
    }
  }

  private FunctionApp existing(String group, String name) throws ArmError {
    FunctionApp app = apps.get(key(group, name));
    if (app == null) {
      throw ArmError.notFound("Microsoft.Web/sites", name, group);
    }
    return app;
  }

  private void put(HttpExchange ex, String group, String name) throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new ArmError(
          400,
          "InvalidResourceName",
          "The site name '" + name + "' is invalid: 2 to 60 letters, digits or hyphens.");
    }
    JsonNode body = Exchanges.json(ex);
    if (!body.path("location").isString() || body.path("location").asString().isBlank()) {
      throw new ArmError(400, "LocationRequired", "The location property is required.");
    }
    boolean flex = FlexRules.flexPlan(planOf(body));
    FlexRules.checkSite(body, flex);
    String id = resourceId(group, "Microsoft.Web/sites", name);
    ObjectNode resource = ((ObjectNode) body).deepCopy();
    FunctionApp app = apps.get(key(group, name));
    if (app == null) {
      app = new FunctionApp(id, name, group, resource, host);
      FunctionApp raced = apps.putIfAbsent(key(group, name), app);
      if (raced != null) {
        app.delete();
        app = raced;
      }
    }
    app.resource(resource);
    app.flex(flex);
    Exchanges.json(ex, 200, siteJson(app));
  }

  /** The stored plan a site's {@code serverFarmId} names, if any. */
  private @Nullable ObjectNode planOf(JsonNode site) {
    String[] id = site.path("properties").path("serverFarmId").asString("").split("/");
    // /subscriptions/<s>/resourceGroups/<g>/providers/Microsoft.Web/serverfarms/<name>
    return id.length == 9 ? plans.get(key(id[4], id[8])) : null;
  }

  private ObjectNode siteJson(FunctionApp app) {
    ObjectNode site = Exchanges.JSON.createObjectNode();
    ObjectNode stored = app.resource();
    site.put("id", app.id);
    site.put("name", app.name);
    site.put("type", "Microsoft.Web/sites");
    site.put("kind", stored.path("kind").asString("functionapp"));
    site.put("location", stored.path("location").asString());
    site.set("tags", stored.path("tags").isObject() ? stored.get("tags") : site.objectNode());
    ObjectNode props =
        stored.path("properties").isObject()
            ? ((ObjectNode) stored.get("properties")).deepCopy()
            : site.objectNode();
    props.put("state", "Running");
    props.put("defaultHostName", app.defaultHostName());
    props.putArray("hostNames").add(app.defaultHostName());
    props.putArray("enabledHostNames").add(app.defaultHostName()).add(app.scmHostName());
    var ssl = props.putArray("hostNameSslStates");
    ssl.addObject().put("name", app.defaultHostName()).put("hostType", "Standard");
    ssl.addObject().put("name", app.scmHostName()).put("hostType", "Repository");
    props.put("sku", app.flex() ? "FlexConsumption" : "Dynamic");
    props.put("resourceGroup", app.resourceGroup);
    props.put("provisioningState", "Succeeded");
    props.put("usageState", "Normal");
    props.put("availabilityState", "Normal");
    props.put("lastModifiedTimeUtc", Instant.now().toString());
    props.remove("siteConfig"); // Azure returns siteConfig only from config/web
    site.set("properties", props);
    return site;
  }

  private ObjectNode settingsJson(FunctionApp app) {
    ObjectNode s = Exchanges.JSON.createObjectNode();
    s.put("id", app.id + "/config/appsettings");
    s.put("name", "appsettings");
    s.put("type", "Microsoft.Web/sites/config");
    ObjectNode props = s.putObject("properties");
    app.settings().forEach(props::put);
    return s;
  }

  private void updateSettings(HttpExchange ex, FunctionApp app) throws IOException {
    JsonNode body = Exchanges.json(ex);
    Map<String, String> settings = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : body.path("properties").properties()) {
      settings.put(e.getKey(), e.getValue().asString(""));
    }
    if (app.flex()) {
      FlexRules.checkSettings(settings);
    }
    String before = app.settings().get(RUN_FROM_PACKAGE);
    String after = settings.get(RUN_FROM_PACKAGE);
    if (after != null && !after.equals(before) && after.startsWith("http")) {
      mount(app, after);
    }
    app.settings(settings);
    Exchanges.json(ex, 200, settingsJson(app));
  }

  /** Downloads and extracts a run-from-package URL; a failure leaves the host not running. */
  private void mount(FunctionApp app, String url) {
    Path dir = workDir.resolve("packages").resolve(app.name + "-" + packageSeq.incrementAndGet());
    try {
      HttpResponse<InputStream> r =
          fetcher.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2)).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        if (r.statusCode() != 200) {
          app.deployFailed("fetching the package answered " + r.statusCode());
          return;
        }
        long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (length > MAX_PACKAGE) {
          app.deployFailed("package larger than " + MAX_PACKAGE + " bytes");
          return;
        }
        app.deployed(AppPackage.extract(in, dir));
        log.debug("function app {} runs its package", app.name);
      }
    } catch (IOException | IllegalArgumentException e) {
      app.deployFailed("cannot mount the package: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      app.deployFailed("interrupted while fetching the package");
    }
  }

  private static ArmError methodNotAllowed(String method) {
    return new ArmError(405, "MethodNotAllowed", "The method " + method + " is not allowed.");
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }
}
