package dev.quarry.lambda.emulator.internal;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** One invocation in flight: its input, and the futures its instance completes. */
final class Invocation {

  final String requestId;
  final byte[] payload;
  final @Nullable String clientContext;
  final String functionArn;
  final boolean injectCrash;

  /** Completed when the runtime received the invocation (its {@code next} returned it). */
  final CompletableFuture<Void> delivered = new CompletableFuture<>();

  /** Completed once, by whichever comes first: response, error, crash, timeout. */
  final CompletableFuture<InvocationOutcome> outcome = new CompletableFuture<>();

  volatile long deliveredNanos;

  Invocation(
      String requestId,
      byte[] payload,
      @Nullable String clientContext,
      String functionArn,
      boolean injectCrash) {
    this.requestId = requestId;
    this.payload = payload;
    this.clientContext = clientContext;
    this.functionArn = functionArn;
    this.injectCrash = injectCrash;
  }

  void markDelivered() {
    deliveredNanos = System.nanoTime();
    delivered.complete(null);
  }

  /** Completes the outcome unless already completed; true if this call completed it. */
  boolean complete(InvocationOutcome o) {
    return outcome.complete(o);
  }
}
