package dev.quarry.server.grpc;

import dev.quarry.server.QuarryProperties;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Runs the gRPC server next to the HTTP one; reflection and health are on so grpcurl works. */
@Component
public class GrpcServerLifecycle implements SmartLifecycle {
  private final QuarryProperties props;
  private final JobGrpcService jobs;
  private final AuthInterceptor auth;
  private final WorkerGrpcService workers;
  private final WorkerAuthInterceptor workerAuth;
  private final java.util.List<io.grpc.BindableService> services;
  private static final GrpcInputRules INPUT_RULES = new GrpcInputRules();
  private final HealthStatusManager health = new HealthStatusManager();
  private volatile Server server;
  private volatile boolean running;

  public GrpcServerLifecycle(
      QuarryProperties props,
      JobGrpcService jobs,
      TenancyGrpcServices.Tenants tenants,
      TenancyGrpcServices.Keys keys,
      CredentialGrpcService credentials,
      RuntimeGrpcService runtimes,
      StorageGrpcService storage,
      WorkerTokenGrpcService workerTokens,
      WorkerGrpcService workers,
      AuthInterceptor auth,
      WorkerAuthInterceptor workerAuth) {
    this.props = props;
    this.jobs = jobs;
    this.auth = auth;
    this.services =
        java.util.List.of(jobs, tenants, keys, credentials, runtimes, storage, workerTokens);
    this.workers = workers;
    this.workerAuth = workerAuth;
  }

  /** The pull workers' service: a worker token, never an API key, opens it. */
  public io.grpc.ServerServiceDefinition workerService() {
    return workers.bindService();
  }

  /** The services that require an API key (everything but reflection and health). */
  public java.util.List<io.grpc.ServerServiceDefinition> authenticatedServices() {
    return services.stream().map(io.grpc.BindableService::bindService).toList();
  }

  /** The port the server listens on (the configured one, or the one picked for 0). */
  public int port() {
    return server == null ? props.grpc().port() : server.getPort();
  }

  /**
   * Initial HTTP/2 window per stream (gRPC's default is 1 MiB, one storage chunk): several chunks
   * in flight keep a large put from waiting a round trip per chunk; gRPC still tunes it from there.
   */
  static final int FLOW_CONTROL_WINDOW = 8 << 20;

  /** The last interceptor runs first: the request id is set before anything logs. */
  private static final RequestIdInterceptor REQUEST_IDS = new RequestIdInterceptor();

  @Override
  public void start() {
    try {
      server =
          NettyServerBuilder.forAddress(
                  new InetSocketAddress(props.bindAddress(), props.grpc().port()))
              .executor(Executors.newVirtualThreadPerTaskExecutor())
              .maxInboundMessageSize(props.limits().maxRequestBytes())
              .initialFlowControlWindow(FLOW_CONTROL_WINDOW)
              .addServices(
                  services.stream()
                      .map(
                          svc ->
                              ServerInterceptors.intercept(
                                  GrpcInputRules.wrap(svc.bindService()),
                                  auth,
                                  INPUT_RULES,
                                  REQUEST_IDS))
                      .toList())
              .addService(
                  ServerInterceptors.intercept(
                      GrpcInputRules.wrap(workers.bindService()),
                      workerAuth,
                      INPUT_RULES,
                      REQUEST_IDS))
              .addService(ProtoReflectionServiceV1.newInstance())
              .addService(health.getHealthService())
              .build()
              .start();
      health.setStatus("", ServingStatus.SERVING);
      health.setStatus("quarry.v1.JobService", ServingStatus.SERVING);
      running = true;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start gRPC on " + props.bindAddress() + ":" + props.grpc().port(), e);
    }
  }

  @Override
  public void stop() {
    running = false;
    health.enterTerminalState();
    Server s = server;
    if (s != null) {
      s.shutdown();
      try {
        if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
          s.shutdownNow();
        }
      } catch (InterruptedException e) {
        s.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return 300;
  }
}
