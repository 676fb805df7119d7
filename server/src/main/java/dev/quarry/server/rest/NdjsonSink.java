package dev.quarry.server.rest;

import dev.quarry.proto.v1.RemoteError;
import dev.quarry.proto.v1.TaskResult;
import dev.quarry.server.results.ResultSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one JSON object per finished future. JSON results are embedded as they are; Java results
 * (from the Java client) as base64 of their serialized bytes.
 */
final class NdjsonSink implements ResultSink {
  private final OutputStream out;
  private final boolean json;
  private volatile boolean closed;

  NdjsonSink(OutputStream out, String codec) {
    this.out = out;
    this.json = codec.equals("JSON");
  }

  @Override
  public void send(TaskResult r) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("index", r.getIndex());
    line.put("state", r.getState().name().substring("TASK_STATE_".length()));
    line.put("attempts", r.getAttempts());
    line.put("durationMs", r.getDurationMs());
    line.put("coldStart", r.getColdStart());
    line.put("startedAtMs", r.getStartedAtMs());
    line.put("finishedAtMs", r.getFinishedAtMs());
    if (!r.getWorkerId().isEmpty()) {
      line.put("workerId", r.getWorkerId());
    }
    if (r.getMemorySizeMb() > 0) {
      line.put("billedMs", r.getBilledDurationMs());
      line.put("memoryUsedMb", r.getMemoryUsedMb());
      line.put("memorySizeMb", r.getMemorySizeMb());
    }
    try {
      if (r.hasError()) {
        line.put("error", error(r.getError()));
        write(Bodies.JSON.writeValueAsBytes(line));
      } else if (json) {
        byte[] head = Bodies.JSON.writeValueAsBytes(line);
        out.write(head, 0, head.length - 1);
        out.write(",\"result\":".getBytes(StandardCharsets.UTF_8));
        byte[] data = r.getData().toByteArray();
        out.write(data.length == 0 ? "null".getBytes(StandardCharsets.UTF_8) : data);
        out.write("}\n".getBytes(StandardCharsets.UTF_8));
      } else {
        line.put("resultBase64", Base64.getEncoder().encodeToString(r.getData().toByteArray()));
        write(Bodies.JSON.writeValueAsBytes(line));
      }
    } catch (IOException e) {
      closed = true;
      throw new UncheckedIOException("client went away", e);
    }
  }

  private void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.write('\n');
  }

  private static Map<String, Object> error(RemoteError e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", e.getType());
    m.put("message", e.getMessage());
    m.put("functionError", e.getFunctionError());
    if (!e.getStackTraceText().isEmpty()) {
      m.put("stackTrace", e.getStackTraceText());
    }
    return m;
  }

  @Override
  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      closed = true;
    }
  }

  @Override
  public boolean closed() {
    return closed;
  }
}
