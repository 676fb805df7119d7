package dev.quarry.azure.emulator.child;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The child JVM's main class: loads the function's entry point ({@code class.method} of {@code
 * function.json}), then answers request frames from stdin with response frames on stdout. What the
 * function prints goes to stderr (stdout carries the frames). An uncaught exception from the
 * function answers 500, as the Functions host does.
 */
public final class FunctionChildMain {

  private FunctionChildMain() {}

  /**
   * @param args the entry point ({@code com.example.Fn.run}) and the function's name
   */
  public static void main(String[] args) throws Exception {
    DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024));
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    DataInputStream in =
        new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
    String entryPoint = args[0];
    String functionName = args[1];
    int dot = entryPoint.lastIndexOf('.');
    Class<?> type = Class.forName(entryPoint.substring(0, dot));
    Method method = find(type, entryPoint.substring(dot + 1));
    Object target =
        Modifier.isStatic(method.getModifiers())
            ? null
            : type.getDeclaredConstructor().newInstance();
    boolean binary = bodyIsBinary(method);
    Logger logger = Logger.getLogger("Function." + functionName);
    while (true) {
      Frames.Message request;
      try {
        request = Frames.read(in);
      } catch (EOFException e) {
        return;
      }
      Frames.write(out, invoke(method, target, binary, functionName, logger, request));
    }
  }

  private static Frames.Message invoke(
      Method method,
      Object target,
      boolean binary,
      String functionName,
      Logger logger,
      Frames.Message request) {
    Object body =
        request.body().length == 0
            ? Optional.empty()
            : Optional.of(
                binary ? request.body() : new String(request.body(), StandardCharsets.UTF_8));
    HttpRequestMessage<?> message = new ChildRequest<>(request, body);
    ExecutionContext context =
        new ExecutionContext() {
          @Override
          public Logger getLogger() {
            return logger;
          }

          @Override
          public String getInvocationId() {
            return request.invocationId();
          }

          @Override
          public String getFunctionName() {
            return functionName;
          }
        };
    try {
      Object[] params = new Object[method.getParameterCount()];
      Class<?>[] types = method.getParameterTypes();
      for (int i = 0; i < params.length; i++) {
        params[i] = types[i] == ExecutionContext.class ? context : message;
      }
      HttpResponseMessage response = (HttpResponseMessage) method.invoke(target, params);
      return answer(request.invocationId(), response);
    } catch (InvocationTargetException e) {
      return failure(request.invocationId(), e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      return failure(request.invocationId(), e);
    }
  }

  private static Frames.Message answer(String id, HttpResponseMessage r) {
    Object b = r.getBody();
    byte[] body =
        b == null
            ? new byte[0]
            : b instanceof byte[] bytes ? bytes : b.toString().getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = r instanceof ChildRequest.Response cr ? cr.headers() : Map.of();
    return new Frames.Message(id, "", "", r.getStatusCode(), headers, body);
  }

  private static Frames.Message failure(String id, Throwable t) {
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    System.err.println("Executed 'Functions' (Failed, Id=" + id + ")\n" + trace);
    return new Frames.Message(id, "", "", 500, Map.of(), new byte[0]);
  }

  private static Method find(Class<?> type, String name) throws NoSuchMethodException {
    for (Method m : type.getMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name);
  }

  /** Whether the trigger parameter is {@code HttpRequestMessage<Optional<byte[]>>}. */
  private static boolean bodyIsBinary(Method m) {
    for (Type t : m.getGenericParameterTypes()) {
      if (t instanceof ParameterizedType p
          && p.getRawType() == HttpRequestMessage.class
          && p.getActualTypeArguments()[0] instanceof ParameterizedType opt
          && opt.getActualTypeArguments()[0] == byte[].class) {
        return true;
      }
    }
    return false;
  }
}
