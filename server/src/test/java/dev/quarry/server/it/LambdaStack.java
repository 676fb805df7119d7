package dev.quarry.server.it;

import dev.quarry.lambda.emulator.EmulatorOptions;
import dev.quarry.lambda.emulator.LambdaEmulator;
import dev.quarry.server.QuarryServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.springframework.boot.SpringApplication;
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

  final S3Proxy s3;
  final LambdaEmulator emulator;
  final ConfigurableApplicationContext context;
  final TestDatabase database;
  final Http admin;
  final String grpcTarget;

  private LambdaStack(
      S3Proxy s3, LambdaEmulator emulator, ConfigurableApplicationContext context, TestDatabase database,
      Http admin, String grpcTarget) {
    this.s3 = s3;
    this.emulator = emulator;
    this.context = context;
    this.database = database;
    this.admin = admin;
    this.grpcTarget = grpcTarget;
  }

  static synchronized LambdaStack get() throws Exception {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
    }
    return instance;
  }

  private static LambdaStack start() throws Exception {
    S3Proxy s3 =
        S3Proxy.builder()
            .blobStore(BlobStores.create("transient", new Properties()))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V4, S3_IDENTITY, S3_CREDENTIAL)
            .build();
    s3.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!"STARTED".equals(s3.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + s3.getState());
      }
      Thread.sleep(10);
    }
    String s3Endpoint = "http://127.0.0.1:" + s3.getPort();
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
    TestDatabase db = TestDatabase.create();
    Path home = Files.createTempDirectory("quarry-lambda-home");
    ConfigurableApplicationContext ctx =
        new SpringApplication(QuarryServer.class)
            .run(
                "--quarry.home=" + home,
                "--quarry.db.url=" + db.url(),
                "--quarry.db.username=" + db.user(),
                "--server.port=0",
                "--quarry.grpc.port=0",
                "--quarry.backend.pool-size=1",
                "--quarry.storage.type=s3",
                "--quarry.storage.settings.bucket=quarry-lambda",
                "--quarry.storage.settings.endpoint=" + s3Endpoint,
                "--quarry.storage.settings.region=us-east-1",
                "--quarry.storage.settings.accessKeyId=" + S3_IDENTITY,
                "--quarry.storage.settings.secretAccessKey=" + S3_CREDENTIAL,
                "--quarry.storage.settings.createBucket=true",
                "--quarry.lambda.allow-endpoint-override=true",
                "--quarry.dispatch.retry-initial-backoff=50ms",
                "--quarry.operator-key=" + TestServer.OPERATOR_KEY);
    int http = Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
    int grpc = ctx.getBean(dev.quarry.server.grpc.GrpcServerLifecycle.class).port();
    Http admin = new Http("http://127.0.0.1:" + http, TestServer.devKey(home));
    LambdaStack stack = new LambdaStack(s3, emulator, ctx, db, admin, "127.0.0.1:" + grpc);
    Http.Response credential =
        admin.put("/v1/credentials/team-aws",
            "{\"kind\":\"aws\",\"fields\":{\"accessKeyId\":\"" + AWS_KEY_ID + "\",\"secretAccessKey\":\"" + AWS_SECRET + "\"}}");
    if (credential.status() != 200) {
      throw new IllegalStateException("cannot store the test credential: " + credential.body());
    }
    return stack;
  }

  /**
   * Creates (or replaces) a Lambda profile on the emulator: region, endpoint, role, 512 MB, a 30 s
   * timeout and concurrency 4, with {@code overrides} on top (a null value removes a setting).
   */
  void profile(String name, Map<String, String> overrides) throws Exception {
    Map<String, String> settings = new java.util.TreeMap<>(Map.of(
        "region", "us-east-1", "endpoint", emulator.endpoint().toString(), "role", ROLE,
        "memory", "512", "timeout", "30", "concurrency", "4"));
    overrides.forEach((k, v) -> {
      if (v == null) {
        settings.remove(k);
      } else {
        settings.put(k, v);
      }
    });
    String body = Http.JSON.writeValueAsString(
        Map.of("backend", "lambda", "settings", settings, "credential", "team-aws"));
    Http.Response r = admin.put("/v1/profiles/" + name, body);
    if (r.status() != 200) {
      throw new IllegalStateException("cannot create profile " + name + ": " + r.body());
    }
  }

  private void stop() {
    try {
      context.close();
      emulator.close();
      s3.stop();
      database.close();
    } catch (Exception e) {
      // best effort at JVM exit
    }
  }
}
