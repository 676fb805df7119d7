package dev.quarry.examples;

import dev.quarry.client.*;

/** A refused call says why in a stable reason that programs branch on (never the message text). */
public final class ApiErrors {
  public static void main(String[] args) {
    // README:begin
    try (var fexec = FunctionExecutor.connect("localhost:9090")) {
      try {
        fexec.getJob("00000000-0000-0000-0000-000000000000");
      } catch (QuarryException e) {
        if (e.reason() == ErrorReason.JOB_NOT_FOUND) {
          System.out.println(e.code() + " " + e.reason() + ": " + e.description());
        }
      }
    }
    // README:end
  }
}
