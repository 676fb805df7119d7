package dev.quarry.backend.lambda;

import dev.quarry.backend.internal.lambda.LambdaComputeBackend;

/** Creates {@link LambdaBackend}s. */
public final class LambdaBackends {
  private LambdaBackends() {}

  /**
   * A backend invoking {@link LambdaBackendOptions#functionName()} with at most {@link
   * LambdaBackendOptions#concurrency()} invocations in flight. Creating it calls no AWS API; the
   * first invocation deploys the function when it is missing.
   */
  public static LambdaBackend create(LambdaBackendOptions options) {
    return LambdaComputeBackend.create(options);
  }
}
