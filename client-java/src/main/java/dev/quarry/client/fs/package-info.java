/**
 * {@code quarry://BUCKET/PATH}: the Storage API as a {@link java.nio.file} file system; see {@link
 * dev.quarry.client.fs.QuarryFileSystemProvider}.
 */
@NullMarked
package dev.quarry.client.fs;

import org.jspecify.annotations.NullMarked;
