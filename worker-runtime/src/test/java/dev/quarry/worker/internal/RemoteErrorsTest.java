package dev.quarry.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.proto.v1.RemoteError;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RemoteErrorsTest {

  @Test
  void includesCausesInTheTraceText() {
    RemoteError error =
        RemoteErrors.of(new IllegalStateException("outer", new IOException("inner")), true);

    assertThat(error.getType()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.getStackTraceText()).contains("Caused by: java.io.IOException: inner");
    assertThat(error.getFunctionError()).isTrue();
  }

  @Test
  void capsTheTraceTextAndFrameCount() {
    RuntimeException huge = new RuntimeException("x".repeat(200_000));
    StackTraceElement frame = new StackTraceElement("C", "m", null, -1);
    StackTraceElement[] frames = new StackTraceElement[1000];
    Arrays.fill(frames, frame);
    huge.setStackTrace(frames);

    RemoteError error = RemoteErrors.of(huge, false);

    assertThat(error.getStackTraceText())
        .hasSize(RemoteErrors.MAX_TRACE_CHARS)
        .endsWith("(truncated)");
    assertThat(error.getStackList()).hasSize(RemoteErrors.MAX_FRAMES);
    assertThat(error.getStack(0).getFileName()).isEmpty();
  }
}
