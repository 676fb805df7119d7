package dev.quarry.storage.internal.azure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.sas.SasProtocol;
import dev.quarry.storage.ObjectKeys;
import dev.quarry.storage.ObjectStore;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Objects are block blobs named {@code prefix + key} in one container. An object up to {@link
 * AzureBlobSettings#maxSingleUpload()} is written with one Put Blob; a larger one as staged blocks
 * committed with one Put Block List, so a reader sees the whole old or the whole new object. Reads
 * of a whole object or a range stream in chunks with the blob's ETag pinned.
 */
final class AzureBlobObjectStore implements ObjectStore {

  private final BlobContainerClient container;
  private final AzureBlobSettings settings;
  private final Clock clock;

  AzureBlobObjectStore(BlobContainerClient container, AzureBlobSettings settings, Clock clock) {
    this.container = container;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public void put(String key, byte[] data) {
    BlobClient blob = blob(key);
    try {
      if (data.length <= settings.maxSingleUpload()) {
        blob.getBlockBlobClient().upload(BinaryData.fromBytes(data), true);
      } else {
        BlockUpload.of(blob.getBlockBlobClient(), settings.blockSize(), data.length)
            .fromBytes(data);
      }
    } catch (RuntimeException e) {
      throw AzureErrors.failure("put", key, e);
    }
  }

  @Override
  public void put(String key, InputStream data, long length) {
    BlobClient blob = blob(key);
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    if (length <= settings.maxSingleUpload()) {
      byte[] bytes = BlockUpload.readExactly(data, (int) length, key);
      try {
        blob.getBlockBlobClient().upload(BinaryData.fromBytes(bytes), true);
      } catch (RuntimeException e) {
        throw AzureErrors.failure("put", key, e);
      }
      return;
    }
    BlockUpload.of(blob.getBlockBlobClient(), settings.blockSize(), length).fromStream(data, key);
  }

  @Override
  public Optional<InputStream> open(String key) {
    BlobClient blob = blob(key);
    try {
      return Optional.of(blob.openInputStream(new BlobInputStreamOptions()));
    } catch (RuntimeException e) {
      return AzureErrors.absentOrThrow("get", key, e);
    }
  }

  @Override
  public Optional<InputStream> openRange(String key, long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset and length must not be negative");
    }
    BlobClient blob = blob(key);
    if (length == 0) {
      return size(key).map(size -> InputStream.nullInputStream());
    }
    try {
      return Optional.of(
          blob.openInputStream(
              new BlobInputStreamOptions().setRange(new BlobRange(offset, length))));
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 416) {
        return Optional.of(InputStream.nullInputStream()); // offset at or past the end
      }
      return AzureErrors.absentOrThrow("get", key, e);
    } catch (RuntimeException e) {
      return AzureErrors.absentOrThrow("get", key, e);
    }
  }

  @Override
  public Optional<byte[]> read(String key) {
    BlobClient blob = blob(key);
    try {
      return Optional.of(blob.downloadContent().toBytes());
    } catch (RuntimeException e) {
      return AzureErrors.absentOrThrow("get", key, e);
    }
  }

  @Override
  public Optional<Long> size(String key) {
    BlobClient blob = blob(key);
    try {
      return Optional.of(blob.getProperties().getBlobSize());
    } catch (RuntimeException e) {
      return AzureErrors.absentOrThrow("head", key, e);
    }
  }

  @Override
  public void delete(String key) {
    BlobClient blob = blob(key);
    try {
      blob.deleteIfExists();
    } catch (RuntimeException e) {
      throw AzureErrors.failure("delete", key, e);
    }
  }

  @Override
  public List<String> list(String listPrefix) {
    ObjectKeys.validatePrefix(listPrefix);
    String prefix = settings.prefix();
    ListBlobsOptions options =
        new ListBlobsOptions()
            .setPrefix(prefix + listPrefix)
            .setMaxResultsPerPage(settings.listPageSize());
    List<String> keys = new ArrayList<>();
    try {
      for (BlobItem item : container.listBlobs(options, null)) {
        String key = item.getName().substring(prefix.length());
        if (ObjectKeys.isValid(key)) {
          keys.add(key);
        }
      }
    } catch (RuntimeException e) {
      throw AzureErrors.failure("list", listPrefix, e);
    }
    keys.sort(null);
    return keys;
  }

  /**
   * A service SAS for exactly this blob: read, or create and write; no start time (clock skew
   * cannot make it not yet valid), HTTPS only unless the endpoint itself is plain HTTP.
   *
   * @return empty when the store has a SAS token rather than the account key: a SAS cannot sign
   *     another
   */
  @Override
  public Optional<URI> presign(String key, boolean write, Duration ttl) {
    if (!ttl.isPositive()) {
      throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    }
    BlobClient blob = blob(key);
    if (settings.accountKey() == null) {
      return Optional.empty();
    }
    BlobSasPermission permission =
        write
            ? new BlobSasPermission().setCreatePermission(true).setWritePermission(true)
            : new BlobSasPermission().setReadPermission(true);
    OffsetDateTime expiry = OffsetDateTime.ofInstant(clock.instant().plus(ttl), ZoneOffset.UTC);
    BlobServiceSasSignatureValues values =
        new BlobServiceSasSignatureValues(expiry, permission)
            .setProtocol(
                "https".equals(settings.endpoint().getScheme())
                    ? SasProtocol.HTTPS_ONLY
                    : SasProtocol.HTTPS_HTTP);
    return Optional.of(URI.create(blob.getBlobUrl() + "?" + blob.generateSas(values)));
  }

  @Override
  public String toString() {
    return "AzureBlobObjectStore[" + settings + "]";
  }

  private BlobClient blob(String key) {
    return container.getBlobClient(settings.prefix() + ObjectKeys.validate(key));
  }

  /** Closes nothing: the SDK's clients hold no resources beyond the shared HTTP client's. */
  @Override
  public void close() {}
}
