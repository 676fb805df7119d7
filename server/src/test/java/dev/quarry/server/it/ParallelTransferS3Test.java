package dev.quarry.server.it;

import org.junit.jupiter.api.BeforeAll;

/** Parallel transfers on an S3 store (s3proxy): the server of the Lambda tests. */
class ParallelTransferS3Test extends ParallelTransferContract {
  private static LambdaStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = LambdaStack.get();
  }

  /** Half the filesystem's round trip: s3proxy stores the bytes again, so keep the test short. */
  @Override
  long largeSize() {
    return (100L << 20) + 12_345;
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
