package dev.quarry.examples;

import dev.quarry.client.*;
import java.time.Duration;
import java.util.List;

/** waitFor splits futures into done and not done. */
public final class WaitForFutures {
  public static void main(String[] args) {
    // README:begin
    try (var fexec = FunctionExecutor.connect("localhost:9090")) {
      SerializableFunction<Integer, Integer> slow =
          ms -> {
            try {
              Thread.sleep(ms);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return ms;
          };
      var futures = fexec.map(slow, List.of(100, 200, 300));
      WaitResult<Integer> now = fexec.waitFor(futures, WaitMode.ALWAYS, Duration.ZERO);
      System.out.println("at once: " + (now.done().size() + now.notDone().size()) + " futures");
      WaitResult<Integer> all =
          fexec.waitFor(futures, WaitMode.ALL_COMPLETED, Duration.ofMinutes(1));
      System.out.println("done " + all.done().size() + ", not done " + all.notDone().size());
      System.out.println(fexec.getResult(futures));
    }
    // README:end
  }
}
