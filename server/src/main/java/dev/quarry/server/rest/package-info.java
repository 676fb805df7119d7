/** The REST endpoint ({@code /v1/...}): JSON in, JSON or NDJSON out, errors as {code, message}. */
@NullMarked
package dev.quarry.server.rest;

import org.jspecify.annotations.NullMarked;
