package dev.quarry.server.data;

import java.util.List;

/**
 * What a map over stored data names: the objects of {@code bucket} under {@code prefix}, or the
 * listed {@code keys}, or the HTTP(S) {@code urls}; each split into ranges of about {@code
 * chunkSize} bytes or into {@code chunkNumber} ranges (0 and 0: whole objects).
 */
public record DataSpec(
    String bucket,
    String prefix,
    List<String> keys,
    List<String> urls,
    long chunkSize,
    int chunkNumber) {
  public DataSpec {
    keys = List.copyOf(keys);
    urls = List.copyOf(urls);
  }
}
