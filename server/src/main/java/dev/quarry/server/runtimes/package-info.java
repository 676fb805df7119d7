/** Deployments of the worker on serverless platforms (Lambda functions), per backend profile. */
@NullMarked
package dev.quarry.server.runtimes;

import org.jspecify.annotations.NullMarked;
