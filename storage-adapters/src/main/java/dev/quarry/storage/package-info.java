/**
 * Object storage SPI: {@link dev.quarry.storage.ObjectStore} and the registry that finds its
 * implementations with {@link java.util.ServiceLoader}.
 */
@NullMarked
package dev.quarry.storage;

import org.jspecify.annotations.NullMarked;
