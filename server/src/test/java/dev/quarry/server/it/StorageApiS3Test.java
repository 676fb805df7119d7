package dev.quarry.server.it;

import dev.quarry.storage.ObjectStore;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Storage API on an S3 store (s3proxy): the server of the Lambda tests, which CI starts anyway.
 */
class StorageApiS3Test extends StorageApiContract {
  private static LambdaStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = LambdaStack.get();
  }

  @Override
  String restUrl() {
    return stack.server.restUrl();
  }

  @Override
  String operatorKey() {
    return TestServer.OPERATOR_KEY;
  }

  @Override
  ObjectStore store() {
    return stack.context.getBean(ObjectStore.class);
  }
}
