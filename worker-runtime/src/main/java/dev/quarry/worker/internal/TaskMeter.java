package dev.quarry.worker.internal;

import dev.quarry.proto.v1.TaskOutcome;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * What one task cost the worker, measured while it runs: CPU time of the thread that runs the
 * function (threads the function starts itself are not counted), the JVM's peak heap use (the heap
 * pools' peaks are reset when the task starts; in a JVM that runs several invocations at once it is
 * their shared peak), and the bytes of its input, result and context-storage traffic.
 *
 * <p>One meter per task, used by the thread that runs it; the byte counters may also be bumped by
 * threads the function starts for context storage calls.
 */
public final class TaskMeter {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final List<MemoryPoolMXBean> HEAP =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP && p.isValid())
          .toList();

  private final long cpuStart;
  private final AtomicLong read = new AtomicLong();
  private final AtomicLong written = new AtomicLong();

  private TaskMeter() {
    for (MemoryPoolMXBean pool : HEAP) {
      pool.resetPeakUsage();
    }
    cpuStart = threadCpu();
  }

  /** Starts measuring the current thread's task. */
  public static TaskMeter start() {
    return new TaskMeter();
  }

  public void read(long bytes) {
    read.addAndGet(bytes);
  }

  public void written(long bytes) {
    written.addAndGet(bytes);
  }

  /**
   * The context handed to a context function, counting the data its storage reads return and its
   * writes send.
   */
  public BiFunction<String, Object[], @Nullable Object> counting(
      BiFunction<String, Object[], @Nullable Object> context) {
    return (op, args) -> {
      if ("write".equals(op) && args.length > 2 && args[2] instanceof byte[] data) {
        written(data.length);
      }
      Object answer = context.apply(op, args);
      if ("read".equals(op) && answer instanceof Object[] part && part.length > 2) {
        if (part[2] instanceof byte[] data) {
          read(data.length);
        }
      }
      return answer;
    };
  }

  /** Sets the measured figures on {@code outcome}; call on the thread that ran the task. */
  public TaskOutcome.Builder finish(TaskOutcome.Builder outcome) {
    long cpu = threadCpu();
    long peak = 0;
    for (MemoryPoolMXBean pool : HEAP) {
      var usage = pool.getPeakUsage();
      if (usage != null) {
        peak += usage.getUsed();
      }
    }
    return outcome
        .setCpuMs(cpu < 0 || cpuStart < 0 ? 0 : Math.max(0, (cpu - cpuStart) / 1_000_000))
        .setPeakMemoryBytes(peak)
        .setBytesRead(read.get())
        .setBytesWritten(written.get());
  }

  private static long threadCpu() {
    try {
      return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    } catch (UnsupportedOperationException e) {
      return -1;
    }
  }
}
