package dev.quarry.examples;

import dev.quarry.client.*;
import java.util.ArrayList;
import java.util.List;

/**
 * One program, three clouds: one job on local workers, one on AWS Lambda, one on Azure Functions,
 * and one {@code getResult} over all their futures in input order. It needs a server on Azure Blob
 * storage with the three profiles, so {@code .ci/readme-examples} does not run it: {@code
 * AzureFunctionsBackendTest} runs {@link #run} against the emulators, Azurite and s3proxy.
 *
 * <p>Usage: {@code ThreeClouds HOST:PORT API_KEY}.
 */
public final class ThreeClouds {
  private ThreeClouds() {}

  public static void main(String[] args) {
    System.out.println(run(args[0], args[1]));
  }

  /** Runs the README's program against {@code server} with {@code key}; its results. */
  public static List<Integer> run(String server, String key) {
    // README:begin
    var local = ClientOptions.builder().apiKey(key).profile("team-local").build();
    var aws = ClientOptions.builder().apiKey(key).profile("aws-own-bucket").build();
    var azure = ClientOptions.builder().apiKey(key).profile("azure-prod").build();
    try (var onLocal = FunctionExecutor.connect(server, local);
        var onLambda = FunctionExecutor.connect(server, aws);
        var onAzure = FunctionExecutor.connect(server, azure)) {
      List<JobFuture<Integer>> futures = new ArrayList<>(onLocal.map(x -> x * 2, List.of(1, 2, 3)));
      futures.addAll(onLambda.map(x -> x * 3, List.of(1, 2, 3)));
      futures.addAll(onAzure.map(x -> x * 5, List.of(1, 2, 3)));
      return onLocal.getResult(futures); // [2, 4, 6, 3, 6, 9, 5, 10, 15]
    }
    // README:end
  }
}
