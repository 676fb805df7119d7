package dev.quarry.storage.internal.azure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.quarry.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * One upload of a large object as staged blocks, made visible by one Put Block List. Blocks of an
 * upload that fails are never committed (Azure discards them), so the previous object stays. Block
 * ids are unique per upload, so concurrent uploads of one blob do not mix their blocks; the later
 * commit may then fail with {@code InvalidBlockList}, which is reported as retryable.
 */
final class BlockUpload {
  /** Azure's limit of committed blocks per blob. */
  static final int MAX_BLOCKS = 50_000;

  private final BlockBlobClient blob;
  private final int blockSize;
  private final long length;
  private final String uploadId = UUID.randomUUID().toString();
  private final List<String> blockIds = new ArrayList<>();

  private BlockUpload(BlockBlobClient blob, int blockSize, long length) {
    this.blob = blob;
    this.blockSize = blockSize;
    this.length = length;
  }

  /**
   * @throws StorageException (not retryable) if the object needs more than {@value #MAX_BLOCKS}
   *     blocks of this size
   */
  static BlockUpload of(BlockBlobClient blob, int blockSize, long length) {
    if ((length + blockSize - 1) / blockSize > MAX_BLOCKS) {
      throw new StorageException(
          "azure-blob object of "
              + length
              + " bytes needs more than "
              + MAX_BLOCKS
              + " blocks of "
              + blockSize
              + " bytes; raise blockSize",
          false);
    }
    return new BlockUpload(blob, blockSize, length);
  }

  void fromBytes(byte[] data) {
    for (int offset = 0; offset < data.length; offset += blockSize) {
      stage(
          BinaryData.fromBytes(
              Arrays.copyOfRange(data, offset, Math.min(data.length, offset + blockSize))));
    }
    blob.commitBlockList(blockIds, true);
  }

  /** Reads exactly {@code length} bytes, one block at a time, and commits only if all arrived. */
  void fromStream(InputStream data, String key) {
    byte[] buffer = new byte[(int) Math.min(blockSize, length)];
    long remaining = length;
    while (remaining > 0) {
      int n = (int) Math.min(buffer.length, remaining);
      int read = readFully(data, buffer, n, length - remaining, key);
      try {
        stage(BinaryData.fromBytes(read == buffer.length ? buffer : Arrays.copyOf(buffer, read)));
      } catch (RuntimeException e) {
        throw AzureErrors.failure("put", key, e);
      }
      remaining -= read;
    }
    try {
      blob.commitBlockList(blockIds, true);
    } catch (RuntimeException e) {
      throw AzureErrors.failure("put", key, e);
    }
  }

  /**
   * Reads exactly {@code length} bytes of a small object into memory.
   *
   * @throws StorageException (not retryable) if the stream ends early or fails
   */
  static byte[] readExactly(InputStream data, int length, String key) {
    byte[] bytes = new byte[length];
    readFully(data, bytes, length, 0, key);
    return bytes;
  }

  private static int readFully(InputStream in, byte[] buffer, int n, long before, String key) {
    int read;
    try {
      read = in.readNBytes(buffer, 0, n);
    } catch (IOException e) {
      throw new StorageException(
          "azure-blob put of '" + key + "' failed: reading input failed: " + e, false, e);
    }
    if (read < n) {
      throw new StorageException(
          "azure-blob put of '" + key + "' failed: input ended after " + (before + read) + " bytes",
          false);
    }
    return read;
  }

  private void stage(BinaryData block) {
    String id =
        Base64.getEncoder()
            .encodeToString(
                String.format("%s-%06d", uploadId, blockIds.size())
                    .getBytes(StandardCharsets.US_ASCII));
    blob.stageBlock(id, block);
    blockIds.add(id);
  }
}
