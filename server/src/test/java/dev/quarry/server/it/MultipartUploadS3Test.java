package dev.quarry.server.it;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.context.ApplicationContext;

/** Multipart uploads on an S3 store (s3proxy): the server of the Lambda tests. */
class MultipartUploadS3Test extends MultipartUploadContract {
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

  @Override
  ApplicationContext context() {
    return stack.context;
  }
}
