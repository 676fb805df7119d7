package dev.quarry.lambda.emulator;

import dev.quarry.emulator.faults.Faults;
import dev.quarry.lambda.emulator.internal.Emulator;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A local AWS Lambda. It serves the Lambda REST API on {@code 127.0.0.1} (an ephemeral port) for
 * the real AWS SDK: {@code CreateFunction}, {@code GetFunction}, {@code GetFunctionConfiguration},
 * {@code UpdateFunctionCode}, {@code UpdateFunctionConfiguration}, {@code DeleteFunction}, {@code
 * ListFunctions} and {@code Invoke}, all SigV4-verified. Functions run in child JVMs with the real
 * AWS runtime interface client talking to a per-instance Runtime API (Linux only), or in-process
 * for handlers registered with {@link #registerInProcess}.
 *
 * <pre>{@code
 * try (LambdaEmulator emu = LambdaEmulator.start(
 *     EmulatorOptions.builder().credentials("AKIDEXAMPLE", "secret").build())) {
 *   LambdaClient lambda = LambdaClient.builder()
 *       .endpointOverride(emu.endpoint())
 *       .region(Region.US_EAST_1)
 *       .credentialsProvider(StaticCredentialsProvider.create(
 *           AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
 *       .build();
 *   lambda.createFunction(...);
 *   lambda.waiter().waitUntilFunctionActiveV2(r -> r.functionName("f"));
 *   lambda.invoke(r -> r.functionName("f").payload(SdkBytes.fromUtf8String("{}")));
 * }
 * }</pre>
 */
public interface LambdaEmulator extends AutoCloseable {

  /**
   * Starts an emulator.
   *
   * @throws java.io.UncheckedIOException if the server cannot bind or the work directory cannot be
   *     created
   */
  static LambdaEmulator start(EmulatorOptions options) {
    return Emulator.start(options);
  }

  /** {@code http://127.0.0.1:<port>}, for {@code endpointOverride}. */
  URI endpoint();

  /** Live fault injection for Invoke. */
  Faults faults();

  /**
   * Runs functions whose {@code Handler} equals {@code handler} in this JVM with {@code
   * implementation} instead of a child JVM. Register before the first invocation of such a
   * function; a later registration replaces the previous one for instances started afterwards.
   */
  void registerInProcess(String handler, InProcessHandler implementation);

  /** Counters since start. */
  EmulatorStats stats();

  /** Current function configurations, ordered by name. */
  List<FunctionInfo> functions();

  /** The function named {@code name}, if it exists. */
  Optional<FunctionInfo> function(String name);

  /**
   * Kills every child JVM, stops the servers and deletes the work directory. Invocations still
   * running end with an error. Idempotent.
   */
  @Override
  void close();
}
