package dev.quarry.server.it;

import org.junit.jupiter.api.BeforeAll;

/** Parallel transfers on the shared test server's filesystem store. */
class ParallelTransferFsTest extends ParallelTransferContract {
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
}
