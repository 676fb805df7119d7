package dev.quarry.server.it;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ApplicationContext;

/** Multipart uploads on the shared test server's filesystem store. */
class MultipartUploadFsTest extends MultipartUploadContract {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
  }

  @Override
  String grpcTarget() {
    return server.grpcTarget();
  }

  @Override
  String restUrl() {
    return server.restUrl();
  }

  @Override
  ApplicationContext context() {
    return server.context;
  }
}
