package dev.quarry.azure.emulator.testfn;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Echoes the body with the JVM's pid; {@code exit} exits the JVM, {@code throw} throws. */
public final class EchoFunction {

  @FunctionName("echo")
  public HttpResponseMessage run(
      @HttpTrigger(
              name = "req",
              methods = {HttpMethod.POST},
              authLevel = AuthorizationLevel.FUNCTION,
              dataType = "binary")
          HttpRequestMessage<Optional<byte[]>> request,
      ExecutionContext context) {
    String body = new String(request.getBody().orElse(new byte[0]), StandardCharsets.UTF_8);
    switch (body) {
      case "exit" -> Runtime.getRuntime().halt(3);
      case "throw" -> throw new IllegalStateException("boom");
      default -> {}
    }
    return request
        .createResponseBuilder(HttpStatus.OK)
        .header("X-Pid", Long.toString(ProcessHandle.current().pid()))
        .header("X-Setting", String.valueOf(System.getenv("GREETING")))
        .body(("echo:" + body).getBytes(StandardCharsets.UTF_8))
        .build();
  }
}
