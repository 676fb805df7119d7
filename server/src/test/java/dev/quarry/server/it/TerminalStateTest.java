package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.proto.v1.GetJobRequest;
import dev.quarry.proto.v1.Input;
import dev.quarry.proto.v1.JobServiceGrpc;
import dev.quarry.proto.v1.JobState;
import dev.quarry.proto.v1.ResultOrder;
import dev.quarry.proto.v1.StreamResultsRequest;
import dev.quarry.proto.v1.SubmitMapRequest;
import dev.quarry.testkit.Http;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A job's terminal state is visible no later than its last result: a client that has read every
 * result and then asks for the job never sees it running. Many small jobs make the window (the last
 * outcome committed, the job not yet finished) likely to be hit if it exists.
 */
class TerminalStateTest {
  private static final int JOBS = 40;
  static TestServer server;
  static Http http;
  static ManagedChannel channel;
  static JobServiceGrpc.JobServiceBlockingStub grpc;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
    http = new Http(server.restUrl(), server.apiKey);
    channel = NettyChannelBuilder.forTarget(server.grpcTarget()).usePlaintext().build();
    grpc = GrpcApiTest.withKey(JobServiceGrpc.newBlockingStub(channel), server.apiKey);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void restJobIsFinishedOnceEveryResultWasReadInInputOrder() throws Exception {
    for (int i = 0; i < JOBS; i++) {
      boolean failing = i % 2 == 1;
      String body =
          failing
              ? "{\"function\":\"fail\",\"inputs\":[\"boom\"],\"maxAttempts\":1}"
              : "{\"function\":\"echo\",\"inputs\":[1,2]}";
      String id = http.post("/v1/jobs", body).json().get("id").asString();
      var lines = RestEndToEndTest.ndjson(http.get("/v1/jobs/" + id + "/results?order=input"));
      assertThat(lines).hasSize(failing ? 1 : 2);
      JsonNode job = http.get("/v1/jobs/" + id).json();
      assertThat(job.get("state").asString())
          .as("job %d right after its last result", i)
          .isEqualTo(failing ? "FAILED" : "SUCCEEDED");
    }
  }

  @Test
  void restJobIsFinishedOnceEveryResultWasReadInCompletionOrder() throws Exception {
    for (int i = 0; i < JOBS; i++) {
      String id =
          http.post("/v1/jobs", "{\"function\":\"echo\",\"inputs\":[1,2,3],\"chunkSize\":1}")
              .json()
              .get("id")
              .asString();
      assertThat(RestEndToEndTest.ndjson(http.get("/v1/jobs/" + id + "/results"))).hasSize(3);
      assertThat(http.get("/v1/jobs/" + id).json().get("state").asString())
          .as("job %d right after its last result", i)
          .isEqualTo("SUCCEEDED");
    }
  }

  @Test
  void grpcJobIsFinishedOnceEveryResultWasRead() {
    for (int i = 0; i < JOBS; i++) {
      var submitted =
          grpc.submitMap(
              SubmitMapRequest.newBuilder()
                  .setFunction("echo")
                  .addInputs(Input.newBuilder().setJson("1"))
                  .addInputs(Input.newBuilder().setJson("2"))
                  .build());
      String id = submitted.getJob().getId();
      var results =
          grpc.streamResults(
              StreamResultsRequest.newBuilder()
                  .setJobId(id)
                  .setOrder(ResultOrder.RESULT_ORDER_INPUT)
                  .build());
      int n = 0;
      while (results.hasNext()) {
        results.next();
        n++;
      }
      assertThat(n).isEqualTo(2);
      assertThat(grpc.getJob(GetJobRequest.newBuilder().setJobId(id).build()).getState())
          .as("job %d right after its last result", i)
          .isEqualTo(JobState.JOB_STATE_SUCCEEDED);
    }
  }
}
