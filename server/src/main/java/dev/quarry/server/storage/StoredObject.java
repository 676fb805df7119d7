package dev.quarry.server.storage;

import java.time.Instant;

/**
 * An object as listed.
 *
 * @param etag quoted strong entity tag (the hex MD5 of the content), as in HTTP's {@code ETag}
 */
public record StoredObject(String bucket, String key, long size, String etag, Instant updatedAt) {}
