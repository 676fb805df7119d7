package dev.quarry.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.proto.v1.TaskOutcome;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class TaskMeterTest {
  @Test
  void countsContextStorageReadsAndWritesThroughTheBridge() {
    TaskMeter meter = TaskMeter.start();
    var counted =
        meter.counting(
            (op, args) ->
                switch (op) {
                  case "read" -> new Object[] {10L, "etag", new byte[10]};
                  case "write" -> null;
                  default -> "other";
                });

    counted.apply("read", new Object[] {"b", "k", 0L, 100});
    counted.apply("write", new Object[] {"b", "k", new byte[7]});
    counted.apply("list", new Object[] {"b", "", null});
    meter.read(3);
    meter.written(5);
    TaskOutcome o = meter.finish(TaskOutcome.newBuilder()).build();

    assertThat(o.getBytesRead()).isEqualTo(13);
    assertThat(o.getBytesWritten()).isEqualTo(12);
    assertThat(o.getPeakMemoryBytes()).isPositive();
  }

  @Test
  void measuresTheCpuTimeOfItsThread() {
    var threads = ManagementFactory.getThreadMXBean();
    TaskMeter meter = TaskMeter.start();
    long until = threads.getCurrentThreadCpuTime() + 50_000_000L;
    while (threads.getCurrentThreadCpuTime() < until) {
      Thread.onSpinWait();
    }

    assertThat(meter.finish(TaskOutcome.newBuilder()).getCpuMs()).isGreaterThanOrEqualTo(50);
  }
}
