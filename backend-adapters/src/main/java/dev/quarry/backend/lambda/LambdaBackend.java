package dev.quarry.backend.lambda;

import dev.quarry.backend.ComputeBackend;

/**
 * A {@link ComputeBackend} on AWS Lambda. The first invocation deploys the worker function for its
 * {@link RuntimeSpec} if needed; each invocation is a RequestResponse invoke whose response carries
 * the worker's summary, enriched with Lambda's report (cold start, duration, billed duration,
 * memory).
 */
public interface LambdaBackend extends ComputeBackend {

  /** Deployments in this backend's account and region. */
  LambdaRuntimes runtimes();
}
