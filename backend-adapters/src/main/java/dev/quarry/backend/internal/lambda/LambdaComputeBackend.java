package dev.quarry.backend.internal.lambda;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.internal.EnvelopeGrants;
import dev.quarry.backend.lambda.LambdaBackend;
import dev.quarry.backend.lambda.LambdaBackendOptions;
import dev.quarry.backend.lambda.LambdaRuntimes;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.PlatformReport;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.worker.lambda.LambdaPayloads;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

/** RequestResponse invokes of the worker function, deploying it first when it is missing. */
public final class LambdaComputeBackend implements LambdaBackend {
  private static final Logger log = LoggerFactory.getLogger(LambdaComputeBackend.class);
  private static final Duration MAX_LAMBDA_TIME = Duration.ofMinutes(15);

  private final LambdaBackendOptions options;
  private final LambdaAsyncClient client;
  private final LambdaRuntimeManager runtimes;
  private final ExecutorService deployer = Executors.newVirtualThreadPerTaskExecutor();
  private final String function;
  private final Object deployLock = new Object();
  private CompletableFuture<String> deployed;
  private volatile boolean closed;
  private final EnvelopeGrants grants;

  private LambdaComputeBackend(LambdaBackendOptions options, LambdaAsyncClient client) {
    this.options = options;
    this.client = client;
    this.runtimes = new LambdaRuntimeManager(client, options.workerPackage());
    this.function = options.functionName();
    this.grants =
        new EnvelopeGrants(
            "the Lambda backend",
            options.store(),
            options.grantGrace(),
            options.storageTokens(),
            MAX_LAMBDA_TIME);
    this.deployed = new CompletableFuture<>();
    this.deployed.completeExceptionally(new IllegalStateException("not deployed yet"));
  }

  public static LambdaComputeBackend create(LambdaBackendOptions options) {
    return new LambdaComputeBackend(options, LambdaClients.create(options));
  }

  @Override
  public String type() {
    return "lambda";
  }

  @Override
  public int capacity() {
    return options.concurrency();
  }

  @Override
  public LambdaRuntimes runtimes() {
    return runtimes;
  }

  @Override
  public CompletableFuture<InvocationSummary> invoke(TaskEnvelope envelope) {
    try {
      envelope = grants.prepare(envelope, closed);
    } catch (BackendException e) {
      return CompletableFuture.failedFuture(e);
    }
    InvokeRequest request =
        InvokeRequest.builder()
            .functionName(function)
            .invocationType(InvocationType.REQUEST_RESPONSE)
            .logType(LogType.TAIL)
            .payload(SdkBytes.fromByteArrayUnsafe(LambdaPayloads.encodeRequest(envelope)))
            .build();
    CompletableFuture<InvocationSummary> invoked =
        ensureDeployed()
            .thenCompose(name -> client.invoke(request))
            .handle(
                (response, error) -> {
                  if (error != null) {
                    throw LambdaErrors.classify(error, "invoke " + function);
                  }
                  return summary(response);
                });
    return grants.revokedAfter(invoked, envelope, deployer);
  }

  private InvocationSummary summary(InvokeResponse response) {
    byte[] payload =
        response.payload() == null ? new byte[0] : response.payload().asByteArrayUnsafe();
    if (response.functionError() != null) {
      throw FunctionErrors.of(function, response.functionError(), payload);
    }
    InvocationSummary summary;
    try {
      summary = LambdaPayloads.decodeResponse(payload);
    } catch (IllegalArgumentException e) {
      throw new BackendException(
          Kind.CRASH,
          "function " + function + " answered an unreadable response: " + e.getMessage(),
          e);
    }
    PlatformReport report = InvocationReports.parse(response.logResult());
    return summary.toBuilder().setPlatform(report).build();
  }

  /**
   * Deploys the function once (off the caller's thread: waiters block); a failed deploy is retried
   * by the next invocation.
   */
  private CompletableFuture<String> ensureDeployed() {
    synchronized (deployLock) {
      if (deployed.isDone() && !deployed.isCompletedExceptionally()) {
        return deployed;
      }
      if (!deployed.isDone()) {
        return deployed;
      }
      CompletableFuture<String> next = new CompletableFuture<>();
      deployed = next;
      deployer.execute(
          () -> {
            try {
              var runtime = runtimes.deploy(options.runtime());
              log.info("Lambda function {} is ready ({})", runtime.name(), runtime.change());
              next.complete(runtime.name());
            } catch (RuntimeException e) {
              log.warn("Deploying Lambda function {} failed: {}", function, e.getMessage());
              next.completeExceptionally(LambdaErrors.classify(e, "deploy " + function));
            }
          });
      return next;
    }
  }

  @Override
  public void close() {
    closed = true;
    deployer.shutdownNow();
    client.close();
  }
}
