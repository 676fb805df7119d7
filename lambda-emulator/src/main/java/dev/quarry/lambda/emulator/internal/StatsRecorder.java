package dev.quarry.lambda.emulator.internal;

import dev.quarry.lambda.emulator.EmulatorStats;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The emulator's counters; contention-free increments, consistent-enough snapshots. */
final class StatsRecorder {

  final LongAdder invocations = new LongAdder();
  final LongAdder coldStarts = new LongAdder();
  final LongAdder throttled = new LongAdder();
  final LongAdder serverErrors = new LongAdder();
  final LongAdder crashes = new LongAdder();
  final LongAdder timeouts = new LongAdder();
  final LongAdder functionErrors = new LongAdder();
  final LongAdder slowResponses = new LongAdder();
  final LongAdder instancesStarted = new LongAdder();
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
    return new EmulatorStats(
        invocations.sum(),
        coldStarts.sum(),
        throttled.sum(),
        serverErrors.sum(),
        crashes.sum(),
        timeouts.sum(),
        functionErrors.sum(),
        slowResponses.sum(),
        instancesStarted.sum(),
        calls);
  }
}
