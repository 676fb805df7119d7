package dev.quarry.client.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A function ready to register: its serialized form and the classpath jars it needs.
 *
 * @param payload the serialized function
 * @param jars the classpath blobs, in classpath order
 */
public record PackedFunction(Blob payload, List<Blob> jars) {
  public PackedFunction {
    jars = List.copyOf(jars);
  }

  /** The jar digests, in classpath order. */
  public List<String> jarDigests() {
    return jars.stream().map(Blob::digest).toList();
  }

  /** Identifies the bundle: equal keys register the same function. */
  public String key() {
    return payload.digest() + "|" + String.join(",", jarDigests());
  }

  /** The payload and the jars. */
  public List<Blob> blobs() {
    List<Blob> all = new ArrayList<>(jars);
    all.add(payload);
    return all;
  }
}
