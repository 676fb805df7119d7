package dev.quarry.server.data;

import java.util.List;

/**
 * What a map over stored data names: the objects of {@code bucket} under {@code prefix}, or the
 * listed {@code keys}; each split into ranges of about {@code chunkSize} bytes or into {@code
 * chunkNumber} ranges (0 and 0: whole objects).
 */
public record DataSpec(
    String bucket, String prefix, List<String> keys, long chunkSize, int chunkNumber) {
  public DataSpec {
    keys = List.copyOf(keys);
  }
}
