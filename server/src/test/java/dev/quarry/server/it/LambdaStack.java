package dev.quarry.server.it;

import dev.quarry.lambda.emulator.EmulatorOptions;
import dev.quarry.lambda.emulator.LambdaEmulator;
import dev.quarry.server.QuarryServer;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.S3Fixture;
import dev.quarry.testkit.ServerFixture;
import dev.quarry.testkit.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A server on S3 storage (s3proxy in this JVM) whose tenant has Lambda profiles pointing at the
 * Lambda emulator (child JVMs running the real worker handler through the AWS runtime interface
 * client). Everything binds to 127.0.0.1; one stack per test JVM, stopped at exit.
 */
final class LambdaStack {
  static final String S3_IDENTITY = "quarry-lambda-test";
  static final String S3_CREDENTIAL = "quarry-lambda-test-s3-credential";
  static final String AWS_KEY_ID = "test-access-key-id-lambda";
  static final String AWS_SECRET = "lambda-emulator-secret-not-real";
  static final String ROLE = "arn:aws:iam::000000000000:role/quarry-worker";
  private static LambdaStack instance;

  final S3Fixture s3;
  final LambdaEmulator emulator;
  final ServerFixture server;
  final ConfigurableApplicationContext context;
  final TestDatabase database;
  final Http admin;
  final String grpcTarget;

  private LambdaStack(S3Fixture s3, LambdaEmulator emulator, ServerFixture server) {
    this.s3 = s3;
    this.emulator = emulator;
    this.server = server;
    this.context = server.context();
    this.database = server.database();
    this.admin = server.http();
    this.grpcTarget = server.grpcTarget();
  }

  static synchronized LambdaStack get() throws Exception {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
    }
    return instance;
  }

  private static LambdaStack start() throws Exception {
    S3Fixture s3 = S3Fixture.start(S3_IDENTITY, S3_CREDENTIAL);
    // no storage credentials in the worker's environment (a real function's execution role needs
    // no bucket permissions): workers reach objects only through their envelope's pre-signed URLs
    LambdaEmulator emulator =
        LambdaEmulator.start(
            EmulatorOptions.builder()
                .credentials(AWS_KEY_ID, AWS_SECRET)
                .region("us-east-1")
                .maxInstancesPerFunction(2)
                .stateTransitionDelay(Duration.ofMillis(200))
                .seed(7)
                .build());
    // context functions on Lambda call the server back at its public URL: a forwarder on a free
    // port, pointed at the server once it has picked its own port
    LoopbackForwarder publicUrl = new LoopbackForwarder();
    ServerFixture server =
        ServerFixture.builder(QuarryServer.class)
            .arg("--quarry.backend.pool-size=1")
            .arg("--quarry.public-url=http://127.0.0.1:" + publicUrl.port())
            .args(s3.serverArgs("quarry-lambda"))
            .arg(
                "--quarry.lambda.allow-endpoint-override=true",
                "--quarry.dispatch.retry-initial-backoff=50ms",
                "--quarry.operator-key=" + TestServer.OPERATOR_KEY)
            .start();
    publicUrl.target(server.httpPort());
    LambdaStack stack = new LambdaStack(s3, emulator, server);
    storeCredential(stack.admin);
    return stack;
  }

  /**
   * Stores the emulator's credential as {@code team-aws} of the tenant whose key {@code tenant}
   * holds.
   */
  static void storeCredential(Http tenant) throws Exception {
    Http.Response credential =
        tenant.put(
            "/v1/credentials/team-aws",
            "{\"kind\":\"aws\",\"fields\":{\"accessKeyId\":\""
                + AWS_KEY_ID
                + "\",\"secretAccessKey\":\""
                + AWS_SECRET
                + "\"}}");
    if (credential.status() != 200) {
      throw new IllegalStateException("cannot store the test credential: " + credential.body());
    }
  }

  /**
   * Creates (or replaces) a Lambda profile on the emulator: region, endpoint, role, 512 MB, a 30 s
   * timeout and concurrency 4, with {@code overrides} on top (a null value removes a setting).
   */
  void profile(String name, Map<String, String> overrides) throws Exception {
    profile(admin, name, overrides);
  }

  /** As {@link #profile(String, Map)}, for the tenant whose key {@code tenant} holds. */
  void profile(Http tenant, String name, Map<String, String> overrides) throws Exception {
    Map<String, String> settings =
        new java.util.TreeMap<>(
            Map.of(
                "region",
                "us-east-1",
                "endpoint",
                emulator.endpoint().toString(),
                "role",
                ROLE,
                "memory",
                "512",
                "timeout",
                "30",
                "concurrency",
                "4"));
    overrides.forEach(
        (k, v) -> {
          if (v == null) {
            settings.remove(k);
          } else {
            settings.put(k, v);
          }
        });
    String body =
        Http.JSON.writeValueAsString(
            Map.of("backend", "lambda", "settings", settings, "credential", "team-aws"));
    Http.Response r = tenant.put("/v1/profiles/" + name, body);
    if (r.status() != 200) {
      throw new IllegalStateException("cannot create profile " + name + ": " + r.body());
    }
  }

  private void stop() {
    try {
      server.close();
      emulator.close();
      s3.close();
    } catch (Exception e) {
      // best effort at JVM exit
    }
  }
}
