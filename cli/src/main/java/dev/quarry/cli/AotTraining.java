package dev.quarry.cli;

import dev.quarry.proto.v1.GetJobRequest;
import dev.quarry.proto.v1.Job;
import dev.quarry.proto.v1.JobServiceGrpc;
import dev.quarry.proto.v1.JobState;
import dev.quarry.proto.v1.ListJobsRequest;
import dev.quarry.proto.v1.ListJobsResponse;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's training run: the JVM records the classes (and, on Java 25, their linking and
 * profiles) that the everyday commands ({@code jobs list}, {@code jobs get}) use, into an
 * ahead-of-time cache that later runs map instead of loading them again. It needs no Quarry server:
 * the commands talk to a stand-in on a free loopback port that answers {@code ListJobs} and {@code
 * GetJob}, with an empty home folder, and print nothing.
 */
public final class AotTraining {
  private static final String KEY = "qk_training_0123456789abcdef0123456789";

  private AotTraining() {}

  public static void main(String[] args) throws Exception {
    Path home = Files.createTempDirectory("quarry-training");
    Server server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(new StandIn())
            .build()
            .start();
    try {
      String target = "127.0.0.1:" + server.getPort();
      String job = "00000000-0000-0000-0000-000000000001";
      for (String[] line :
          // only the everyday path: every class in the cache is loaded at each start, so a cache
          // that also held Jackson and every command's model made `jobs list` about 12 % slower
          new String[][] {{"jobs", "list"}, {"jobs", "get", job}}) {
        String[] withServer = new String[line.length + 4];
        withServer[0] = "--server";
        withServer[1] = target;
        withServer[2] = "--key";
        withServer[3] = KEY;
        System.arraycopy(line, 0, withServer, 4, line.length);
        QuarryCli.run(quiet(home), withServer);
      }
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      Files.deleteIfExists(home);
    }
  }

  private static Env quiet(Path home) {
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    return new Env(
        nowhere,
        nowhere,
        new ByteArrayInputStream(new byte[0]),
        Map.of(),
        name -> name.equals("user.home") ? home.toString() : System.getProperty(name),
        false,
        Clock.systemUTC());
  }

  /** Answers the calls of the trained commands with a finished job. */
  private static final class StandIn extends JobServiceGrpc.JobServiceImplBase {
    private static Job job(String id) {
      return Job.newBuilder()
          .setId(id)
          .setFunctionName("echo")
          .setState(JobState.JOB_STATE_SUCCEEDED)
          .setTotal(3)
          .setSucceeded(3)
          .setCreatedAtMs(1)
          .setFinishedAtMs(2)
          .build();
    }

    @Override
    public void listJobs(ListJobsRequest r, StreamObserver<ListJobsResponse> out) {
      out.onNext(ListJobsResponse.newBuilder().addJobs(job("training")).build());
      out.onCompleted();
    }

    @Override
    public void getJob(GetJobRequest r, StreamObserver<Job> out) {
      out.onNext(job(r.getJobId()));
      out.onCompleted();
    }
  }
}
