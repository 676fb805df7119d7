package dev.quarry.client;

import java.time.Instant;

/**
 * A stored object as {@link QuarryStorage} reports it.
 *
 * @param etag quoted strong entity tag (the hex MD5 of the content), as in HTTP's {@code ETag}
 */
public record ObjectInfo(String bucket, String key, long size, String etag, Instant lastModified) {}
