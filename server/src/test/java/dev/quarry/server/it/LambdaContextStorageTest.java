package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.client.ClientOptions;
import dev.quarry.server.storage.FunctionStorageTokens;
import dev.quarry.testkit.Http;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Functions that use storage on Lambda, through the Lambda emulator: the worker holds no server
 * credential; each invocation's envelope carries a token that opens only the Storage API of its
 * team, which the function's calls present to the server's public URL ({@code quarry.public-url});
 * the token is stored hashed and is revoked before the invocation's outcome is recorded.
 */
class LambdaContextStorageTest extends ContextStorageCases {
  private static final String TENANT_B = "ctx-lambda-b";

  static LambdaStack stack;
  static Http admin;
  static Http tenantB;
  static Teams teams;

  @BeforeAll
  static void setUp() throws Exception {
    stack = LambdaStack.get();
    admin = stack.admin;
    Http.Response created =
        admin
            .withKey(TestServer.OPERATOR_KEY)
            .post("/v1/admin/tenants", "{\"id\":\"" + TENANT_B + "\",\"name\":\"ctx on Lambda\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    tenantB = admin.withKey(created.json().get("adminKeySecret").asString());
    LambdaStack.storeCredential(tenantB);
    // memory sizes of their own, one instance each: a later future finds what an earlier one left
    stack.profile("aws-ctx", Map.of("memory", "832", "concurrency", "1"));
    stack.profile(tenantB, "aws-ctx", Map.of("memory", "832", "concurrency", "1"));
    teams =
        Teams.connect(
            stack.grpcTarget,
            ClientOptions.builder().apiKey(admin.key()).profile("aws-ctx"),
            ClientOptions.builder().apiKey(tenantB.key()).profile("aws-ctx"));
  }

  @AfterAll
  static void tearDown() {
    teams.close();
  }

  @Override
  Teams teams() {
    return teams;
  }

  @Test
  void noTokenOutlivesItsInvocationAndNoneIsStoredInClear() throws Exception {
    // team B runs nothing else meanwhile: its invocation's token is revoked before the outcome is
    // recorded; nothing is stored in clear (hashes are 32 bytes)
    assertThat(b().callAsync(STALE, "stash").get()).startsWith("stashed ");
    assertThat(
            count(
                "select count(*) from function_storage_tokens where tenant_id = '"
                    + TENANT_B
                    + "' and invocation_id not like 'probe-%'"))
        .isZero();
    assertThat(count("select count(*) from function_storage_tokens where length(token_hash) <> 32"))
        .isZero();
  }

  @Test
  void aTokenOpensOnlyItsTeamsStorageAndStopsWhenRevokedOrExpired() throws Exception {
    FunctionStorageTokens tokens = stack.context.getBean(FunctionStorageTokens.class);
    try {
      var access = tokens.issue("default", "probe-invocation", Instant.now().plusSeconds(60));
      assertThat(access.url()).startsWith("http://127.0.0.1:");
      Http function = new Http(access.url(), access.token());

      assertThat(function.get("/v1/storage/docs/in/hello.txt").body()).isEqualTo("hello world");
      assertThat(function.put("/v1/storage/docs/out/probe.txt", "written").status()).isEqualTo(200);
      assertThat(storageA().getObjectAsString("docs", "out/probe.txt")).isEqualTo("written");
      // nothing but the Storage API: jobs, functions, keys, profiles
      for (String route : new String[] {"/v1/jobs", "/v1/functions", "/v1/keys", "/v1/profiles"}) {
        Http.Response r = function.get(route);
        assertThat(r.status()).as(route).isEqualTo(401);
        assertThat(r.body()).contains("UNAUTHENTICATED").doesNotContain(access.token());
      }
      assertThat(function.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1]}").status())
          .isEqualTo(401);
      // team B's token never sees team A's object
      var forB = tokens.issue(TENANT_B, "probe-b", Instant.now().plusSeconds(60));
      assertThat(new Http(forB.url(), forB.token()).get("/v1/storage/docs/out/probe.txt").status())
          .isEqualTo(404);

      tokens.revoke("probe-invocation");
      assertThat(function.get("/v1/storage/docs/in/hello.txt").status()).isEqualTo(401);
      var expired = tokens.issue("default", "probe-expired", Instant.now().minusSeconds(1));
      assertThat(new Http(expired.url(), expired.token()).get("/v1/storage/docs").status())
          .isEqualTo(401);
      assertThat(new Http(access.url(), "qf_forged").get("/v1/storage/docs").status())
          .isEqualTo(401);
    } finally {
      for (String probe : new String[] {"probe-invocation", "probe-b", "probe-expired"}) {
        tokens.revoke(probe);
      }
    }
  }

  private static long count(String sql) throws Exception {
    try (var c = stack.database.connect();
        var s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
