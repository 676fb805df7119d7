package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.storage.ObjectStore;
import dev.quarry.testkit.Http;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hostile suite for a profile with its own bucket: {@link
 * dev.quarry.server.testfns.GrantAttack} runs on a Lambda profile naming bucket {@value
 * BucketStack#TEAM_A}, finds the pre-signed URLs of its invocation in its heap, and uses their
 * signatures on every other object of that bucket (another job's input and result), on the server's
 * bucket (its own key there, another job's and another tenant's objects, listings) and with other
 * methods. Nothing may open, list or change.
 */
class BucketGrantAttackTest {
  static BucketStack stack;

  /** {@code bucket -> key -> bytes} of every object the attack must leave unread and unchanged. */
  static Map<String, Map<String, byte[]>> victims =
      Map.of(
          BucketStack.TEAM_A,
          new java.util.TreeMap<>(),
          BucketStack.SERVER_BUCKET,
          new java.util.TreeMap<>());

  @BeforeAll
  static void setUp() throws Exception {
    stack = BucketStack.get();
    Http a = stack.tenantA;
    stack.profile(
        a, "lambda-victim", "lambda", stack.lambdaSettings(Map.of("bucket", BucketStack.TEAM_A)));
    // its own memory size and concurrency 1: the attack's instances serve only the attack
    stack.profile(
        a,
        "lambda-grab",
        "lambda",
        stack.lambdaSettings(
            Map.of("bucket", BucketStack.TEAM_A, "memory", "704", "concurrency", "1")));
    stack.profile(stack.tenantB, "local-b", "local", Map.of());
    for (Http tenant : List.of(a, stack.tenantB)) {
      Http.Response reg =
          tenant.postBytes(
              "/v1/functions?name=grab&entryClass=dev.quarry.server.testfns.GrantAttack",
              RestEndToEndTest.jarOf("dev/quarry/server/testfns/GrantAttack.class"),
              "application/java-archive");
      assertThat(reg.status()).as(reg.body()).isEqualTo(201);
    }
    String large = "\"" + "secret-of-a-".repeat(420) + "\"";
    // another job in the team's bucket, one of A in the server's bucket, one of tenant B there
    keep(BucketStack.TEAM_A, stack.teamBucket, "default", echo(a, "lambda-victim", large));
    keep(BucketStack.SERVER_BUCKET, stack.serverBucket, "default", echo(a, null, large));
    keep(
        BucketStack.SERVER_BUCKET,
        stack.serverBucket,
        BucketStack.TENANT_B,
        echo(stack.tenantB, "local-b", large.replace("-of-a-", "-of-b-")));
    assertThat(victims.get(BucketStack.TEAM_A)).isNotEmpty();
    assertThat(victims.get(BucketStack.SERVER_BUCKET).keySet())
        .anyMatch(k -> k.startsWith("tenants/default/") && k.contains("/inputs/"))
        .anyMatch(k -> k.startsWith("tenants/default/") && k.contains("/results/"))
        .anyMatch(k -> k.startsWith("tenants/" + BucketStack.TENANT_B + "/"));
  }

  @Test
  void aGrantForTheTeamsBucketOpensNothingElseInItNorAnythingInTheServersBucket() throws Exception {
    ObjectNode input =
        Http.JSON.createObjectNode().put("attack", "abuse").put("self", "tenants/default/");
    var targets = input.putArray("targets");
    victims.values().forEach(m -> m.keySet().forEach(targets::add));
    input.putArray("buckets").add(BucketStack.SERVER_BUCKET);
    ObjectNode body = Http.JSON.createObjectNode();
    body.put("function", "grab").put("profile", "lambda-grab").put("maxAttempts", 1);
    body.putArray("inputs").add(input);
    Http.Response r = stack.tenantA.post("/v1/jobs", body.toString());
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String job = r.json().get("id").asString();
    List<JsonNode> lines =
        RestEndToEndTest.ndjson(stack.tenantA.get("/v1/jobs/" + job + "/results"));
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).get("state").asString()).as(lines.toString()).isEqualTo("SUCCEEDED");
    String result = lines.get(0).get("result").asString();

    assertThat(result).startsWith("BLOCKED: ");
    Matcher urls = Pattern.compile("(\\d+) attempts with (\\d+) URLs").matcher(result);
    assertThat(urls.find()).as(result).isTrue();
    int held = Integer.parseInt(urls.group(2));
    assertThat(held).as("URLs found in the worker's heap").isGreaterThan(1);
    assertThat(Integer.parseInt(urls.group(1)))
        .as("attempts: each URL on every target and listing of the server's bucket too")
        .isGreaterThanOrEqualTo(held * (2 * targets.size() + 4));
    System.out.println("Attack on a team-a grant: " + result.replaceFirst("; held.*", ""));
    assertThat(result.substring(result.indexOf("held [")))
        .as("the URLs held are of the attack's own invocation")
        .contains("tenants/default/jobs/" + job + "/");
    SoftAssertions softly = new SoftAssertions();
    victims.forEach(
        (bucket, objects) -> {
          ObjectStore store =
              bucket.equals(BucketStack.TEAM_A) ? stack.teamBucket : stack.serverBucket;
          objects.forEach(
              (key, bytes) ->
                  softly
                      .assertThat(store.read(key))
                      .as(bucket + "/" + key)
                      .hasValueSatisfying(now -> assertThat(now).isEqualTo(bytes)));
        });
    softly
        .assertThat(stack.serverBucket.list("tenants/default/jobs/" + job + "/"))
        .as("the attack's job wrote nothing to the server's bucket")
        .isEmpty();
    softly.assertAll();
  }

  private static void keep(String bucket, ObjectStore store, String tenant, String job) {
    for (String key : store.list("tenants/" + tenant + "/jobs/" + job + "/")) {
      victims.get(bucket).put(key, store.read(key).orElseThrow());
    }
  }

  private static String echo(Http tenant, String profile, String input) throws Exception {
    String on = profile == null ? "" : ",\"profile\":\"" + profile + "\"";
    Http.Response r =
        tenant.post("/v1/jobs", "{\"function\":\"echo\"" + on + ",\"inputs\":[" + input + "]}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String job = r.json().get("id").asString();
    List<JsonNode> lines = RestEndToEndTest.ndjson(tenant.get("/v1/jobs/" + job + "/results"));
    assertThat(lines).extracting(l -> l.get("state").asString()).containsExactly("SUCCEEDED");
    return job;
  }
}
