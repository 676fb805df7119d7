package dev.quarry.azure.emulator.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * An app's SCM (Kudu) host: {@code POST /api/publish?RemoteBuild=false}, the one deploy of Flex
 * Consumption apps. The caller holds a Microsoft Entra token for Resource Manager; the app must be
 * on Flex Consumption, its {@code functionAppConfig}'s deployment storage must be reachable (the
 * connection string app setting it names is set); the zip is then the app's package and its
 * instances restart on it. Answers 200 once deployed (synchronous, as without {@code isAsync}), 400
 * for a package the host cannot run, 401 without a valid token.
 */
final class OneDeploy {

  private static final Logger log = LoggerFactory.getLogger(OneDeploy.class);

  private final Arm arm;
  private final Path workDir;
  private final AtomicLong seq = new AtomicLong();

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
    if (query.toLowerCase(java.util.Locale.ROOT).contains("remotebuild=true")) {
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
    app.deployed(pkg);
    log.debug("function app {} deployed by one deploy", app.name);
    Exchanges.send(ex, 200, Map.of(), new byte[0]);
  }
}
