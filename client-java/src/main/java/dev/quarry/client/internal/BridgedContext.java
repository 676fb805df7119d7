package dev.quarry.client.internal;

import dev.quarry.client.ContextStorage;
import dev.quarry.client.FunctionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FunctionContext} over the worker's context bridge: a {@link BiFunction} of an operation
 * name and its arguments, typed with JDK classes only because the worker's classes are not visible
 * to the function's class loader (see the worker runtime's {@code ContextBridge} for the
 * operations).
 */
public final class BridgedContext implements FunctionContext, ContextStorage {
  /** Bytes asked for per read call. */
  static final int PART = 4 << 20;

  /** Most keys {@link #listKeys} returns. */
  static final int MAX_KEYS = 100_000;

  private final BiFunction<String, Object[], @Nullable Object> bridge;

  @SuppressWarnings("unchecked")
  public BridgedContext(Object bridge) {
    if (!(bridge instanceof BiFunction<?, ?, ?>)) {
      throw new IllegalStateException(
          "the worker passed no context (" + bridge.getClass().getName() + ")");
    }
    this.bridge = (BiFunction<String, Object[], @Nullable Object>) bridge;
  }

  @Override
  public ContextStorage storage() {
    return this;
  }

  @Override
  public byte[] getObject(String bucket, String key) {
    try (InputStream in = openObject(bucket, key)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public byte[] getObject(String bucket, String key, long offset, long length) {
    try (InputStream in = openObject(bucket, key, offset, length)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String getObjectAsString(String bucket, String key) {
    return new String(getObject(bucket, key), StandardCharsets.UTF_8);
  }

  @Override
  public InputStream openObject(String bucket, String key) {
    return openObject(bucket, key, 0, Long.MAX_VALUE);
  }

  @Override
  public InputStream openObject(String bucket, String key, long offset, long length) {
    return openChecked(bucket, key, offset, length, null);
  }

  /**
   * Like {@link #openObject(String, String, long, long)}; with {@code etag}, every part read must
   * come from the object with that entity tag.
   */
  public InputStream openChecked(
      String bucket, String key, long offset, long length, @Nullable String etag) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "offset and length must not be negative, got " + offset + " and " + length);
    }
    Object[] first = readPart(bucket, key, offset, (int) Math.min(length, PART));
    return new PartStream(bucket, key, offset, length, etag, first);
  }

  @Override
  public Optional<Long> size(String bucket, String key) {
    Object @Nullable [] r = (Object @Nullable []) bridge.apply("read", args(bucket, key, 0L, 0));
    return r == null ? Optional.empty() : Optional.of((Long) r[0]);
  }

  @Override
  public void putObject(String bucket, String key, byte[] data) {
    bridge.apply("write", args(bucket, key, Objects.requireNonNull(data, "data")));
  }

  @Override
  public void putObject(String bucket, String key, String text) {
    putObject(bucket, key, text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<String> listKeys(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    String token = "";
    do {
      Object[] page =
          (Object[]) Objects.requireNonNull(bridge.apply("list", args(bucket, prefix, token)));
      for (Object[] entry : (List<Object[]>) page[0]) {
        if (keys.size() == MAX_KEYS) {
          throw new IllegalStateException(
              "more than " + MAX_KEYS + " keys under '" + bucket + "/" + prefix + "'");
        }
        keys.add((String) entry[0]);
      }
      token = (String) page[1];
    } while (!token.isEmpty());
    return keys;
  }

  @Override
  public boolean deleteObject(String bucket, String key) {
    return Boolean.TRUE.equals(bridge.apply("delete", args(bucket, key)));
  }

  /** {@code {Long size, String etag, byte[] data}}; missing objects throw. */
  private Object[] readPart(String bucket, String key, long offset, int length) {
    Object @Nullable [] r =
        (Object @Nullable []) bridge.apply("read", args(bucket, key, offset, length));
    if (r == null) {
      throw new UncheckedIOException(new NoSuchFileException(bucket + "/" + key));
    }
    return r;
  }

  private static Object[] args(Object... args) {
    for (Object a : args) {
      Objects.requireNonNull(a, "bucket, key and prefix must not be null");
    }
    return args;
  }

  /** The asked range, fetched part by part as it is read. */
  private final class PartStream extends InputStream {
    private final String bucket;
    private final String key;
    private final long end;
    private final @Nullable String etag;
    private byte[] part;
    private int pos;
    private long next;

    PartStream(
        String bucket,
        String key,
        long offset,
        long length,
        @Nullable String etag,
        Object[] first) {
      this.bucket = bucket;
      this.key = key;
      long size = (Long) first[0];
      this.end = Math.min(size, length > size - offset ? size : offset + length);
      this.etag = etag;
      check(first);
      this.part = (byte[]) first[2];
      this.next = offset + part.length;
    }

    private void check(Object[] r) {
      if (etag != null && !etag.equals(r[1])) {
        throw new UncheckedIOException(
            new IOException(
                "'" + bucket + "/" + key + "' changed since the map was planned (entity tag)"));
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos == part.length) {
        if (next >= end) {
          return -1;
        }
        Object[] r;
        try {
          r = readPart(bucket, key, next, (int) Math.min(end - next, PART));
          check(r);
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
        part = (byte[]) r[2];
        if (part.length == 0) {
          throw new IOException("'" + bucket + "/" + key + "' shrank while it was read");
        }
        pos = 0;
        next += part.length;
      }
      int n = (int) Math.min(Math.min(len, part.length - pos), Long.MAX_VALUE);
      System.arraycopy(part, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
