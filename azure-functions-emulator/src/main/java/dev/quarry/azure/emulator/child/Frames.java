package dev.quarry.azure.emulator.child;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The framing between the emulator and a child JVM over the child's stdin and stdout: one request
 * frame in, one response frame out, per invocation.
 */
public final class Frames {

  /** Larger bodies are refused (Azure's HTTP trigger limit is 100 MB; ours is lower). */
  public static final int MAX_BODY = 32 * 1024 * 1024;

  private static final int MAX_HEADERS = 256;

  private Frames() {}

  /** An HTTP request or response as it crosses the pipe. */
  public record Message(
      String invocationId,
      String method,
      String uri,
      int status,
      Map<String, String> headers,
      byte[] body) {}

  public static void write(DataOutputStream out, Message m) throws IOException {
    out.writeUTF(m.invocationId());
    out.writeUTF(m.method());
    out.writeUTF(m.uri());
    out.writeInt(m.status());
    out.writeInt(m.headers().size());
    for (Map.Entry<String, String> h : m.headers().entrySet()) {
      out.writeUTF(h.getKey());
      out.writeUTF(h.getValue());
    }
    out.writeInt(m.body().length);
    out.write(m.body());
    out.flush();
  }

  /**
   * @throws java.io.EOFException if the other side closed the pipe
   * @throws IOException if the frame is malformed
   */
  public static Message read(DataInputStream in) throws IOException {
    String id = in.readUTF();
    String method = in.readUTF();
    String uri = in.readUTF();
    int status = in.readInt();
    int n = in.readInt();
    if (n < 0 || n > MAX_HEADERS) {
      throw new IOException("bad header count " + n);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      headers.put(in.readUTF(), in.readUTF());
    }
    int len = in.readInt();
    if (len < 0 || len > MAX_BODY) {
      throw new IOException("bad body length " + len);
    }
    byte[] body = in.readNBytes(len);
    if (body.length != len) {
      throw new java.io.EOFException("truncated body");
    }
    return new Message(id, method, uri, status, headers, body);
  }
}
