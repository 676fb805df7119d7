package dev.quarry.server.it;

import dev.quarry.lambda.emulator.EmulatorOptions;
import dev.quarry.lambda.emulator.LambdaEmulator;
import dev.quarry.server.QuarryServer;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.ObjectStores;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.S3Fixture;
import dev.quarry.testkit.ServerFixture;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A server on S3 storage (bucket {@value #SERVER_BUCKET} of s3proxy in this JVM), local workers and
 * the Lambda emulator, and a second bucket {@value #TEAM_A} that tenant A's profiles name as their
 * own. s3proxy knows one identity, so the team's credential (which the emulator also takes) is the
 * one the server signs with: what these tests prove is where objects go and what a grant opens, not
 * what IAM would refuse. One stack per test JVM, stopped at exit.
 */
final class BucketStack {
  static final String KEY_ID = "test-access-key-id-bucket";
  static final String SECRET = "bucket-test-secret-not-real";
  static final String SERVER_BUCKET = "quarry-server";
  static final String TEAM_A = "team-a";
  static final String TENANT_B = "bucket-b";
  static final String ROLE = "arn:aws:iam::000000000000:role/quarry-worker";
  private static BucketStack instance;

  final S3Fixture s3;
  final LambdaEmulator emulator;
  final ServerFixture server;
  final ObjectStore serverBucket;
  final ObjectStore teamBucket;
  final Http tenantA;
  final Http tenantB;

  private BucketStack(
      S3Fixture s3,
      LambdaEmulator emulator,
      ServerFixture server,
      ObjectStore serverBucket,
      ObjectStore teamBucket,
      Http tenantB) {
    this.s3 = s3;
    this.emulator = emulator;
    this.server = server;
    this.serverBucket = serverBucket;
    this.teamBucket = teamBucket;
    this.tenantA = server.http();
    this.tenantB = tenantB;
  }

  static synchronized BucketStack get() throws Exception {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
    }
    return instance;
  }

  private static BucketStack start() throws Exception {
    S3Fixture s3 = S3Fixture.start(KEY_ID, SECRET);
    Map<String, String> team = s3.storeSettings(TEAM_A);
    team.put("createBucket", "true");
    ObjectStore teamBucket = ObjectStores.open("s3", team);
    LambdaEmulator emulator =
        LambdaEmulator.start(
            EmulatorOptions.builder()
                .credentials(KEY_ID, SECRET)
                .region("us-east-1")
                .maxInstancesPerFunction(2)
                .stateTransitionDelay(Duration.ofMillis(200))
                .seed(11)
                .build());
    ServerFixture server =
        ServerFixture.builder(QuarryServer.class)
            .arg("--quarry.backend.pool-size=1")
            .args(s3.serverArgs(SERVER_BUCKET))
            .arg(
                "--quarry.lambda.allow-endpoint-override=true",
                "--quarry.dispatch.retry-initial-backoff=50ms",
                "--quarry.operator-key=" + TestServer.OPERATOR_KEY)
            .start();
    ObjectStore serverBucket = ObjectStores.open("s3", s3.storeSettings(SERVER_BUCKET));
    Http admin = server.http();
    Http.Response created =
        admin
            .withKey(TestServer.OPERATOR_KEY)
            .post("/v1/admin/tenants", "{\"id\":\"" + TENANT_B + "\",\"name\":\"Tenant B\"}");
    if (created.status() != 201) {
      throw new IllegalStateException("cannot create tenant B: " + created.body());
    }
    Http tenantB = admin.withKey(created.json().get("adminKeySecret").asString());
    BucketStack stack = new BucketStack(s3, emulator, server, serverBucket, teamBucket, tenantB);
    stack.credential(admin, "team-aws", SECRET);
    stack.credential(tenantB, "team-aws", SECRET);
    return stack;
  }

  /** Stores an aws credential {@code name} with the stack's key id and {@code secret}. */
  void credential(Http tenant, String name, String secret) throws Exception {
    Http.Response r =
        tenant.put(
            "/v1/credentials/" + name,
            "{\"kind\":\"aws\",\"fields\":{\"accessKeyId\":\""
                + KEY_ID
                + "\",\"secretAccessKey\":\""
                + secret
                + "\"}}");
    if (r.status() != 200) {
      throw new IllegalStateException("cannot store credential " + name + ": " + r.body());
    }
  }

  /** The settings of a Lambda profile on the emulator, with {@code overrides} on top. */
  Map<String, String> lambdaSettings(Map<String, String> overrides) {
    Map<String, String> settings =
        new TreeMap<>(
            Map.of(
                "region", "us-east-1",
                "endpoint", emulator.endpoint().toString(),
                "role", ROLE,
                "memory", "512",
                "timeout", "30",
                "concurrency", "2"));
    settings.putAll(overrides);
    return settings;
  }

  /** PUT of a profile; the response as it came. */
  Http.Response putProfile(
      Http tenant, String name, String backend, Map<String, String> settings, String credential)
      throws Exception {
    Map<String, Object> body = new TreeMap<>();
    body.put("backend", backend);
    body.put("settings", settings);
    if (credential != null) {
      body.put("credential", credential);
    }
    return tenant.put("/v1/profiles/" + name, Http.JSON.writeValueAsString(body));
  }

  void profile(Http tenant, String name, String backend, Map<String, String> settings)
      throws Exception {
    Http.Response r = putProfile(tenant, name, backend, settings, "team-aws");
    if (r.status() != 200) {
      throw new IllegalStateException("cannot create profile " + name + ": " + r.body());
    }
  }

  private void stop() {
    try {
      server.close();
      emulator.close();
      serverBucket.close();
      teamBucket.close();
      s3.close();
    } catch (Exception e) {
      // best effort at JVM exit
    }
  }
}
