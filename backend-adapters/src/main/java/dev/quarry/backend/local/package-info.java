/**
 * The local process backend: a pool of warm worker JVMs on this host, created with {@link
 * dev.quarry.backend.local.LocalBackends#create}.
 */
@NullMarked
package dev.quarry.backend.local;

import org.jspecify.annotations.NullMarked;
