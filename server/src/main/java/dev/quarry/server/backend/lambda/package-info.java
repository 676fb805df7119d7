/** The {@code lambda} backend plug-in: workers as AWS Lambda functions. */
@NullMarked
package dev.quarry.server.backend.lambda;

import org.jspecify.annotations.NullMarked;
