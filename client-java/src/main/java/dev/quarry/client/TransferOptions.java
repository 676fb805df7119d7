package dev.quarry.client;

import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * How {@link QuarryStorage#downloadFile(String, String, java.nio.file.Path, TransferOptions)} and
 * {@link QuarryStorage#uploadFile(java.nio.file.Path, String, String, TransferOptions)} move a
 * large object: in parts of {@link #partSize()} bytes, {@link #parallelism()} of them in flight (a
 * download's parts are ranged gets of the same version of the object; an upload's are the parts of
 * one multipart upload). Immutable; build one with {@link #builder()}.
 */
public final class TransferOptions {
  /** Default {@link Builder#partSize(long)}: 16 MiB. */
  public static final long DEFAULT_PART_SIZE = 16L << 20;

  /** Smallest {@link Builder#partSize(long)}: 1 MiB. */
  public static final long MIN_PART_SIZE = 1L << 20;

  /** Largest {@link Builder#partSize(long)}: 1 GiB. */
  public static final long MAX_PART_SIZE = 1L << 30;

  /** Default {@link Builder#parallelism(int)}. */
  public static final int DEFAULT_PARALLELISM = 4;

  /** Largest {@link Builder#parallelism(int)}. */
  public static final int MAX_PARALLELISM = 32;

  /** All defaults. */
  public static final TransferOptions DEFAULT = builder().build();

  private final long partSize;
  private final int parallelism;
  private final LongConsumer progress;

  private TransferOptions(Builder b) {
    this.partSize = b.partSize;
    this.parallelism = b.parallelism;
    this.progress = b.progress;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    return builder().partSize(partSize).parallelism(parallelism).progress(progress);
  }

  public long partSize() {
    return partSize;
  }

  public int parallelism() {
    return parallelism;
  }

  /** Called with the bytes transferred so far after each part, on the transfer's threads. */
  public LongConsumer progress() {
    return progress;
  }

  @Override
  public String toString() {
    return "TransferOptions{partSize=" + partSize + ", parallelism=" + parallelism + "}";
  }

  /** Builds {@link TransferOptions}. */
  public static final class Builder {
    private long partSize = DEFAULT_PART_SIZE;
    private int parallelism = DEFAULT_PARALLELISM;
    private LongConsumer progress = bytes -> {};

    private Builder() {}

    /**
     * Bytes per part, {@value #MIN_PART_SIZE} to {@value #MAX_PART_SIZE}; an object no larger is
     * read in one call.
     */
    public Builder partSize(long bytes) {
      if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
        throw new IllegalArgumentException(
            "partSize must be between " + MIN_PART_SIZE + " and " + MAX_PART_SIZE + ": " + bytes);
      }
      this.partSize = bytes;
      return this;
    }

    /** Parts in flight at once, 1 to {@value #MAX_PARALLELISM}. */
    public Builder parallelism(int parts) {
      if (parts < 1 || parts > MAX_PARALLELISM) {
        throw new IllegalArgumentException(
            "parallelism must be between 1 and " + MAX_PARALLELISM + ": " + parts);
      }
      this.parallelism = parts;
      return this;
    }

    /** Told the bytes transferred so far after each part (e.g. for a progress bar). */
    public Builder progress(LongConsumer progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    public TransferOptions build() {
      return new TransferOptions(this);
    }
  }
}
