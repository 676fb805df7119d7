package dev.quarry.lambda.emulator.internal;

import dev.quarry.lambda.emulator.InProcessHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** An instance whose function body is an {@link InProcessHandler} in this JVM. */
final class InProcessInstance extends Instance {

  private final InProcessHandler handler;
  private final long createdNanos = System.nanoTime();
  private volatile boolean dead;

  InProcessInstance(Deployment deployment, InProcessHandler handler) {
    super(deployment);
    this.handler = handler;
  }

  @Override
  public boolean isAlive() {
    return !dead;
  }

  @Override
  public RunResult run(Invocation inv, boolean cold) throws InterruptedException {
    long start = System.nanoTime();
    long init = cold ? start - createdNanos : -1;
    inv.markDelivered();
    if (inv.injectCrash) {
      dead = true;
      InvocationOutcome crash = InvocationOutcome.crash(inv.requestId, "signal: killed");
      return new RunResult(crash, System.nanoTime() - start, init, 0, List.of());
    }
    Thread worker = Thread.ofVirtual().start(() -> inv.complete(call(inv)));
    int timeoutSeconds = deployment().config().timeoutSeconds();
    InvocationOutcome outcome;
    try {
      outcome = inv.outcome.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      if (inv.complete(InvocationOutcome.timeout(inv.requestId, timeoutSeconds))) {
        dead = true;
        worker.interrupt();
      }
      outcome = inv.outcome.join();
    } catch (InterruptedException e) {
      worker.interrupt();
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    long duration =
        outcome.kind() == InvocationOutcome.Kind.TIMEOUT
            ? TimeUnit.SECONDS.toNanos(timeoutSeconds)
            : outcome.atNanos() - start;
    return new RunResult(outcome, duration, init, 0, List.of());
  }

  private InvocationOutcome call(Invocation inv) {
    try {
      return InvocationOutcome.success(handler.handle(inv.payload, inv.requestId));
    } catch (Throwable t) {
      return InvocationOutcome.functionError(errorJson(t), t.getClass().getName());
    }
  }

  /** The error JSON the Java runtime reports for an uncaught throwable. */
  static byte[] errorJson(Throwable t) {
    ObjectNode node = Json.object();
    node.put("errorMessage", t.getMessage() != null ? t.getMessage() : t.getClass().getName());
    node.put("errorType", t.getClass().getName());
    ArrayNode trace = node.putArray("stackTrace");
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, 50); i++) {
      trace.add(frames[i].toString());
    }
    return Json.bytes(node);
  }

  @Override
  public void kill() {
    dead = true;
  }

  @Override
  public CompletableFuture<?> terminated() {
    return CompletableFuture.completedFuture(null);
  }
}
