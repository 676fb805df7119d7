package dev.quarry.worker.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.worker.TaskRunner;
import dev.quarry.worker.lambda.LambdaPayloads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The worker's Azure Functions entry point: an HTTP trigger ({@value #FUNCTION_NAME},
 * function-level key, POST only) whose body is the same JSON request as on Lambda ({@link
 * LambdaPayloads}); it runs the envelope with {@link TaskRunner#run} and answers the summary as
 * JSON. Task and invocation failures are reported in the summary; only an unreadable request is
 * refused (400), since retrying it cannot help.
 *
 * <p>All invocations of a JVM share one runner (so the summary's {@code cold_start} tells a cold
 * instance from a warm one, which Azure does not report); its worker id is {@code azure-} and the
 * instance's {@code WEBSITE_INSTANCE_ID} (or {@code CONTAINER_NAME}, else a random id). Function
 * jars are cached under the JVM's temporary directory unless {@value TaskRunner#CACHE_DIR_PROPERTY}
 * names another.
 */
public final class AzureFunctionsHandler {

  /** The function's name: its folder in the package and the {@code /api/} path. */
  public static final String FUNCTION_NAME = "quarry-worker";

  /** Holds the runner shared by every handler, created on first use. */
  private static final class Shared {
    static final TaskRunner RUNNER =
        new TaskRunner(workerId(System.getenv()), jarCacheDir(), Clock.systemUTC());
  }

  private final TaskRunner runner;

  /** The handler the Functions host instantiates; uses the JVM's shared runner. */
  public AzureFunctionsHandler() {
    this(Shared.RUNNER);
  }

  AzureFunctionsHandler(TaskRunner runner) {
    this.runner = runner;
  }

  /** Runs the envelope of the request body and answers its summary. */
  @FunctionName(FUNCTION_NAME)
  public HttpResponseMessage run(
      @HttpTrigger(
              name = "req",
              methods = {HttpMethod.POST},
              authLevel = AuthorizationLevel.FUNCTION,
              dataType = "binary")
          HttpRequestMessage<Optional<byte[]>> request,
      ExecutionContext context) {
    TaskEnvelope envelope;
    try {
      envelope = LambdaPayloads.decodeRequest(request.getBody().orElse(new byte[0]));
    } catch (IllegalArgumentException e) {
      return request
          .createResponseBuilder(HttpStatus.BAD_REQUEST)
          .header("Content-Type", "text/plain; charset=utf-8")
          .body(("unreadable request: " + e.getMessage()).getBytes(StandardCharsets.UTF_8))
          .build();
    }
    InvocationSummary summary = runner.run(envelope);
    context
        .getLogger()
        .fine(
            () ->
                "invocation "
                    + summary.getInvocationId()
                    + " ran "
                    + summary.getOutcomesCount()
                    + " of "
                    + envelope.getTasksCount()
                    + " tasks");
    return request
        .createResponseBuilder(HttpStatus.OK)
        .header("Content-Type", "application/json")
        .body(LambdaPayloads.encodeResponse(summary))
        .build();
  }

  static String workerId(Map<String, String> env) {
    String id = env.get("WEBSITE_INSTANCE_ID");
    if (id == null || id.isBlank()) {
      id = env.get("CONTAINER_NAME");
    }
    return "azure-" + (id == null || id.isBlank() ? UUID.randomUUID() : id);
  }

  static Path jarCacheDir() {
    String configured = System.getProperty(TaskRunner.CACHE_DIR_PROPERTY);
    return configured == null || configured.isBlank()
        ? Path.of(System.getProperty("java.io.tmpdir"), "quarry-worker", "jars")
        : Path.of(configured);
  }
}
