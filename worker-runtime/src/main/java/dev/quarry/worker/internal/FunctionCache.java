package dev.quarry.worker.internal;

import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.storage.ObjectStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loaded functions by {@link FunctionSpec#getDigest() digest}, so warm invocations skip loading.
 * Failed loads are not cached. Concurrent requests for the same function load it once.
 */
public final class FunctionCache {

  /**
   * @param coldStart whether this call loaded the function (first use in this process)
   */
  public record Lookup(LoadedFunction function, boolean coldStart) {}

  private final FunctionLoader loader;
  private final Map<String, CompletableFuture<LoadedFunction>> functions =
      new ConcurrentHashMap<>();

  public FunctionCache(FunctionLoader loader) {
    this.loader = loader;
  }

  /**
   * The cached function, or loads it.
   *
   * @throws Exception what {@link FunctionLoader#load} throws
   */
  public Lookup get(FunctionSpec spec, ObjectStore store) throws Exception {
    String key = spec.getDigest().isEmpty() ? "spec:" + spec : spec.getDigest();
    CompletableFuture<LoadedFunction> mine = new CompletableFuture<>();
    CompletableFuture<LoadedFunction> existing = functions.putIfAbsent(key, mine);
    if (existing != null) {
      return new Lookup(await(existing), false);
    }
    try {
      LoadedFunction function = loader.load(resolveManifest(spec, store), store);
      mine.complete(function);
      return new Lookup(function, true);
    } catch (Exception | LinkageError e) {
      functions.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /** The full spec: the envelope's own, or the one stored at its manifest key. */
  static FunctionSpec resolveManifest(FunctionSpec spec, ObjectStore store) throws IOException {
    if (spec.getManifestKey().isEmpty()) {
      return spec;
    }
    byte[] manifest =
        store
            .read(spec.getManifestKey())
            .orElseThrow(
                () ->
                    new FileNotFoundException(
                        "function manifest " + spec.getManifestKey() + " not found in storage"));
    return FunctionSpec.parseFrom(manifest);
  }

  private static LoadedFunction await(CompletableFuture<LoadedFunction> future) throws Exception {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }
}
