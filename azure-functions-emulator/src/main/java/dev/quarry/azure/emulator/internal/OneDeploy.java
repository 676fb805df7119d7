package dev.quarry.azure.emulator.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An app's SCM (Kudu) host: {@code POST /api/publish?RemoteBuild=false}, the one deploy of Flex
 * Consumption apps. The caller holds a Microsoft Entra token for Resource Manager; the app must be
 * on Flex Consumption, its {@code functionAppConfig}'s deployment storage must be reachable (the
 * connection string app setting it names is set); the zip is then the app's package and its
 * instances restart on it. Answers 200 once deployed (synchronous, as without {@code isAsync}), 400
 * for a package the host cannot run, 401 without a valid token. With {@code isAsync=true} it
 * answers 202 at once with the deployment's status URL in {@code Location}; {@code GET
 * /api/deployments/<id>} (or {@code latest}) then answers 202 with {@code "status": 1} (building)
 * and {@code "complete": false} until the instances run on the package, and 200 with status 4
 * (success) or 3 (failed, with {@code status_text}).
 */
final class OneDeploy {

  private static final Logger log = LoggerFactory.getLogger(OneDeploy.class);

  private final Arm arm;
  private final Path workDir;
  private final AtomicLong seq = new AtomicLong();
  private final Map<String, Status> statuses = new ConcurrentHashMap<>();

  private static final String DEPLOYMENTS = "/api/deployments/";

  OneDeploy(Arm arm, Path workDir) {
    this.arm = arm;
    this.workDir = workDir;
  }

  void handle(FunctionApp app, HttpExchange ex) throws IOException {
    try {
      publish(app, ex);
    } catch (ArmError e) {
      Exchanges.send(
          ex,
          e.status(),
          Map.of("Content-Type", "text/plain; charset=utf-8"),
          e.getMessage().getBytes(StandardCharsets.UTF_8));
    }
  }

  private void publish(FunctionApp app, HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (!app.deleted() && path.toLowerCase(Locale.ROOT).startsWith(DEPLOYMENTS)) {
      status(app, ex, path.substring(DEPLOYMENTS.length()));
      return;
    }
    if (app.deleted() || !path.equalsIgnoreCase("/api/publish")) {
      throw new ArmError(404, "NotFound", "Not found: " + path);
    }
    if (!ex.getRequestMethod().equals("POST")) {
      throw new ArmError(405, "MethodNotAllowed", "The method is not allowed.");
    }
    if (!arm.bearerValid(ex.getRequestHeaders().getFirst("Authorization"))) {
      throw new ArmError(401, "Unauthorized", "Unauthorized: a valid bearer token is required.");
    }
    String query = ex.getRequestURI().getQuery() == null ? "" : ex.getRequestURI().getQuery();
    if (query.toLowerCase(Locale.ROOT).contains("remotebuild=true")) {
      throw new ArmError(400, "BadRequest", "Remote build is not emulated: send a built package.");
    }
    if (!app.flex()) {
      throw new ArmError(
          400,
          "BadRequest",
          "One deploy is emulated for Flex Consumption apps only; Consumption apps run from"
              + " WEBSITE_RUN_FROM_PACKAGE.");
    }
    JsonNode storage =
        app.resource()
            .path("properties")
            .path("functionAppConfig")
            .path("deployment")
            .path("storage");
    String setting =
        storage.path("authentication").path("storageAccountConnectionStringName").asString("");
    if (!setting.isEmpty() && !app.settings().containsKey(setting)) {
      throw new ArmError(
          400,
          "BadRequest",
          "BlobUploadFailedException: the app setting "
              + setting
              + " named by functionAppConfig.deployment.storage is not set.");
    }
    Path dir = workDir.resolve("packages").resolve(app.name + "-flex-" + seq.incrementAndGet());
    AppPackage pkg;
    try (InputStream in = ex.getRequestBody()) {
      pkg = AppPackage.extract(in, dir);
    } catch (ArmError e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      throw new ArmError(400, "BadRequest", "Deployment failed: " + e.getMessage());
    }
    if (!query.toLowerCase(Locale.ROOT).contains("isasync=true")) {
      app.deployed(pkg);
      log.debug("function app {} deployed by one deploy", app.name);
      Exchanges.send(ex, 200, Map.of(), new byte[0]);
      return;
    }
    String id = UUID.randomUUID().toString();
    Status building = new Status(id, 1, false, "");
    statuses.put(app.name + "/" + id, building);
    statuses.put(app.name + "/latest", building);
    Thread.ofVirtual()
        .name("one-deploy-" + app.name)
        .start(
            () -> {
              Status done;
              try {
                app.deployed(pkg);
                done = new Status(id, 4, true, "");
              } catch (RuntimeException e) {
                done = new Status(id, 3, true, "Deployment failed: " + e.getMessage());
              }
              statuses.put(app.name + "/" + id, done);
              statuses.replace(app.name + "/latest", building, done);
              log.debug("function app {} one deploy {} ended: {}", app.name, id, done.status());
            });
    String host = ex.getRequestHeaders().getFirst("Host");
    Exchanges.send(ex, 202, Map.of("Location", "https://" + host + DEPLOYMENTS + id), new byte[0]);
  }

  /** {@code GET /api/deployments/<id>}: a deployment's state, 202 while it runs. */
  private void status(FunctionApp app, HttpExchange ex, String id) throws IOException {
    if (!ex.getRequestMethod().equals("GET")) {
      throw new ArmError(405, "MethodNotAllowed", "The method is not allowed.");
    }
    if (!arm.bearerValid(ex.getRequestHeaders().getFirst("Authorization"))) {
      throw new ArmError(401, "Unauthorized", "Unauthorized: a valid bearer token is required.");
    }
    Status s = statuses.get(app.name + "/" + id);
    if (s == null) {
      throw new ArmError(404, "NotFound", "No deployment " + id);
    }
    ObjectNode body = Exchanges.JSON.createObjectNode();
    body.put("id", s.id());
    body.put("status", s.status());
    body.put("status_text", s.text());
    body.put("complete", s.complete());
    Exchanges.json(ex, s.complete() ? 200 : 202, body);
  }

  private record Status(String id, int status, boolean complete, String text) {}
}
