package dev.quarry.bench;

import dev.quarry.azure.emulator.AzureEmulatorOptions;
import dev.quarry.azure.emulator.AzureFunctionsEmulator;
import dev.quarry.emulator.stats.InvocationStats;
import dev.quarry.lambda.emulator.LambdaEmulator;
import dev.quarry.testkit.AzuriteFixture;
import dev.quarry.testkit.S3Fixture;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Dispatch throughput on the Azure Functions backend beside the Lambda backend, in one run: one
 * server (data in Azurite) dispatches a 10,000-input map with chunk size 1 to the Azure Functions
 * emulator answering in this JVM (HTTPS, function key, no worker), then another server (data in
 * s3proxy) the same map to the Lambda emulator answering in this JVM. Both record every outcome in
 * PostgreSQL. Prints invocations per second of each and the load average. Arguments go to both
 * servers, as for {@link Bench}, except {@code --azure-only}, which skips the Lambda map (for
 * profiling the Azure path alone).
 */
public final class AzureBench {
  private static final String WORKER_ENTRY_POINT =
      "dev.quarry.worker.azure.AzureFunctionsHandler.run";
  private static final int INPUTS = 10_000;

  private AzureBench() {}

  public static void main(String[] args) throws Exception {
    boolean azureOnly = Arrays.asList(args).contains("--azure-only");
    String[] serverArgs =
        Arrays.stream(args).filter(a -> !a.equals("--azure-only")).toArray(String[]::new);
    double azure = azure(serverArgs);
    System.out.printf(
        "Azure Functions dispatch, %,d inputs, chunk 1, emulator answering in-process: %.2f s (%,.0f invocations/s)%n",
        INPUTS, azure, INPUTS / azure);
    if (!azureOnly) {
      double lambda = lambda(serverArgs);
      System.out.printf(
          "Lambda dispatch, same run, same map: %.2f s (%,.0f invocations/s)%n",
          lambda, INPUTS / lambda);
    }
    System.out.printf(
        "load average (1 min) at the end: %.2f on %d cores%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
  }

  /** Seconds for the measured Azure map, after three warm-up maps. */
  private static double azure(String[] args) throws Exception {
    try (AzuriteFixture azurite = AzuriteFixture.start();
        AzureFunctionsEmulator emulator =
            AzureFunctionsEmulator.start(
                AzureEmulatorOptions.builder()
                    .maxInstancesPerFunction(1000)
                    .storageAccount(
                        AzuriteFixture.ACCOUNT, AzuriteFixture.ACCOUNT_KEY, azurite.endpoint())
                    .build())) {
      emulator.registerInProcess(WORKER_ENTRY_POINT, LambdaBench::answer);
      Path home = Files.createTempDirectory("quarry-azure-bench");
      List<String> serverArgs =
          Bench.serverArgs(
              home,
              "--quarry.azure.allow-endpoint-override=true",
              "--quarry.azure.trust-store=" + emulator.trustStore(),
              "--quarry.azure.trust-store-password=emulator",
              "--quarry.tenant-defaults.max-concurrent-invocations=2000");
      serverArgs.addAll(azurite.serverArgs("bench"));
      serverArgs.addAll(Arrays.asList(args));
      ConfigurableApplicationContext ctx = Bench.startServer(serverArgs);
      try {
        BenchRest rest = Bench.rest(ctx, home);
        AzureEmulatorOptions o = emulator.options();
        rest.send(
            "PUT",
            "/v1/credentials/bench-azure",
            "{\"kind\":\"azure\",\"fields\":{\"tenantId\":\""
                + o.tenantId()
                + "\",\"clientId\":\""
                + o.clientId()
                + "\",\"clientSecret\":\""
                + o.clientSecret()
                + "\",\"subscriptionId\":\""
                + o.subscriptionId()
                + "\"}}");
        rest.send(
            "PUT",
            "/v1/profiles/bench-azure",
            "{\"backend\":\"azure-functions\",\"credential\":\"bench-azure\",\"settings\":{"
                + "\"resourceGroup\":\"bench\",\"region\":\"westeurope\",\"storageAccount\":\""
                + AzuriteFixture.ACCOUNT
                + "\",\"memory\":\"2048\",\"timeout\":\"120\",\"concurrency\":\"1000\","
                + "\"maxAttempts\":\"5\",\"authorityHost\":\""
                + emulator.endpoint()
                + "\",\"resourceManagerEndpoint\":\""
                + emulator.endpoint()
                + "\"}}");
        rest.send("POST", "/v1/profiles/bench-azure/runtimes", "");
        for (int i = 0; i < 3; i++) {
          LambdaBench.run(rest, "bench-azure", INPUTS);
        }
        long cpu = processCpuNanos();
        double secs = LambdaBench.run(rest, "bench-azure", INPUTS);
        cpu = processCpuNanos() - cpu;
        InvocationStats stats = emulator.stats();
        System.out.printf(
            "azure emulator: %,d invocations, %,d cold starts, %d throttled;"
                + " this JVM's CPU time per invocation in the measured map: %.2f ms%n",
            stats.invocations(), stats.coldStarts(), stats.throttled(), cpu / 1e6 / INPUTS);
        return secs;
      } finally {
        ctx.close();
        deleteTree(home);
      }
    }
  }

  /** Seconds for the measured Lambda map, after three warm-up maps (as in {@link LambdaBench}). */
  private static double lambda(String[] args) throws Exception {
    S3Fixture s3 = S3Fixture.start("bench", "bench-s3-secret");
    LambdaEmulator emulator = LambdaBench.startEmulator();
    Path home = Files.createTempDirectory("quarry-lambda-bench");
    ConfigurableApplicationContext ctx = Bench.startServer(LambdaBench.serverArgs(home, s3, args));
    try {
      BenchRest rest = Bench.rest(ctx, home);
      LambdaBench.createProfile(rest, "bench", emulator);
      for (int i = 0; i < 3; i++) {
        LambdaBench.run(rest, "bench", INPUTS);
      }
      long cpu = processCpuNanos();
      double secs = LambdaBench.run(rest, "bench", INPUTS);
      cpu = processCpuNanos() - cpu;
      System.out.printf(
          "lambda: this JVM's CPU time per invocation in the measured map: %.2f ms%n",
          cpu / 1e6 / INPUTS);
      return secs;
    } finally {
      ctx.close();
      emulator.close();
      s3.close();
      deleteTree(home);
    }
  }

  /** CPU time of this JVM (server, emulator and fixtures together) so far. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Removes a server home (its database and objects: about 100 MB after these maps). */
  private static void deleteTree(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
