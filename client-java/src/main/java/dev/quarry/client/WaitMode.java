package dev.quarry.client;

/** When {@link FunctionExecutor#waitFor} returns. */
public enum WaitMode {
  /** When every future is done (or the timeout elapses). */
  ALL_COMPLETED,
  /** When at least one future is done (or the timeout elapses). */
  ANY_COMPLETED,
  /** Immediately, with the current split between done and not-done futures. */
  ALWAYS
}
