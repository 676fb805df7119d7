package dev.quarry.server.storage;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.auth.Principal;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Multipart uploads of the Storage API: a large object sent as parts, in parallel and in any order,
 * that becomes visible whole when the upload completes. {@link #start} reserves the declared size
 * against the tenant's quota (as a put does) until the upload completes, is aborted or, after
 * {@link #MAX_AGE}, is swept. Only members of the upload's tenant reach it; another tenant's upload
 * id is {@code UPLOAD_NOT_FOUND}, as is an unknown one.
 *
 * <p>The completed object's etag is S3's for a multipart object: {@code "<md5 hex of the
 * concatenated binary MD5s of the parts>-<number of parts>"}.
 *
 * <pre>{@code
 * Upload u = uploads.start(caller, "logs", "big.bin", size, 16 << 20);
 * UploadedPart p1 = uploads.uploadPart(caller, u.id(), 1, in1, 16 << 20);
 * UploadedPart p2 = uploads.uploadPart(caller, u.id(), 2, in2, size - (16 << 20));
 * StoredObject o = uploads.complete(caller, u.id(), List.of(p1.ref(), p2.ref()));
 * }</pre>
 *
 * <p>Every method throws {@link ApiException}: {@code INVALID_ARGUMENT} for a part number, part
 * size or part list out of bounds; {@code UPLOAD_NOT_FOUND}; {@code PERMISSION_DENIED} below the
 * member role; {@code PAYLOAD_TOO_LARGE} or {@code QUOTA_EXCEEDED} naming the limit at start.
 */
public interface MultipartUploads {
  /** Smallest part but the last: 1 MiB. */
  long MIN_PART_SIZE = 1L << 20;

  /** Largest part: 1 GiB. */
  long MAX_PART_SIZE = 1L << 30;

  /** Highest part number, and most parts of an object. */
  int MAX_PARTS = 10_000;

  /** Uploads one tenant may have in progress at once (limit {@code maxMultipartUploads}). */
  int MAX_UPLOADS_PER_TENANT = 100;

  /** An upload not completed this long after its start is discarded. */
  java.time.Duration MAX_AGE = java.time.Duration.ofHours(6);

  /** An upload in progress. */
  record Upload(UUID id, String bucket, String key, long size, long partSize, Instant expiresAt) {}

  /** A stored part; {@code etag} is its quoted MD5. */
  record UploadedPart(int partNumber, long size, String etag) {
    public PartRef ref() {
      return new PartRef(partNumber, etag);
    }
  }

  /** A part as the complete call names it. */
  record PartRef(int partNumber, String etag) {}

  /**
   * Starts an upload of an object of {@code size} bytes (1 to {@code maxObjectBytes}), checking and
   * reserving the quota as a put of that size would. With a {@code partSize} ({@value
   * #MIN_PART_SIZE} to {@value #MAX_PART_SIZE}; 0: none) every part but the last has exactly that
   * size and the parts are 1 to {@code ceil(size / partSize)}, none missing: a store that {@link
   * dev.quarry.storage.ObjectStore#canWriteAt() can write in place} then receives each part where
   * it belongs, and completing copies nothing.
   */
  Upload start(Principal caller, String bucket, String key, long size, long partSize);

  /**
   * Checks, without storing anything, that a part of {@code length} bytes would be taken now, so a
   * streaming part can be refused before its bytes arrive.
   */
  void checkPart(Principal caller, String uploadId, int partNumber, long length);

  /**
   * Stores exactly {@code length} bytes of {@code body} as part {@code partNumber} (1..{@value
   * #MAX_PARTS}, 1..{@value #MAX_PART_SIZE} bytes), replacing an earlier part of that number. The
   * parts stored may not add up to more than the upload's size.
   */
  UploadedPart uploadPart(
      Principal caller, String uploadId, int partNumber, InputStream body, long length);

  /**
   * Makes the object of the named parts, in ascending part number order: each must be stored with
   * that etag, each but the last at least {@value #MIN_PART_SIZE} bytes, and their sizes must add
   * up to the upload's. The object replaces any at its key atomically; parts not named are
   * discarded.
   */
  StoredObject complete(Principal caller, String uploadId, List<PartRef> parts);

  /** Discards the upload, its parts and its reservation. */
  void abort(Principal caller, String uploadId);

  /**
   * Discards uploads started more than {@link #MAX_AGE} before {@code now} (at most {@code limit}
   * of them), with their parts.
   *
   * @return how many were discarded
   */
  int sweep(Instant now, int limit);
}
