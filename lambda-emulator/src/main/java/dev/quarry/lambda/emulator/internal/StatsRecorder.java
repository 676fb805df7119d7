package dev.quarry.lambda.emulator.internal;

import dev.quarry.emulator.stats.InvocationCounters;
import dev.quarry.lambda.emulator.EmulatorStats;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The emulator's counters: the shared invocation counters and calls per Lambda API operation. */
final class StatsRecorder {

  final InvocationCounters invocations = new InvocationCounters();
  private final LongAdder[] apiCalls = new LongAdder[Operation.values().length];

  StatsRecorder() {
    for (int i = 0; i < apiCalls.length; i++) {
      apiCalls[i] = new LongAdder();
    }
  }

  void apiCall(Operation op) {
    apiCalls[op.ordinal()].increment();
  }

  EmulatorStats snapshot() {
    Map<String, Integer> calls = new HashMap<>();
    for (Operation op : Operation.values()) {
      int n = apiCalls[op.ordinal()].intValue();
      if (n > 0) {
        calls.put(op.name(), n);
      }
    }
    return new EmulatorStats(invocations.snapshot(), calls);
  }
}
