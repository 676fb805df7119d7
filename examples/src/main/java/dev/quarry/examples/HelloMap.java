package dev.quarry.examples;

import dev.quarry.client.*;
import java.util.List;

/** The quick start: one call, then a map. */
public final class HelloMap {
  public static void main(String[] args) throws Exception {
    // README:begin
    try (var fexec = FunctionExecutor.connect("localhost:9090")) {
      JobFuture<String> f = fexec.callAsync(name -> "Hello " + name + "!", "World");
      System.out.println(f.get());
      var futures = fexec.map(x -> x * 2, List.of(1, 2, 3, 4));
      System.out.println(fexec.getResult(futures));
    }
    // README:end
  }
}
