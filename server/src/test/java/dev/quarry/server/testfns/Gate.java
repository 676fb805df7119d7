package dev.quarry.server.testfns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * A function that holds its task until a file exists, then returns the input's {@code value}: the
 * test decides when tasks may finish ({@code {"gate": "/path", "value": x}}; at most 5 minutes).
 */
public class Gate implements Function<Object, Object> {
  @Override
  public Object apply(Object input) {
    if (!(input instanceof Map<?, ?> map && map.get("gate") instanceof String gate)) {
      throw new IllegalArgumentException("expected {\"gate\": path, \"value\": x}, got " + input);
    }
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (!Files.exists(Path.of(gate))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the gate " + gate + " did not open");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted at the gate", e);
      }
    }
    return map.get("value");
  }
}
