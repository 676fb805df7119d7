package dev.quarry.server.data;

/**
 * One future's share of a map over stored data: bytes {@code [start, end)} of {@code bucket/key},
 * the {@code part}-th range of the object, whose size and entity tag were {@code size} and {@code
 * etag} when it was planned.
 */
public record Partition(
    String bucket, String key, long start, long end, long size, String etag, int part) {}
