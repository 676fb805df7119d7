package dev.quarry.server.dispatch;

import dev.quarry.proto.v1.InvocationSummary;
import org.springframework.stereotype.Component;

/**
 * How many invocations to keep open on a budget: a platform's exactly its slots; the local pool its
 * slots plus a backlog of about half a second of work at the recent invocation time, so fast
 * invocations never wait for the next claim and slow ones are not queued past their lease.
 */
@Component
class AdaptiveBacklog {
  private static final int MAX_BACKLOG_FACTOR = 16;
  private static final double BACKLOG_MS = 500;
  private volatile double avgInvocationMs = 100;

  /**
   * @param slots the budget's capacity
   * @param queuesBacklog whether the budget's backends queue work beyond their slots (the local
   *     pool does; a platform throttles instead)
   */
  int limit(int slots, boolean queuesBacklog) {
    if (!queuesBacklog) {
      return slots;
    }
    double avg = Math.max(0.05, avgInvocationMs);
    int backlog = (int) Math.min(slots * (double) MAX_BACKLOG_FACTOR, slots * BACKLOG_MS / avg);
    return slots + backlog;
  }

  /** Learns the recent invocation time (an exponential moving average). */
  void observe(InvocationSummary summary) {
    long ms = summary.getEndMs() - summary.getStartMs();
    if (ms >= 0) {
      avgInvocationMs = avgInvocationMs * 0.9 + ms * 0.1;
    }
  }
}
