package dev.quarry.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A function ready to register: its serialized form and the classpath jars it needs.
 *
 * @param payload the serialized function
 * @param jars the classpath blobs, in classpath order
 * @param jarsDigest the digest of the jar digests in order (see {@link #jarsDigest(List)})
 */
public record PackedFunction(Blob payload, List<Blob> jars, String jarsDigest) {
  public PackedFunction {
    jars = List.copyOf(jars);
  }

  /** Computes the jars' digest; a packer that reuses a resolved classpath passes it instead. */
  public PackedFunction(Blob payload, List<Blob> jars) {
    this(payload, jars, jarsDigest(jars));
  }

  /** The digest of the jars' digests, in order: equal for the same jars in the same order. */
  public static String jarsDigest(List<Blob> jars) {
    return Digests.of(
        String.join(",", jars.stream().map(Blob::digest).toList())
            .getBytes(StandardCharsets.US_ASCII));
  }

  /** The jar digests, in classpath order. */
  public List<String> jarDigests() {
    return jars.stream().map(Blob::digest).toList();
  }

  /** Identifies the bundle: equal keys register the same function. */
  public String key() {
    return payload.digest() + "|" + String.join(",", jarDigests());
  }

  /**
   * A short form of {@link #key()} for caches: the payload's digest and {@link #jarsDigest()}, so a
   * call does not join and hash every jar digest again (hundreds on a large classpath).
   */
  public String registryKey() {
    return payload.digest() + "|" + jarsDigest;
  }

  /** The payload and the jars. */
  public List<Blob> blobs() {
    List<Blob> all = new ArrayList<>(jars);
    all.add(payload);
    return all;
  }
}
