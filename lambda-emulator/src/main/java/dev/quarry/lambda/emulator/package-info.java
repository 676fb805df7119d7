/**
 * A local AWS Lambda for tests and benchmarks: the Lambda REST API (SigV4-authenticated control
 * plane and {@code Invoke}), the Lambda Runtime API, and child JVMs running the real AWS runtime
 * interface client. Start one with {@link dev.quarry.lambda.emulator.LambdaEmulator#start}.
 */
@NullMarked
package dev.quarry.lambda.emulator;

import org.jspecify.annotations.NullMarked;
