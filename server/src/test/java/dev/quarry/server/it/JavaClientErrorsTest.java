package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.FunctionExecutor;
import dev.quarry.client.QuarryException;
import dev.quarry.client.SerializableFunction;
import dev.quarry.testkit.Http;
import io.grpc.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java client against a real server reads the reason of every refusal from the gRPC trailers,
 * and recovers from a server that lost its blobs by that reason alone. (Recovery from
 * FUNCTION_NOT_FOUND is tested against the client's fake server: this server caches functions.)
 */
class JavaClientErrorsTest {
  static TestServer server;
  static Http operator;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    operator = new Http(server.restUrl(), TestServer.OPERATOR_KEY);
  }

  @Test
  void refusalsCarryTheServersReason() throws Exception {
    try (var fexec =
        FunctionExecutor.connect(
            server.grpcTarget(), ClientOptions.builder().apiKey(server.apiKey).build())) {
      assertThatThrownBy(() -> fexec.getJob(UUID.randomUUID().toString()))
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(e.reason()).isEqualTo(ErrorReason.JOB_NOT_FOUND);
                assertThat(e.retryable()).isFalse();
              });
    }
    var wrongKey = ClientOptions.builder().apiKey("qk_nobody_" + "x".repeat(20)).build();
    try (var fexec = FunctionExecutor.connect(server.grpcTarget(), wrongKey)) {
      assertThatThrownBy(() -> fexec.callAsync(x -> x, 1))
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.UNAUTHENTICATED));
    }
  }

  @Test
  void aLimitHitNamesTheLimitAndTheDelay() throws Exception {
    Tenant tenant = newTenant();
    assertThat(
            operator
                .put("/v1/admin/tenants/" + tenant.id() + "/limits", "{\"maxJobsInFlight\":1}")
                .status())
        .isEqualTo(200);
    try (var fexec =
        FunctionExecutor.connect(
            server.grpcTarget(), ClientOptions.builder().apiKey(tenant.key()).build())) {
      SerializableFunction<Integer, Integer> slow =
          x -> {
            try {
              Thread.sleep(x);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return x;
          };
      var running = fexec.callAsync(slow, 10_000);
      assertThatThrownBy(() -> fexec.callAsync(slow, 1))
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(e.reason()).isEqualTo(ErrorReason.QUOTA_EXCEEDED);
                assertThat(e.metadata()).containsEntry("limit", "maxJobsInFlight");
                assertThat(e.retryDelay())
                    .hasValueSatisfying(d -> assertThat(d.toSeconds()).isEqualTo(1));
                assertThat(e.retryable()).isTrue();
              });
      fexec.cancel(running.jobId());
    }
  }

  @Test
  void aServerThatLostItsBlobsIsRefilledByReason() throws Exception {
    Tenant t = newTenant();
    String tenant = t.id();
    try (var fexec =
        FunctionExecutor.connect(
            server.grpcTarget(), ClientOptions.builder().apiKey(t.key()).build())) {
      SerializableFunction<Integer, Integer> neg = x -> -x;
      assertThat(fexec.callAsync(neg, 1).get()).isEqualTo(-1);

      // BLOB_NOT_UPLOADED on register: a new function whose jars the client believes uploaded
      long blobs = count("blobs", tenant);
      assertThat(blobs).as("the function's payload and its jars").isGreaterThan(1);
      assertThat(delete("blobs", tenant)).isEqualTo(blobs);
      SerializableFunction<Integer, Integer> twice = x -> 2 * x;
      assertThat(fexec.callAsync(twice, 3).get()).isEqualTo(6);
      // every jar again and the new payload; the first function's payload stays gone
      assertThat(count("blobs", tenant)).isEqualTo(blobs);
      assertThat(count("functions", tenant)).isEqualTo(2);
    }
  }

  record Tenant(String id, String key) {}

  private static Tenant newTenant() throws Exception {
    String id = "client-errors-" + UUID.randomUUID().toString().substring(0, 8);
    Http.Response created =
        operator.post("/v1/admin/tenants", "{\"id\":\"" + id + "\",\"name\":\"C\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return new Tenant(id, created.json().get("adminKeySecret").asString());
  }

  private static long delete(String table, String tenant) throws Exception {
    try (Connection c = server.database.connect();
        PreparedStatement s = c.prepareStatement("delete from " + table + " where tenant_id = ?")) {
      s.setString(1, tenant);
      return s.executeUpdate();
    }
  }

  private static long count(String table, String tenant) throws Exception {
    try (Connection c = server.database.connect();
        PreparedStatement s =
            c.prepareStatement("select count(*) from " + table + " where tenant_id = ?")) {
      s.setString(1, tenant);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
