package dev.quarry.worker.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.quarry.proto.v1.InvocationSummary;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.worker.TaskRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS Lambda handler ({@code dev.quarry.worker.lambda.LambdaHandler::handleRequest}): reads a
 * {@link LambdaPayloads request}, runs its envelope with {@link TaskRunner#run} and answers the
 * {@link LambdaPayloads response} carrying the summary.
 *
 * <p>Task and invocation failures are reported in the summary, as {@link TaskRunner} does; only a
 * request that cannot be decoded fails the invocation (Lambda reports an {@code Unhandled} function
 * error), since retrying it cannot help.
 *
 * <p>All instances share one {@link TaskRunner} per JVM, so warm invocations reuse loaded functions
 * and opened stores. Its worker id is {@code lambda-} followed by the execution environment's log
 * stream name ({@code AWS_LAMBDA_LOG_STREAM_NAME}), or a random suffix outside Lambda. Function
 * jars are cached under {@value #LAMBDA_JAR_CACHE_DIR} (only {@code /tmp} is writable on Lambda)
 * unless the {@value TaskRunner#CACHE_DIR_PROPERTY} system property names another directory.
 * Storage uses the envelope's settings; an {@code s3} store without static credentials in them gets
 * the SDK default credentials chain, which on Lambda is the execution role.
 */
public final class LambdaHandler implements RequestStreamHandler {
  /** Function jar cache directory used unless {@value TaskRunner#CACHE_DIR_PROPERTY} is set. */
  public static final String LAMBDA_JAR_CACHE_DIR = "/tmp/quarry-worker/jars";

  private static final Logger log = LoggerFactory.getLogger(LambdaHandler.class);

  /** Holds the runner shared by every handler, created on first use. */
  private static final class Shared {
    static final TaskRunner RUNNER =
        new TaskRunner(workerId(System.getenv()), jarCacheDir(), Clock.systemUTC());
  }

  private final TaskRunner runner;

  /** The handler Lambda instantiates; uses the JVM's shared runner. */
  public LambdaHandler() {
    this(Shared.RUNNER);
  }

  LambdaHandler(TaskRunner runner) {
    this.runner = runner;
  }

  /**
   * Runs the envelope of the request read from {@code input} and writes the response to {@code
   * output}.
   *
   * @throws IllegalArgumentException if the request is not a valid {@link LambdaPayloads} request
   * @throws IOException if reading the request or writing the response fails
   */
  @Override
  public void handleRequest(InputStream input, OutputStream output, @Nullable Context context)
      throws IOException {
    TaskEnvelope envelope = LambdaPayloads.decodeRequest(input.readAllBytes());
    InvocationSummary summary = runner.run(envelope);
    output.write(LambdaPayloads.encodeResponse(summary));
    output.flush();
    if (log.isDebugEnabled()) {
      log.debug(
          "Lambda request {}: invocation {} ran {} of {} tasks in {} ms, invocation error: {}",
          context == null ? "-" : context.getAwsRequestId(),
          summary.getInvocationId(),
          summary.getOutcomesCount(),
          envelope.getTasksCount(),
          summary.getEndMs() - summary.getStartMs(),
          summary.hasInvocationError() ? summary.getInvocationError().getType() : "none");
    }
  }

  static String workerId(Map<String, String> env) {
    String stream = env.get("AWS_LAMBDA_LOG_STREAM_NAME");
    return "lambda-" + (stream == null || stream.isBlank() ? UUID.randomUUID() : stream);
  }

  static Path jarCacheDir() {
    String configured = System.getProperty(TaskRunner.CACHE_DIR_PROPERTY);
    return Path.of(configured == null || configured.isBlank() ? LAMBDA_JAR_CACHE_DIR : configured);
  }
}
