package dev.quarry.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.quarry.client.QuarryException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class ResultDecoderTest {
  private final List<Runnable> queued = new ArrayList<>();
  private final ResultDecoder decoder =
      new ResultDecoder(
          List.of(getClass().getClassLoader()),
          queued::add,
          () -> new IllegalStateException("closed"));

  @Test
  void smallResultsAreDecodedAtOnceAndLargeOnesOnTheExecutor() throws Exception {
    TaskHandle small = TaskHandle.detached("j", "j:0", 0);
    decoder.deliver(small, ByteString.copyFrom(ObjectStreams.serialize("hi")));
    assertThat(small.promise().get()).isEqualTo("hi");

    TaskHandle large = TaskHandle.detached("j", "j:1", 1);
    byte[] big = new byte[ResultDecoder.INLINE_BYTES * 2];
    decoder.deliver(large, ByteString.copyFrom(ObjectStreams.serialize(big)));
    assertThat(large.promise().isDone()).isFalse();
    queued.forEach(Runnable::run);
    assertThat((byte[]) large.promise().get()).hasSize(big.length);
  }

  @Test
  void emptyDataIsNullAndGarbageIsAClearError() throws Exception {
    TaskHandle empty = TaskHandle.detached("j", "j:0", 0);
    decoder.deliver(empty, ByteString.EMPTY);
    assertThat(empty.promise().get()).isNull();

    TaskHandle garbage = TaskHandle.detached("j", "j:1", 1);
    decoder.deliver(garbage, ByteString.copyFromUtf8("not java serialization"));
    assertThatThrownBy(() -> garbage.promise().get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(QuarryException.class)
        .hasMessageContaining("cannot read the result of task j:1");
  }

  @Test
  void aRejectedLargeResultFailsWithTheClosedError() {
    ResultDecoder closed =
        new ResultDecoder(
            List.of(),
            r -> {
              throw new RejectedExecutionException();
            },
            () -> new IllegalStateException("closed"));
    TaskHandle large = TaskHandle.detached("j", "j:0", 0);
    closed.deliver(large, ByteString.copyFrom(new byte[ResultDecoder.INLINE_BYTES + 1]));
    assertThatThrownBy(() -> large.promise().get()).cause().hasMessage("closed");
  }
}
