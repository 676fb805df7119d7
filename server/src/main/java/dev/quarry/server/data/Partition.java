package dev.quarry.server.data;

/**
 * One future's share of a map over stored data: bytes {@code [start, end)} of {@code bucket/key}
 * (or of {@code url}), the {@code part}-th range of the object, whose size and entity tag were
 * {@code size} and {@code etag} when it was planned.
 *
 * @param url the HTTP(S) URL ("" for a stored object); its range is nominal, the worker moves both
 *     ends to line starts
 * @param privateAllowed whether the URL's host is one of {@code
 *     quarry.data.url-allowed-private-hosts} (the worker checks the URL again)
 */
public record Partition(
    String bucket,
    String key,
    long start,
    long end,
    long size,
    String etag,
    int part,
    String url,
    boolean privateAllowed) {

  /** A range of a stored object. */
  public Partition(
      String bucket, String key, long start, long end, long size, String etag, int part) {
    this(bucket, key, start, end, size, etag, part, "", false);
  }

  /** The object (its key) or URL the range is of. */
  public String object() {
    return url.isEmpty() ? key : url;
  }
}
