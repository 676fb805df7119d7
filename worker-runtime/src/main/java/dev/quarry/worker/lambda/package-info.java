/**
 * AWS Lambda entry point: {@link dev.quarry.worker.lambda.LambdaHandler} adapts a Lambda invocation
 * to {@link dev.quarry.worker.TaskRunner}, and {@link dev.quarry.worker.lambda.LambdaPayloads} is
 * the JSON wire format the server and the function exchange.
 *
 * <p>The module's {@code lambda} zip (classifier {@code lambda}, type {@code zip}) is the
 * deployment package: every jar the handler needs under {@code lib/}. Its handler string is {@code
 * dev.quarry.worker.lambda.LambdaHandler::handleRequest}.
 */
@NullMarked
package dev.quarry.worker.lambda;

import org.jspecify.annotations.NullMarked;
