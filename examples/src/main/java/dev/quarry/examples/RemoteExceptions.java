package dev.quarry.examples;

import dev.quarry.client.*;
import java.util.List;
import java.util.concurrent.ExecutionException;

/** A function's exception comes back with its remote class, message and stack trace. */
public final class RemoteExceptions {
  public static void main(String[] args) throws InterruptedException {
    // README:begin
    try (var fexec = FunctionExecutor.connect("localhost:9090")) {
      SerializableFunction<Integer, Integer> inverse = x -> 100 / x;
      try {
        fexec.callAsync(inverse, 0).get();
      } catch (ExecutionException e) {
        var remote = (RemoteFunctionException) e.getCause();
        System.out.println(remote.remoteClassName() + ": " + remote.remoteMessage());
      }
      try {
        fexec.getResult(fexec.map(inverse, List.of(50, 0)));
      } catch (RemoteFunctionException e) {
        System.out.println("getResult throws it as is: " + e.remoteClassName());
      }
    }
    // README:end
  }
}
