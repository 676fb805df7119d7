package dev.quarry.storage.internal.s3;

import dev.quarry.storage.ObjectKeys;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.StorageException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Objects are S3 objects named {@code prefix + key}. A PUT replaces the whole object atomically.
 *
 * <p>Long because one method per ObjectStore operation (put, streaming put, read, ranges, list with
 * paging, delete, presign) on the AWS SDK, with its error mapping.
 */
final class S3ObjectStore implements ObjectStore {

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  private final S3Presigner presigner;

  S3ObjectStore(S3Client s3, S3Presigner presigner, String bucket, String prefix) {
    this.presigner = presigner;
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  @Override
  public void put(String key, byte[] data) {
    String name = name(key);
    try {
      s3.putObject(b -> b.bucket(bucket).key(name), RequestBody.fromBytes(data));
    } catch (SdkException e) {
      throw failure("put", key, e);
    }
  }

  @Override
  public void put(String key, InputStream data, long length) {
    String name = name(key);
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    ExactLengthInputStream in = new ExactLengthInputStream(data, length);
    try {
      s3.putObject(b -> b.bucket(bucket).key(name), RequestBody.fromInputStream(in, length));
    } catch (SdkException | IllegalStateException e) {
      InputFailure input = in.failure();
      if (input != null) {
        throw new StorageException(
            "s3 put of '" + key + "' failed: " + input.getMessage(), false, e);
      }
      if (e instanceof SdkException sdk) {
        throw failure("put", key, sdk);
      }
      // the SDK could not retry because the stream does not support mark/reset
      throw new StorageException("s3 put of '" + key + "' failed: " + e.getMessage(), true, e);
    }
  }

  /** A file body, so the SDK can retry the upload (a stream is read once). */
  @Override
  public void putFile(String key, java.nio.file.Path file) {
    String name = name(key);
    try {
      s3.putObject(b -> b.bucket(bucket).key(name), RequestBody.fromFile(file));
    } catch (SdkException e) {
      throw failure("put", key, e);
    } catch (java.io.UncheckedIOException e) {
      throw new StorageException("cannot read " + file + " to store '" + key + "'", false, e);
    }
  }

  @Override
  public Optional<InputStream> open(String key) {
    String name = name(key);
    try {
      return Optional.of(s3.getObject(b -> b.bucket(bucket).key(name)));
    } catch (SdkException e) {
      return absentOrThrow("get", key, e);
    }
  }

  @Override
  public Optional<InputStream> openRange(String key, long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset and length must not be negative");
    }
    String name = name(key);
    if (length == 0) {
      return size(key).map(size -> InputStream.nullInputStream());
    }
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    try {
      return Optional.of(s3.getObject(b -> b.bucket(bucket).key(name).range(range)));
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        return Optional.of(InputStream.nullInputStream()); // offset at or past the end
      }
      return absentOrThrow("get", key, e);
    } catch (SdkException e) {
      return absentOrThrow("get", key, e);
    }
  }

  @Override
  public Optional<byte[]> read(String key) {
    String name = name(key);
    try {
      return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(name)).asByteArrayUnsafe());
    } catch (SdkException e) {
      return absentOrThrow("get", key, e);
    }
  }

  @Override
  public Optional<Long> size(String key) {
    String name = name(key);
    try {
      return Optional.of(s3.headObject(b -> b.bucket(bucket).key(name)).contentLength());
    } catch (SdkException e) {
      return absentOrThrow("head", key, e);
    }
  }

  @Override
  public void delete(String key) {
    String name = name(key);
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(name));
    } catch (NoSuchKeyException e) {
      // already gone
    } catch (SdkException e) {
      throw failure("delete", key, e);
    }
  }

  @Override
  public List<String> list(String listPrefix) {
    ObjectKeys.validatePrefix(listPrefix);
    List<String> keys = new ArrayList<>();
    try {
      for (S3Object object :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + listPrefix)).contents()) {
        String key = object.key().substring(prefix.length());
        if (ObjectKeys.isValid(key)) {
          keys.add(key);
        }
      }
    } catch (SdkException e) {
      throw failure("list", listPrefix, e);
    }
    keys.sort(null);
    return keys;
  }

  @Override
  public void close() {
    s3.close();
    presigner.close();
  }

  @Override
  public Optional<URI> presign(String key, boolean write, Duration ttl) {
    if (!ttl.isPositive()) {
      throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    }
    String name = name(key);
    try {
      return Optional.of(
          (write
                  ? presigner
                      .presignPutObject(
                          b ->
                              b.signatureDuration(ttl)
                                  .putObjectRequest(r -> r.bucket(bucket).key(name)))
                      .url()
                  : presigner
                      .presignGetObject(
                          b ->
                              b.signatureDuration(ttl)
                                  .getObjectRequest(r -> r.bucket(bucket).key(name)))
                      .url())
              .toURI());
    } catch (java.net.URISyntaxException e) {
      throw new StorageException("cannot presign '" + key + "'", false, e);
    }
  }

  @Override
  public String toString() {
    return "S3ObjectStore[bucket=" + bucket + ", prefix=" + prefix + "]";
  }

  private String name(String key) {
    return prefix + ObjectKeys.validate(key);
  }

  /** Empty for "no such key" (404 without an error code other than NoSuchKey), else throws. */
  private static <T> Optional<T> absentOrThrow(String op, String key, SdkException e) {
    if (e instanceof NoSuchKeyException) {
      return Optional.empty();
    }
    if (e instanceof S3Exception s3e && s3e.statusCode() == 404) {
      String code = s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorCode();
      if (code == null || code.isEmpty() || code.equals("NoSuchKey") || code.equals("NotFound")) {
        return Optional.empty();
      }
    }
    throw failure(op, key, e);
  }

  /** Maps an SDK failure: 5xx, throttling, timeouts and IO are retryable, other 4xx are not. */
  static StorageException failure(String op, String what, SdkException e) {
    boolean retryable;
    String detail;
    if (e instanceof AwsServiceException service) {
      int status = service.statusCode();
      retryable =
          status >= 500
              || status == 429
              || status == 408
              || service.isThrottlingException()
              || service.retryable();
      String code =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      detail = "HTTP " + status + (code == null ? "" : " " + code);
    } else {
      retryable = true; // client side: connection, timeout, IO
      detail = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    return new StorageException("s3 " + op + " of '" + what + "' failed: " + detail, retryable, e);
  }

  /** Why reading the caller's stream failed; never retryable with the same stream. */
  private static final class InputFailure extends IOException {
    InputFailure(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Passes through exactly {@code length} bytes, fails if the source ends early, and does not close
   * the source. Supports mark/reset (for SDK retries) when the source does.
   */
  private static final class ExactLengthInputStream extends FilterInputStream {
    private final long length;
    private long remaining;
    private long marked;
    private @Nullable InputFailure failure;

    ExactLengthInputStream(InputStream in, long length) {
      super(in);
      this.length = length;
      this.remaining = length;
    }

    @Nullable InputFailure failure() {
      return failure;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (remaining == 0) {
        return -1;
      }
      int n;
      try {
        n = in.read(b, off, (int) Math.min(len, remaining));
      } catch (IOException e) {
        throw fail(new InputFailure("reading input failed: " + e, e));
      }
      if (n < 0) {
        throw fail(
            new InputFailure(
                "input ended after " + (length - remaining) + " of " + length + " bytes", null));
      }
      remaining -= n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(Math.min(n, remaining));
      remaining -= skipped;
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(super.available(), remaining);
    }

    @Override
    public synchronized void mark(int readLimit) {
      in.mark(readLimit);
      marked = remaining;
    }

    @Override
    public synchronized void reset() throws IOException {
      in.reset();
      remaining = marked;
    }

    @Override
    public void close() {
      // the caller owns the source stream
    }

    private InputFailure fail(InputFailure e) {
      failure = e;
      return e;
    }
  }
}
