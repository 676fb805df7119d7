package dev.quarry.examples;

import dev.quarry.client.*;

/**
 * Lithops' storage example in Java: put an object, then a function reads it by key through its
 * context.
 */
public final class StorageFunctions {
  public static void main(String[] args) throws Exception {
    // README:begin
    try (var fexec = FunctionExecutor.connect("localhost:9090");
        var storage = fexec.storage()) {
      storage.putObject("my-bucket", "test.txt", "Hello World");
      JobFuture<String> future =
          fexec.callAsync(
              (String key, FunctionContext ctx) ->
                  ctx.storage().getObjectAsString("my-bucket", key).toUpperCase(),
              "test.txt");
      System.out.println(future.get());
      storage.deleteObject("my-bucket", "test.txt");
    }
    // README:end
  }
}
