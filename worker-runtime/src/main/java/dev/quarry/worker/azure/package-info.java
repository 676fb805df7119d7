/**
 * The Azure Functions entry point of the worker: an HTTP trigger over {@link
 * dev.quarry.worker.TaskRunner}.
 */
@NullMarked
package dev.quarry.worker.azure;

import org.jspecify.annotations.NullMarked;
