/**
 * Azure Blob Storage {@link dev.quarry.storage.ObjectStore} (type {@code azure-blob}) on the Azure
 * SDK with the JDK HTTP client.
 */
@NullMarked
package dev.quarry.storage.internal.azure;

import org.jspecify.annotations.NullMarked;
