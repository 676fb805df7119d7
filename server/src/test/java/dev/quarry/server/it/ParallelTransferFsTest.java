package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.proto.v1.GetObjectRequest;
import dev.quarry.proto.v1.StorageServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parallel transfers on the shared test server's filesystem store. */
class ParallelTransferFsTest extends ParallelTransferContract {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
  }

  /** The store plays no part in this: checked once, here. */
  @Test
  void refusesAnOverlongIfMatch() {
    storage.putObject(bucket, "small.txt", "hello");
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(server.grpcTarget()).usePlaintext().build();
    try {
      var stub =
          StorageServiceGrpc.newBlockingStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
      GetObjectRequest request =
          GetObjectRequest.newBuilder()
              .setBucket(bucket)
              .setKey("small.txt")
              .setIfMatch("\"" + "a".repeat(127) + "\"")
              .build();
      assertThatThrownBy(() -> stub.getObject(request).next())
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).contains("if_match");
              });
    } finally {
      channel.shutdownNow();
    }
  }

  @Override
  String grpcTarget() {
    return server.grpcTarget();
  }

  @Override
  String restUrl() {
    return server.restUrl();
  }
}
