package dev.quarry.backend.azure;

import dev.quarry.backend.ComputeBackend;
import dev.quarry.backend.internal.azure.AzureComputeBackend;

/**
 * Runs invocations on Azure Functions: the envelope is POSTed (Lambda's JSON request) to the worker
 * app's {@code quarry-worker} HTTP trigger with its function key; the app is deployed on first use.
 *
 * <pre>{@code
 * try (AzureFunctionsBackend backend = AzureFunctionsBackend.create(options)) {
 *   backend.runtimes().deploy();
 *   backend.invoke(envelope).join();
 * }
 * }</pre>
 */
public interface AzureFunctionsBackend extends ComputeBackend {

  /** The worker's deployments. */
  AzureFunctionsRuntimes runtimes();

  /** A backend with {@code options}; nothing is called until the first invocation or deploy. */
  static AzureFunctionsBackend create(AzureFunctionsOptions options) {
    return AzureComputeBackend.create(options);
  }
}
