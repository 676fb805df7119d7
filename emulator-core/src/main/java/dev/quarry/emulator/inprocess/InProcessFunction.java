package dev.quarry.emulator.inprocess;

/**
 * A function body that runs inside the emulator's JVM: bytes in, bytes out. Everything else about
 * an invocation (authentication, throttling, fault injection, cold/warm accounting, timeouts) stays
 * the emulator's.
 *
 * <pre>{@code
 * emulator.registerInProcess("bench.Echo.run", (payload, invocationId) -> payload);
 * }</pre>
 *
 * <p>Implementations are called concurrently, from up to the emulator's per-function instance limit
 * of threads, and must be thread-safe.
 */
@FunctionalInterface
public interface InProcessFunction {

  /**
   * Handles one invocation.
   *
   * @param payload the request body as sent by the caller
   * @param invocationId the emulator's id of this invocation
   * @return the response body
   * @throws Exception reported as the cloud reports a function that threw
   */
  byte[] handle(byte[] payload, String invocationId) throws Exception;
}
