/** The servlet container's own answers (bad URLs, oversized headers, unknown methods) as JSON. */
@NullMarked
package dev.quarry.server.web;

import org.jspecify.annotations.NullMarked;
