package dev.quarry.examples;

import dev.quarry.client.*;
import java.util.ArrayList;
import java.util.List;

/** Futures of several executors (several servers, profiles or keys) in one getResult. */
public final class TwoExecutors {
  public static void main(String[] args) {
    // README:begin
    try (var first = FunctionExecutor.connect("localhost:9090");
        var second = FunctionExecutor.connect("localhost:9090")) {
      List<JobFuture<Integer>> futures = new ArrayList<>(first.map(x -> x * 2, List.of(1, 2, 3)));
      futures.addAll(second.map(x -> x * 3, List.of(1, 2, 3)));
      System.out.println(first.getResult(futures));
    }
    // README:end
  }
}
