package dev.quarry.server.it;

import org.junit.jupiter.api.BeforeAll;

/** Parallel transfers on an S3 store (s3proxy): the server of the Lambda tests. */
class ParallelTransferS3Test extends ParallelTransferContract {
  private static LambdaStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = LambdaStack.get();
  }

  @Override
  String grpcTarget() {
    return stack.grpcTarget;
  }

  @Override
  String restUrl() {
    return stack.server.restUrl();
  }
}
