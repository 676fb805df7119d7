package dev.quarry.examples;

import dev.quarry.client.*;
import java.util.List;

/**
 * A map over the futures of an earlier map: the server reads their stored results and feeds them to
 * the new map, so the client downloads nothing in between.
 */
public final class ChainedMaps {
  public static void main(String[] args) throws Exception {
    // README:begin
    try (var fexec = FunctionExecutor.connect("localhost:9090")) {
      List<JobFuture<Integer>> squares = fexec.map((Integer x) -> x * x, List.of(1, 2, 3, 4));
      fexec.waitFor(squares, WaitMode.ALL_COMPLETED);
      List<JobFuture<String>> labels = fexec.mapResults((Integer s) -> "square " + s, squares);
      System.out.println(fexec.getResult(labels));
    }
    // README:end
  }
}
