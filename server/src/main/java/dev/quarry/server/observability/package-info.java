/** What operators watch: Quarry's own metrics and the OpenAPI description of the REST API. */
@NullMarked
package dev.quarry.server.observability;

import org.jspecify.annotations.NullMarked;
