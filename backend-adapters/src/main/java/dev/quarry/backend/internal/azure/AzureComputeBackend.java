package dev.quarry.backend.internal.azure;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.azure.AzureFunctionsBackend;
import dev.quarry.backend.azure.AzureFunctionsOptions;
import dev.quarry.backend.azure.AzureFunctionsRuntimes;
import dev.quarry.backend.internal.EnvelopeGrants;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.PlatformReport;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.worker.lambda.LambdaPayloads;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RequestResponse calls of the worker app's HTTP trigger with its function key, deploying it first
 * when it is missing or runs another build.
 */
public final class AzureComputeBackend implements AzureFunctionsBackend {

  private static final Logger log = LoggerFactory.getLogger(AzureComputeBackend.class);

  /** Time beyond the function's timeout for the answer to arrive. */
  private static final Duration ANSWER_GRACE = Duration.ofSeconds(15);

  private final AzureFunctionsOptions options;
  private final AzureClients clients;
  private final AzureRuntimeManager runtimes;
  private final ExecutorService deployer = Executors.newVirtualThreadPerTaskExecutor();
  private final Object deployLock = new Object();
  private CompletableFuture<AzureRuntimeManager.Deployed> deployed;
  private volatile boolean closed;
  private final EnvelopeGrants grants;

  private AzureComputeBackend(AzureFunctionsOptions options, AzureClients clients) {
    this.options = options;
    this.clients = clients;
    this.runtimes = new AzureRuntimeManager(options, clients);
    this.grants =
        new EnvelopeGrants(
            "the Azure Functions backend",
            options.store(),
            options.grantGrace(),
            options.storageTokens(),
            Duration.ofSeconds(AzureFunctionsOptions.MAX_HTTP_TRIGGER_SECONDS));
    this.deployed = CompletableFuture.failedFuture(new IllegalStateException("not deployed yet"));
  }

  public static AzureComputeBackend create(AzureFunctionsOptions options) {
    return new AzureComputeBackend(options, AzureClients.create(options));
  }

  @Override
  public String type() {
    return "azure-functions";
  }

  @Override
  public int capacity() {
    return options.concurrency();
  }

  @Override
  public AzureFunctionsRuntimes runtimes() {
    return runtimes;
  }

  @Override
  public CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope) {
    TaskEnvelope granted;
    try {
      granted = grants.prepare(envelope, closed);
    } catch (BackendException e) {
      return CompletableFuture.failedFuture(e);
    }
    byte[] body = LambdaPayloads.encodeRequest(granted);
    return grants.revokedAfter(
        ensureDeployed().thenCompose(app -> call(app, body)), granted, deployer);
  }

  private CompletableFuture<InvocationSummary> call(AzureRuntimeManager.Deployed app, byte[] body) {
    HttpRequest request =
        HttpRequest.newBuilder(app.trigger())
            .timeout(Duration.ofSeconds(options.timeoutSeconds()).plus(ANSWER_GRACE))
            .header("Content-Type", "application/json")
            .header("x-functions-key", app.key())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    long start = System.nanoTime();
    return clients
        .invoker()
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, error) -> {
              if (error != null) {
                throw AzureErrors.unanswered(error, app.name());
              }
              return summary(app, response, (System.nanoTime() - start) / 1e6);
            });
  }

  private InvocationSummary summary(
      AzureRuntimeManager.Deployed app, HttpResponse<byte[]> response, double millis) {
    if (response.statusCode() != 200) {
      if (response.statusCode() == 401 || response.statusCode() == 404) {
        forgetDeployment(); // a recreated app has another key; the next call reads it again
      }
      throw AzureErrors.invoke(
          response.statusCode(), new String(response.body(), StandardCharsets.UTF_8), app.name());
    }
    InvocationSummary summary;
    try {
      summary = LambdaPayloads.decodeResponse(response.body());
    } catch (IllegalArgumentException e) {
      throw new BackendException(
          Kind.CRASH,
          "app " + app.name() + " answered an unreadable response: " + e.getMessage(),
          e);
    }
    PlatformReport report =
        PlatformReport.newBuilder()
            .setColdStart(summary.getColdStart())
            .setDurationMs(millis)
            .setBilledDurationMs((long) Math.ceil(millis))
            .setMemorySizeMb(options.memoryMb())
            .build();
    return summary.toBuilder().setPlatform(report).build();
  }

  private void forgetDeployment() {
    synchronized (deployLock) {
      if (deployed.isDone()) {
        deployed = CompletableFuture.failedFuture(new IllegalStateException("redeploy"));
      }
    }
  }

  /** Deploys once, off the caller's thread; a failed deploy is retried by the next invocation. */
  private CompletableFuture<AzureRuntimeManager.Deployed> ensureDeployed() {
    synchronized (deployLock) {
      if (!deployed.isDone() || !deployed.isCompletedExceptionally()) {
        return deployed;
      }
      CompletableFuture<AzureRuntimeManager.Deployed> next = new CompletableFuture<>();
      deployed = next;
      deployer.execute(
          () -> {
            try {
              AzureRuntimeManager.Ensured e = runtimes.ensure();
              log.info(
                  "Azure function app {} is ready ({})", e.deployed().name(), e.runtime().change());
              next.complete(e.deployed());
            } catch (RuntimeException e) {
              log.warn(
                  "Deploying Azure function app {} failed: {}", options.appName(), e.getMessage());
              next.completeExceptionally(AzureErrors.management(e, "deploy " + options.appName()));
            }
          });
      return next;
    }
  }

  @Override
  public void close() {
    closed = true;
    deployer.shutdownNow();
    clients.close();
  }
}
