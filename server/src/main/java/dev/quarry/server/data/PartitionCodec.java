package dev.quarry.server.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A range's description as a future's input: {@code {bucket, key, start, end, size, etag, part}}
 * for a stored object, {@code {url, privateAllowed, start, end, size, etag, part}} for a URL; JSON
 * for JSON functions, a Java-serialized {@code LinkedHashMap} of JDK values for Java functions.
 */
final class PartitionCodec {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private PartitionCodec() {}

  private static Map<String, @Nullable Object> describe(Partition p) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    if (p.url().isEmpty()) {
      m.put("bucket", p.bucket());
      m.put("key", p.key());
    } else {
      m.put("url", p.url());
      m.put("privateAllowed", p.privateAllowed());
    }
    m.put("start", p.start());
    m.put("end", p.end());
    m.put("size", p.size());
    m.put("etag", p.etag());
    m.put("part", p.part());
    return m;
  }

  static byte[] jsonBytes(Partition p) {
    return JSON.writeValueAsBytes(describe(p));
  }

  static byte[] javaBytes(Partition p) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(describe(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
