package dev.quarry.examples;

import dev.quarry.client.*;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** Code written for java.util.concurrent runs remotely through the ExecutorService view. */
public final class ExecutorServiceView {
  public static void main(String[] args) throws Exception {
    // README:begin
    try (var fexec = FunctionExecutor.connect("localhost:9090")) {
      ExecutorService pool = fexec.asExecutorService();
      Future<Integer> answer = pool.submit((Callable<Integer> & Serializable) () -> 6 * 7);
      System.out.println(answer.get());
      List<Callable<String>> tasks =
          List.of(
              (Callable<String> & Serializable) () -> "a".repeat(3),
              (Callable<String> & Serializable) () -> "b".toUpperCase());
      for (Future<String> f : pool.invokeAll(tasks)) {
        System.out.println(f.get());
      }
      pool.shutdown();
    }
    // README:end
  }
}
