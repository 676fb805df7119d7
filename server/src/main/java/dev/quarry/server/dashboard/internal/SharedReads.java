package dev.quarry.server.dashboard.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One read per key and {@code maxAge}, shared by every caller on this replica: the first caller
 * after the value aged out reads, callers meanwhile wait for that read and get its value, and
 * callers within {@code maxAge} after it get the same value. A failed read is not kept (the next
 * caller reads again). At most {@code maxKeys} values are kept; past that, aged ones are dropped
 * and, if still full, a caller reads for itself without sharing.
 *
 * @param <K> what a value is read for (its equality decides the sharing)
 * @param <V> the value, shared as is: it must not be changed by its users
 */
final class SharedReads<K, V> {
  private final Duration maxAge;
  private final int maxKeys;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

  SharedReads(Duration maxAge, int maxKeys, LongSupplier nanoTime) {
    if (maxAge.isNegative() || maxKeys < 1) {
      throw new IllegalArgumentException("maxAge must not be negative and maxKeys positive");
    }
    this.maxAge = maxAge;
    this.maxKeys = maxKeys;
    this.nanoTime = nanoTime;
  }

  /** The value for {@code key}, read with {@code read} unless a fresh one is shared. */
  V get(K key, Supplier<V> read) {
    long now = nanoTime.getAsLong();
    if (entries.size() >= maxKeys) {
      entries.values().removeIf(e -> !fresh(e, now));
      if (entries.size() >= maxKeys && !entries.containsKey(key)) {
        return read.get();
      }
    }
    Entry<V> mine = new Entry<>(now, new CompletableFuture<>());
    Entry<V> shared = entries.compute(key, (k, old) -> old != null && fresh(old, now) ? old : mine);
    if (shared != mine) {
      try {
        return shared.value.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      V value = read.get();
      mine.value.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      entries.remove(key, mine);
      mine.value.completeExceptionally(e);
      throw e;
    }
  }

  /** How many values are kept now (for tests). */
  int size() {
    return entries.size();
  }

  private boolean fresh(Entry<V> e, long now) {
    return now - e.readAt < maxAge.toNanos();
  }

  private record Entry<V>(long readAt, CompletableFuture<V> value) {}
}
