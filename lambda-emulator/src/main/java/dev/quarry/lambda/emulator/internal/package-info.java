/** Implementation of the Lambda emulator; not API. */
@NullMarked
package dev.quarry.lambda.emulator.internal;

import org.jspecify.annotations.NullMarked;
