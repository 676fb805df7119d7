/**
 * The AWS Lambda backend: deploys the worker as a Lambda function ({@link LambdaRuntimes}) and runs
 * invocations as RequestResponse invokes whose payload is a small envelope pointing into S3 ({@link
 * LambdaBackends#create}).
 */
@NullMarked
package dev.quarry.backend.lambda;

import org.jspecify.annotations.NullMarked;
