package dev.quarry.azure.emulator;

import dev.quarry.azure.emulator.internal.Emulator;
import dev.quarry.emulator.faults.Faults;
import dev.quarry.emulator.inprocess.InProcessFunction;
import dev.quarry.emulator.stats.InvocationStats;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A local Azure on one HTTPS port of 127.0.0.1 (plus one per function app, its host).
 *
 * <pre>{@code
 * try (AzureFunctionsEmulator azure = AzureFunctionsEmulator.start(AzureEmulatorOptions.builder().build())) {
 *   AzureProfile profile = new AzureProfile(tenant, subscription, azure.environment());
 *   // ClientSecretCredentialBuilder().authorityHost(azure.endpoint().toString()) ...
 *   // AppServiceManager.configure().withHttpClient(client trusting azure.sslContext()) ...
 * }
 * }</pre>
 */
public interface AzureFunctionsEmulator extends AutoCloseable {

  /**
   * Starts an emulator.
   *
   * @throws IOException if its certificate or server cannot be made
   */
  static AzureFunctionsEmulator start(AzureEmulatorOptions options) throws IOException {
    return Emulator.start(options);
  }

  /** {@code https://127.0.0.1:<port>}: the authority host and the resource manager endpoint. */
  URI endpoint();

  /** Trusts the emulator's self-signed certificate (and nothing else). */
  SSLContext sslContext();

  /**
   * The PKCS12 store with the certificate, password {@code emulator}, for clients that take one.
   */
  Path trustStore();

  AzureEmulatorOptions options();

  /** Fault injection on every function app's HTTP triggers. */
  Faults faults();

  /** Invocation counters since start. */
  InvocationStats stats();

  /**
   * Runs the functions whose {@code entryPoint} (in their {@code function.json}, e.g. {@code
   * dev.quarry.worker.azure.AzureFunctionsHandler.run}) is {@code entryPoint} in this JVM from now
   * on, instead of in child JVMs: the request body goes to {@code function}, its bytes come back as
   * a 200 JSON answer, and an exception as the 500 the host answers for a function that threw. Key
   * checks, fault injection, instance limits, cold/warm accounting and timeouts are unchanged.
   * Instances started before keep running the package.
   */
  void registerInProcess(String entryPoint, InProcessFunction function);

  /**
   * Gives {@code function} of an app a new default key, as renewing it in the portal does: callers
   * holding the old one are refused with 401 until they list the keys again.
   *
   * @return false if the app does not exist
   */
  boolean renewFunctionKey(String resourceGroup, String appName, String function);

  /** The base URI of a function app's host, if the app exists. */
  Optional<URI> appHost(String resourceGroup, String appName);

  /** Stops every app host and child JVM; idempotent. */
  @Override
  void close();
}
