package dev.quarry.azure.emulator.internal;

import dev.quarry.azure.emulator.child.Frames;
import dev.quarry.emulator.inprocess.InProcessFunction;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance whose function body is an {@link InProcessFunction} in the emulator's JVM: 200 with
 * its bytes as JSON, 500 with an empty body when it throws (as the host answers for a function that
 * threw), killed when it overruns or an injected crash hits it.
 */
final class InProcessInstance implements FunctionInstance {

  private static final Logger log = LoggerFactory.getLogger(InProcessInstance.class);

  private final Deployment deployment;
  private final InProcessFunction function;
  private volatile boolean dead;

  InProcessInstance(Deployment deployment, InProcessFunction function) {
    this.deployment = deployment;
    this.function = function;
  }

  @Override
  public Deployment deployment() {
    return deployment;
  }

  @Override
  public boolean isAlive() {
    return !dead;
  }

  @Override
  public void kill() {
    dead = true;
  }

  @Override
  public Result run(Frames.Message request, int timeoutSeconds, boolean crash)
      throws InterruptedException {
    long start = System.nanoTime();
    if (crash) {
      dead = true;
      return new Result(Kind.CRASHED, null, System.nanoTime() - start, 0);
    }
    CompletableFuture<Frames.Message> answer = new CompletableFuture<>();
    Thread worker =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    answer.complete(
                        response(
                            request, 200, function.handle(request.body(), request.invocationId())));
                  } catch (Throwable t) { // NOPMD: the function's failure is its answer
                    log.debug("in-process function threw", t);
                    answer.complete(response(request, 500, new byte[0]));
                  }
                });
    try {
      Frames.Message m = answer.get(timeoutSeconds, TimeUnit.SECONDS);
      return new Result(Kind.ANSWERED, m, System.nanoTime() - start, 0);
    } catch (TimeoutException e) {
      dead = true;
      worker.interrupt();
      return new Result(Kind.TIMED_OUT, null, System.nanoTime() - start, 0);
    } catch (InterruptedException e) {
      worker.interrupt();
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Frames.Message response(Frames.Message request, int status, byte[] body) {
    return new Frames.Message(
        request.invocationId(),
        request.method(),
        request.uri(),
        status,
        status == 200 ? Map.of("Content-Type", "application/json") : Map.of(),
        body);
  }
}
