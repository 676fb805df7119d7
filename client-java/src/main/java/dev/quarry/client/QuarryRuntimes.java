package dev.quarry.client;

import dev.quarry.client.internal.ClientConfig;
import dev.quarry.client.internal.Connection;
import dev.quarry.proto.v1.DeleteRuntimeRequest;
import dev.quarry.proto.v1.DeployRuntimeRequest;
import dev.quarry.proto.v1.ListRuntimesRequest;
import dev.quarry.proto.v1.Runtime;
import dev.quarry.proto.v1.RuntimeServiceGrpc;
import dev.quarry.proto.v1.UpdateRuntimeRequest;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Worker deployments of a tenant's serverless profiles (Lambda functions): list them (viewer key),
 * deploy, update and delete them (admin key). Deploy and update return once the platform reports
 * the function ready.
 *
 * <pre>{@code
 * try (var runtimes = QuarryRuntimes.connect("localhost:9090", ClientOptions.builder().apiKey(adminKey).build())) {
 *   RuntimeInfo fn = runtimes.deploy("aws-prod");     // idempotent
 *   runtimes.list("aws-prod").forEach(System.out::println);
 * }
 * }</pre>
 */
public final class QuarryRuntimes implements AutoCloseable {
  private static final long DEADLINE_MINUTES = 15;

  private final Connection connection;
  private final RuntimeServiceGrpc.RuntimeServiceBlockingStub stub;

  private QuarryRuntimes(Connection connection) {
    this.connection = connection;
    this.stub =
        RuntimeServiceGrpc.newBlockingStub(connection.channel())
            .withInterceptors(connection.auth());
  }

  /**
   * Connects to {@code target} (null: the configured one, as {@link FunctionExecutor#connect()}
   * finds it).
   */
  public static QuarryRuntimes connect(String target, ClientOptions options) {
    ClientConfig config = ClientConfig.resolve(target, Objects.requireNonNull(options, "options"));
    return connect(config, options);
  }

  /** Connects as an already resolved {@link ClientConfig} says (the command-line tool). */
  public static QuarryRuntimes connect(ClientConfig config, ClientOptions options) {
    return new QuarryRuntimes(Connection.open(config, options));
  }

  /**
   * @throws QuarryException e.g. NOT_FOUND for an unknown profile
   */
  public List<RuntimeInfo> list(String profile) {
    return call(
        "list runtimes of " + profile,
        () ->
            stub()
                .listRuntimes(ListRuntimesRequest.newBuilder().setProfile(profile).build())
                .getRuntimesList()
                .stream()
                .map(QuarryRuntimes::info)
                .toList());
  }

  /** Deploys the function {@code profile} runs on, if needed. */
  public RuntimeInfo deploy(String profile) {
    return call(
        "deploy the runtime of " + profile,
        () ->
            info(
                stub()
                    .deployRuntime(DeployRuntimeRequest.newBuilder().setProfile(profile).build())));
  }

  /**
   * Pushes the server's worker code and {@code profile}'s configuration to function {@code name}.
   */
  public RuntimeInfo update(String profile, String name) {
    return call(
        "update runtime " + name,
        () ->
            info(
                stub()
                    .updateRuntime(
                        UpdateRuntimeRequest.newBuilder()
                            .setProfile(profile)
                            .setName(name)
                            .build())));
  }

  /** Deletes the worker function {@code name}. */
  public RuntimeInfo delete(String profile, String name) {
    return call(
        "delete runtime " + name,
        () ->
            info(
                stub()
                    .deleteRuntime(
                        DeleteRuntimeRequest.newBuilder()
                            .setProfile(profile)
                            .setName(name)
                            .build())));
  }

  private RuntimeServiceGrpc.RuntimeServiceBlockingStub stub() {
    return stub.withDeadlineAfter(DEADLINE_MINUTES, TimeUnit.MINUTES);
  }

  private <T> T call(String action, Supplier<T> rpc) {
    return connection.call(action, rpc);
  }

  private static RuntimeInfo info(Runtime r) {
    return new RuntimeInfo(
        r.getName(),
        r.getWorkerVersion(),
        r.getCurrent(),
        r.getMemoryMb(),
        r.getTimeoutSeconds(),
        r.getArchitecture(),
        r.getState(),
        r.getLastUpdateStatus(),
        r.getLastModified(),
        r.getChange());
  }

  @Override
  public void close() {
    connection.close();
  }
}
