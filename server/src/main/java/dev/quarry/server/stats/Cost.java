package dev.quarry.server.stats;

import dev.quarry.server.backend.Pricing;

/**
 * A cost estimate from the backend's pricing settings, never a bill: GB-seconds times the price of
 * one, plus invocations times the price of a request. Backends without a cost model (local
 * processes, machines of one's own) give {@code available=false} and say why.
 *
 * @param gbSeconds memory size (GB) times billed duration (s), over the job's invocations
 * @param invocations invocations billed (futures run in one invocation count once)
 */
public record Cost(
    boolean available,
    String reason,
    String currency,
    double total,
    double compute,
    double requests,
    double gbSeconds,
    long invocations,
    double pricePerGbSecond,
    double pricePerMillionRequests) {

  /** No cost model, for {@code reason}. */
  public static Cost none(String reason) {
    return new Cost(false, reason, "", 0, 0, 0, 0, 0, 0, 0);
  }

  /** The estimate of {@code gbSeconds} and {@code invocations} at {@code pricing}. */
  public static Cost estimate(Pricing pricing, double gbSeconds, long invocations) {
    double compute = gbSeconds * pricing.perGbSecond();
    double requests = invocations * pricing.perMillionRequests() / 1_000_000;
    return new Cost(
        true,
        "",
        pricing.currency(),
        compute + requests,
        compute,
        requests,
        gbSeconds,
        invocations,
        pricing.perGbSecond(),
        pricing.perMillionRequests());
  }
}
