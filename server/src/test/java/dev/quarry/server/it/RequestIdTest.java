package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.proto.v1.JobServiceGrpc;
import dev.quarry.proto.v1.ListJobsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every REST and gRPC request has an id, answered to the caller and stored with its job. */
class RequestIdTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Metadata.Key<String> KEY =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

  @Test
  void restAnswersTheCallersIdOrANewOneAndTheJobKeepsIt() throws Exception {
    TestServer server = TestServer.get();
    assertThat(get(server, "req-test.42:a_b").headers().firstValue("X-Request-Id"))
        .contains("req-test.42:a_b");
    for (String bad : new String[] {"has space", "x".repeat(65), "ünïcode", ""}) {
      assertThat(get(server, bad).headers().firstValue("X-Request-Id"))
          .as("replaces %s", bad)
          .hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{16}"));
    }
    assertThat(get(server, null).headers().firstValue("X-Request-Id"))
        .hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{16}"));

    String requestId = "submit-" + UUID.randomUUID();
    HttpResponse<String> submitted =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(("http://127.0.0.1:" + server.httpPort) + "/v1/jobs"))
                .header("Authorization", "Bearer " + server.apiKey)
                .header("Content-Type", "application/json")
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"function\":\"echo\",\"inputs\":[1]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    String job = submitted.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
    assertThat(
            TestServer.sharedContext()
                .getBean(JdbcClient.class)
                .sql("select request_id from jobs where id = ?::uuid")
                .param(job)
                .query(String.class)
                .single())
        .isEqualTo(requestId);
  }

  @Test
  void grpcAnswersTheCallersIdInItsHeaders() throws Exception {
    TestServer server = TestServer.get();
    ManagedChannel channel =
        NettyChannelBuilder.forTarget("127.0.0.1:" + server.grpcPort).usePlaintext().build();
    try {
      Metadata sent = new Metadata();
      sent.put(KEY, "grpc-req-7");
      sent.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Bearer " + server.apiKey);
      AtomicReference<Metadata> headers = new AtomicReference<>();
      AtomicReference<Metadata> trailers = new AtomicReference<>();
      JobServiceGrpc.newBlockingStub(channel)
          .withInterceptors(
              MetadataUtils.newAttachHeadersInterceptor(sent),
              MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
          .listJobs(ListJobsRequest.newBuilder().setLimit(1).build());
      assertThat(headers.get().get(KEY)).isEqualTo("grpc-req-7");
    } finally {
      channel.shutdownNow();
    }
  }

  private static HttpResponse<String> get(TestServer server, String requestId) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(("http://127.0.0.1:" + server.httpPort) + "/v1/jobs?limit=1"))
            .header("Authorization", "Bearer " + server.apiKey);
    if (requestId != null && !requestId.isEmpty() && requestId.chars().allMatch(c -> c < 128)) {
      b.header("X-Request-Id", requestId);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }
}
