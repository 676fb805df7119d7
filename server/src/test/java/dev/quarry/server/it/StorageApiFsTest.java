package dev.quarry.server.it;

import dev.quarry.storage.ObjectStore;
import org.junit.jupiter.api.BeforeAll;

/** The Storage API on the shared test server's filesystem store. */
class StorageApiFsTest extends StorageApiContract {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.get();
  }

  @Override
  String restUrl() {
    return server.restUrl();
  }

  @Override
  String operatorKey() {
    return TestServer.OPERATOR_KEY;
  }

  @Override
  ObjectStore store() {
    return server.context.getBean(ObjectStore.class);
  }
}
