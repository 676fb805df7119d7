package dev.quarry.lambda.emulator.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The function the tests deploy (zipped with only aws-lambda-java-core). The payload's {@code
 * action} picks the behaviour: {@code echo}, {@code sleep} ({@code ms}), {@code throw} ({@code
 * message}), {@code exit} ({@code status}), {@code print} ({@code lines} lines to stdout and one to
 * stderr), {@code env} ({@code name}). Every answer but echo carries the instance's pid.
 */
public class TestHandler implements RequestStreamHandler {

  static {
    System.out.println("TestHandler initialising");
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    String payload = new String(input.readAllBytes(), StandardCharsets.UTF_8);
    String action = field(payload, "action", "echo");
    long pid = ProcessHandle.current().pid();
    String answer;
    switch (action) {
      case "echo" -> answer = payload;
      case "sleep" -> {
        long ms = Long.parseLong(field(payload, "ms", "0"));
        try {
          Thread.sleep(ms);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        answer = "{\"slept\":" + ms + ",\"pid\":" + pid + "}";
      }
      case "throw" -> throw new IllegalStateException(field(payload, "message", "boom"));
      case "exit" -> {
        System.out.println("exiting");
        System.exit(Integer.parseInt(field(payload, "status", "1")));
        answer = "unreachable";
      }
      case "print" -> {
        int lines = Integer.parseInt(field(payload, "lines", "1"));
        for (int i = 1; i <= lines; i++) {
          System.out.println("line " + i + " of " + context.getAwsRequestId());
        }
        System.err.println("to stderr");
        answer = "{\"printed\":" + lines + ",\"pid\":" + pid + "}";
      }
      case "env" -> {
        String value = System.getenv(field(payload, "name", "PATH"));
        answer =
            "{\"value\":"
                + (value == null ? "null" : "\"" + value + "\"")
                + ",\"function\":\""
                + context.getFunctionName()
                + "\",\"memory\":"
                + context.getMemoryLimitInMB()
                + ",\"pid\":"
                + pid
                + "}";
      }
      default -> throw new IllegalArgumentException("unknown action " + action);
    }
    output.write(answer.getBytes(StandardCharsets.UTF_8));
  }

  private static String field(String json, String name, String fallback) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(?:\"([^\"]*)\"|(-?\\d+))").matcher(json);
    if (!m.find()) {
      return fallback;
    }
    return m.group(1) != null ? m.group(1) : m.group(2);
  }
}
