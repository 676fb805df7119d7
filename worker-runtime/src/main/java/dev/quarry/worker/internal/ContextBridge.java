package dev.quarry.worker.internal;

import dev.quarry.worker.WorkerObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * What a context function receives as its second argument, typed only with JDK classes: the
 * function's classes (and the client library's context types) live in the function's own class
 * loader, so the worker cannot hand it a type of its own. The client library wraps it into its
 * {@code FunctionContext}. Operations ({@code op}, arguments):
 *
 * <ul>
 *   <li>{@code read} (bucket, key, Long offset, Integer length) → {@code Object[]{Long size, String
 *       etag, byte[] data}}, or null when the object is missing;
 *   <li>{@code write} (bucket, key, byte[] data) → null;
 *   <li>{@code list} (bucket, prefix, pageToken) → {@code Object[]{List<Object[]{key, Long size,
 *       etag}>, String nextPageToken}};
 *   <li>{@code delete} (bucket, key) → Boolean (whether it existed).
 * </ul>
 *
 * Unknown operations or arguments of the wrong type throw {@link IllegalArgumentException}.
 */
public final class ContextBridge implements BiFunction<String, Object[], @Nullable Object> {
  /** Why a bridge without objects refuses, unless told otherwise. */
  public static final String NO_STORAGE = "this worker gives functions no storage";

  private final @Nullable WorkerObjects objects;
  private final String unavailable;

  /**
   * @param objects the tenant's objects; null on a backend that gives functions no storage
   */
  public ContextBridge(@Nullable WorkerObjects objects) {
    this(objects, NO_STORAGE);
  }

  /**
   * @param objects the tenant's objects; null when this invocation's functions get no storage
   * @param unavailable without objects: the message storage calls fail with
   */
  public ContextBridge(@Nullable WorkerObjects objects, String unavailable) {
    this.objects = objects;
    this.unavailable = unavailable;
  }

  @Override
  public @Nullable Object apply(String op, Object[] args) {
    if (objects == null) {
      throw new UnsupportedOperationException(unavailable);
    }
    try {
      return switch (op) {
        case "read" -> {
          Optional<WorkerObjects.Part> part =
              objects.read(
                  text(args, 0),
                  text(args, 1),
                  (Long) args[2],
                  Math.min((Integer) args[3], WorkerObjects.MAX_READ));
          yield part.map(p -> new Object[] {p.size(), p.etag(), p.data()}).orElse(null);
        }
        case "write" -> {
          objects.write(text(args, 0), text(args, 1), (byte[]) args[2]);
          yield null;
        }
        case "list" -> {
          WorkerObjects.Page page = objects.list(text(args, 0), text(args, 1), text(args, 2));
          List<Object[]> entries = new ArrayList<>(page.objects().size());
          for (WorkerObjects.Entry e : page.objects()) {
            entries.add(new Object[] {e.key(), e.size(), e.etag()});
          }
          yield new Object[] {entries, page.nextPageToken()};
        }
        case "delete" -> objects.delete(text(args, 0), text(args, 1));
        default -> throw new IllegalArgumentException("unknown storage operation '" + op + "'");
      };
    } catch (ClassCastException | ArrayIndexOutOfBoundsException | NullPointerException e) {
      throw new IllegalArgumentException("bad arguments for storage operation '" + op + "'", e);
    }
  }

  private static String text(Object[] args, int i) {
    return (String) java.util.Objects.requireNonNull(args[i]);
  }
}
