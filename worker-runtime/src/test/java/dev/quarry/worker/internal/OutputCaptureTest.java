package dev.quarry.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class OutputCaptureTest {
  private final ByteArrayOutputStream pipe = new ByteArrayOutputStream();
  private final PrintStream routing =
      OutputCapture.routing(new PrintStream(pipe, true, StandardCharsets.UTF_8));

  @Test
  void twoThreadsCapturingAtOnceKeepTheirOwnLinesAndTheOriginalStreamGetsNone() throws Exception {
    CyclicBarrier step = new CyclicBarrier(2);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      Future<String> a = pool.submit(() -> printInLockstep("a", step));
      Future<String> b = pool.submit(() -> printInLockstep("b", step));

      assertThat(a.get()).isEqualTo("a0\na1\na2\na3\na4\n");
      assertThat(b.get()).isEqualTo("b0\nb1\nb2\nb3\nb4\n");
    }
    assertThat(pipe.size()).isZero();
  }

  @Test
  void writesOfThreadsThatDoNotCaptureGoToTheOriginalStream() {
    try (OutputCapture.Capture c = OutputCapture.start(100)) {
      c.close();
      routing.print("after close");
      assertThat(c.bytes()).isEmpty();
    }
    routing.print("plain");
    assertThat(pipe.toString(StandardCharsets.UTF_8)).isEqualTo("after closeplain");
  }

  @Test
  void keepsAtMostTheLimitAndSaysHowManyBytesWereDropped() {
    byte[] captured;
    try (OutputCapture.Capture c = OutputCapture.start(10)) {
      routing.print("0123456789abc");
      routing.print("def");
      captured = c.bytes();
    }
    assertThat(new String(captured, StandardCharsets.UTF_8))
        .isEqualTo("0123456789\n...[truncated 6 bytes]\n");
    assertThat(pipe.size()).isZero();
  }

  @Test
  void refusesASecondCaptureOnTheSameThread() {
    try (OutputCapture.Capture c = OutputCapture.start(10)) {
      assertThatThrownBy(() -> OutputCapture.start(10)).isInstanceOf(IllegalStateException.class);
    }
  }

  private String printInLockstep(String name, CyclicBarrier step) throws Exception {
    try (OutputCapture.Capture c = OutputCapture.start(1000)) {
      for (int i = 0; i < 5; i++) {
        step.await();
        routing.println(name + i);
      }
      return new String(c.bytes(), StandardCharsets.UTF_8);
    }
  }
}
