package dev.quarry.client.internal;

import dev.quarry.client.ContextFunction;
import dev.quarry.client.DataChunk;
import dev.quarry.client.ReduceFunction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * The two remote stages of a map-reduce. Each map writes its result (Java-serialized) to the team's
 * storage under {@code bucket/prefix} before returning it; the reducer streams those objects as
 * they appear until it has seen one per map, then deletes them. Results thus go from the maps to
 * the reducer without the client downloading them.
 */
public final class MapReduceStages {
  /** The bucket intermediate results live in while a map-reduce runs. */
  public static final String BUCKET = "quarry-mapreduce";

  /** Marks a map that failed, so the reducer fails instead of waiting for it. */
  static final String FAILED = "quarry-map-failed:";

  private MapReduceStages() {}

  /** A map input with its index (the name of its result). */
  public record Indexed(int index, @Nullable Object input) implements Serializable {}

  /** What the reducer's single input says: where the results are and how many to expect. */
  public record Where(String bucket, String prefix, int count) implements Serializable {}

  /** The map stage over {@link Indexed} inputs. */
  public static ContextFunction<Indexed, @Nullable Object> mapOver(
      ContextFunction<@Nullable Object, @Nullable Object> map, String prefix) {
    return (in, ctx) -> store(ctx, prefix + in.index(), () -> map.apply(in.input(), ctx));
  }

  /** The map stage over data ranges, naming each result by its object and part. */
  public static ContextFunction<DataChunk, @Nullable Object> mapOverChunks(
      ContextFunction<DataChunk, @Nullable Object> map, String prefix) {
    return (chunk, ctx) ->
        store(ctx, objectPrefix(prefix, chunk.key()) + chunk.part(), () -> map.apply(chunk, ctx));
  }

  /** Where the map results of one object's ranges ({@code key}: its key or URL) are stored. */
  public static String objectPrefix(String prefix, String key) {
    return prefix + sha256(key) + "-";
  }

  /** The reduce stage. */
  public static ContextFunction<Where, @Nullable Object> reduceOver(
      ReduceFunction<@Nullable Object, @Nullable Object> reduce) {
    return (where, ctx) -> {
      BridgedContext storage = (BridgedContext) ctx.storage();
      Object result;
      try (Stream<@Nullable Object> results = results(storage, where)) {
        result = reduce.reduce(results);
      }
      for (String key : storage.listKeys(where.bucket(), where.prefix())) {
        storage.deleteObject(where.bucket(), key);
      }
      return result;
    };
  }

  private interface Body {
    @Nullable Object run() throws Exception;
  }

  private static @Nullable Object store(
      dev.quarry.client.FunctionContext ctx, String key, Body body) throws Exception {
    Object result;
    try {
      result = body.run();
    } catch (Exception | Error e) {
      ctx.storage().putObject(BUCKET, key, FAILED + e);
      throw e;
    }
    ctx.storage().putObject(BUCKET, key, ObjectStreams.serialize(result));
    return result;
  }

  /** The results under {@code where}, each as soon as it is stored, until all were seen. */
  static Stream<@Nullable Object> results(BridgedContext storage, Where where) {
    Spliterator<@Nullable Object> results =
        new Spliterators.AbstractSpliterator<@Nullable Object>(
            where.count(), Spliterator.SIZED | Spliterator.ORDERED) {
          private final Set<String> seen = new HashSet<>();
          private final ArrayDeque<String> ready = new ArrayDeque<>();
          private long pause = 20;

          @Override
          public boolean tryAdvance(Consumer<? super @Nullable Object> action) {
            while (ready.isEmpty()) {
              if (seen.size() == where.count()) {
                return false;
              }
              for (String key : storage.listKeys(where.bucket(), where.prefix())) {
                if (seen.add(key)) {
                  ready.add(key);
                }
              }
              if (ready.isEmpty()) {
                sleep(pause);
                pause = Math.min(1000, pause * 2);
              } else {
                pause = 20;
              }
            }
            action.accept(read(storage, where.bucket(), ready.poll()));
            return true;
          }
        };
    return StreamSupport.stream(results, false);
  }

  private static @Nullable Object read(BridgedContext storage, String bucket, String key) {
    byte[] bytes = storage.getObject(bucket, key);
    String head =
        new String(bytes, 0, Math.min(bytes.length, FAILED.length()), StandardCharsets.UTF_8);
    if (head.equals(FAILED)) {
      throw new IllegalStateException(
          "a map failed, so the reducer cannot run: "
              + new String(
                  bytes, FAILED.length(), bytes.length - FAILED.length(), StandardCharsets.UTF_8));
    }
    try {
      return ObjectStreams.deserialize(
          new ByteArrayInputStream(bytes), List.of(Thread.currentThread().getContextClassLoader()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("a map result's class is missing: " + e.getMessage(), e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for map results", e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
