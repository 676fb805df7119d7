package dev.quarry.backend.internal.azure;

import com.azure.core.credential.TokenRequestContext;
import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one deploy of a Flex Consumption app: {@code POST https://<scm
 * host>/api/publish?RemoteBuild=false&isAsync=true}, the zip as body, a Microsoft Entra token for
 * Resource Manager as bearer. Asked to deploy asynchronously, the SCM host answers 202 with the
 * deployment's status URL in {@code Location} (the deployment outlives a request the front end
 * would cut after 230 s), which is polled with backoff until the deployment reports success (status
 * 4) or failure (status 3); a host that deploys at once answers 200.
 */
final class OneDeployClient {

  /** How long a one deploy may take (upload, store, restart) before it counts as failed. */
  static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(5);

  /** The first pause between two status polls; each next one doubles, up to {@link #POLL_MAX}. */
  static final Duration POLL_FIRST = Duration.ofMillis(200);

  static final Duration POLL_MAX = Duration.ofSeconds(5);

  /** Deployment states of the SCM host's {@code /api/deployments} (Kudu's DeployStatus). */
  static final int FAILED = 3;

  static final int SUCCESS = 4;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final AzureClients clients;

  OneDeployClient(AzureClients clients) {
    this.clients = clients;
  }

  /** Deploys {@code zip} to the app {@code name} through {@code scmHost}; returns once it runs. */
  void deploy(String name, String scmHost, byte[] zip) {
    String token =
        clients
            .credential()
            .getTokenSync(new TokenRequestContext().addScopes(clients.managementScope()))
            .getToken();
    URI publish = URI.create("https://" + scmHost + "/api/publish?RemoteBuild=false&isAsync=true");
    HttpResponse<String> response =
        send(
            name,
            HttpRequest.newBuilder(publish)
                .timeout(DEPLOY_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zip))
                .build());
    if (response.statusCode() == 200) {
      return;
    }
    if (response.statusCode() != 202) {
      throw failure(name, response);
    }
    await(
        name, statusUri(name, scmHost, publish, response.headers().firstValue("Location")), token);
  }

  /**
   * The status URL of an accepted deployment: its {@code Location}, which must stay on the SCM host
   * over HTTPS (the bearer token goes with every poll), or the host's latest deployment.
   */
  static URI statusUri(String name, String scmHost, URI publish, Optional<String> location) {
    URI status =
        location
            .map(publish::resolve)
            .orElseGet(() -> URI.create("https://" + scmHost + "/api/deployments/latest"));
    URI scm = URI.create("https://" + scmHost + "/");
    if (!"https".equalsIgnoreCase(status.getScheme())
        || status.getHost() == null
        || !status.getHost().toLowerCase(Locale.ROOT).equals(scm.getHost().toLowerCase(Locale.ROOT))
        || httpsPort(status) != httpsPort(scm)) {
      throw new BackendException(
          Kind.PERMANENT,
          "one deploy to "
              + name
              + " was accepted with a status URL off its SCM host ("
              + status.getScheme()
              + "://"
              + status.getRawAuthority()
              + "): not followed");
    }
    return status;
  }

  private static int httpsPort(URI uri) {
    return uri.getPort() == -1 ? 443 : uri.getPort();
  }

  private void await(String name, URI status, String token) {
    long deadline = System.nanoTime() + DEPLOY_TIMEOUT.toNanos();
    Duration pause = POLL_FIRST;
    while (true) {
      HttpResponse<String> r =
          send(
              name,
              HttpRequest.newBuilder(status)
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + token)
                  .GET()
                  .build());
      if (r.statusCode() != 200 && r.statusCode() != 202) {
        throw failure(name, r);
      }
      JsonNode deployment;
      try {
        deployment = JSON.readTree(r.body());
      } catch (JacksonException e) {
        throw new BackendException(
            Kind.TRANSIENT, "one deploy to " + name + ": its status is not JSON", e);
      }
      int state = deployment.path("status").asInt(-1);
      if (state == SUCCESS) {
        return;
      }
      if (state == FAILED || deployment.path("complete").asBoolean(false)) {
        throw new BackendException(
            Kind.PERMANENT,
            "one deploy to "
                + name
                + " failed (status "
                + state
                + "): "
                + clip(deployment.path("status_text").asString("")));
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new BackendException(
            Kind.TRANSIENT,
            "one deploy to "
                + name
                + " did not finish within "
                + DEPLOY_TIMEOUT.toMinutes()
                + " min");
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackendException(Kind.TRANSIENT, "one deploy to " + name + " interrupted", e);
      }
      pause = pause.multipliedBy(2).compareTo(POLL_MAX) > 0 ? POLL_MAX : pause.multipliedBy(2);
    }
  }

  private HttpResponse<String> send(String name, HttpRequest request) {
    try {
      return clients.invoker().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new BackendException(Kind.TRANSIENT, "one deploy to " + name + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(Kind.TRANSIENT, "one deploy to " + name + " interrupted", e);
    }
  }

  private static BackendException failure(String name, HttpResponse<String> response) {
    String body = response.body();
    return new BackendException(
        AzureErrors.kindOf(response.statusCode(), false),
        "one deploy to "
            + name
            + " answered HTTP "
            + response.statusCode()
            + (body.isBlank() ? "" : ": " + clip(body)));
  }

  private static String clip(String text) {
    return text.length() > 300 ? text.substring(0, 300) : text;
  }
}
