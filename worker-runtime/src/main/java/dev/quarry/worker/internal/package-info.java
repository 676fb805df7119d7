/** Implementation of the worker runtime: function loading, codecs, error mapping, builtins. */
@NullMarked
package dev.quarry.worker.internal;

import org.jspecify.annotations.NullMarked;
