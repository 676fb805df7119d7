package dev.quarry.lambda.emulator;

import dev.quarry.emulator.inprocess.InProcessFunction;

/**
 * A function body that runs inside the emulator's own JVM instead of a child JVM. Functions whose
 * {@code Handler} equals the name it was registered under (see {@link
 * LambdaEmulator#registerInProcess}) run here; everything else about an invocation (SigV4,
 * throttling, fault injection, cold/warm accounting, the Tail log) is unchanged.
 *
 * <pre>{@code
 * emu.registerInProcess("bench::echo", (payload, requestId) -> payload);
 * }</pre>
 *
 * <p>Implementations are called concurrently, from up to {@code maxInstancesPerFunction} threads
 * per function, and must be thread-safe.
 */
@FunctionalInterface
public interface InProcessHandler extends InProcessFunction {

  /**
   * Handles one invocation.
   *
   * @param payload the invocation payload as sent by the caller
   * @param requestId the Lambda request id of this invocation
   * @return the response payload (sent to the caller as is)
   * @throws Exception any exception becomes an {@code Unhandled} function error whose payload
   *     carries the exception's type and message, like the Java runtime reports it
   */
  @Override
  byte[] handle(byte[] payload, String requestId) throws Exception;
}
