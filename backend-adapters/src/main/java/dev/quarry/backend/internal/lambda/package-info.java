/** Implementation of the AWS Lambda backend (AWS SDK v2, async client on Netty). */
@NullMarked
package dev.quarry.backend.internal.lambda;

import org.jspecify.annotations.NullMarked;
