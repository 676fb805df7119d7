/** S3-API {@link dev.quarry.storage.ObjectStore} (type {@code s3}) on the AWS SDK v2. */
@NullMarked
package dev.quarry.storage.internal.s3;

import org.jspecify.annotations.NullMarked;
