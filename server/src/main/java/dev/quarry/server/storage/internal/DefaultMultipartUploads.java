package dev.quarry.server.storage.internal;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.storage.MultipartUploads;
import dev.quarry.server.storage.StoredObject;
import dev.quarry.storage.ObjectStore;
import dev.quarry.storage.StorageException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Multipart uploads over the server's {@link ObjectStore}: each part is a blob of its own in the
 * bucket's blob space, recorded in {@code storage_upload_parts}; complete composes the named parts
 * into a new blob ({@link ObjectStore#compose}), then swaps the index row as a put does and deletes
 * the parts. The upload's row is locked while a part is recorded and while the part list is
 * checked, so a part can never slip in or out of a completing upload. An upload started with a part
 * size on a store that {@link ObjectStore#canWriteAt() writes in place} is staged instead: each
 * part is written at its offset into the blob named by the upload's id, claimed in the index first,
 * and that blob becomes the object, so completing copies nothing.
 *
 * <p>Long because the four operations, the sweep and the two ways of holding parts (blobs, or
 * ranges of one staged blob) share the rules they enforce, in one place.
 */
@Service
class DefaultMultipartUploads implements MultipartUploads {
  private static final int MAX_ETAG = 128;
  private static final String OPEN = "open";
  private static final String COMPLETING = "completing";

  private final ObjectStore store;
  private final DefaultTenantStorage storage;
  private final StorageIndex objects;
  private final MultipartIndex index;
  private final TransactionTemplate tx;
  private final Clock clock;

  DefaultMultipartUploads(
      ObjectStore store,
      DefaultTenantStorage storage,
      StorageIndex objects,
      MultipartIndex index,
      TransactionTemplate tx,
      Clock clock) {
    this.store = store;
    this.storage = storage;
    this.objects = objects;
    this.index = index;
    this.tx = tx;
    this.clock = clock;
  }

  @Override
  public Upload start(Principal caller, String bucket, String key, long size, long partSize) {
    caller.require(Role.MEMBER);
    StorageNames.bucket(bucket);
    StorageNames.key(key);
    if (size < 1) {
      throw ApiException.invalid("size must be at least 1, got " + size);
    }
    if (partSize != 0
        && (partSize < MIN_PART_SIZE
            || partSize > MAX_PART_SIZE
            || (size + partSize - 1) / partSize > MAX_PARTS)) {
      throw ApiException.invalid(
          "partSize must be 0 (none) or "
              + MIN_PART_SIZE
              + " to "
              + MAX_PART_SIZE
              + " bytes, making at most "
              + MAX_PARTS
              + " parts; got "
              + partSize);
    }
    storage.checkObjectSize(size);
    boolean staged = partSize > 0 && store.canWriteAt();
    String tenant = caller.tenantId();
    UUID id = UUID.randomUUID();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    tx.executeWithoutResult(
        s -> {
          storage.reserve(tenant, bucket, key, size, id); // locks the tenant's quota
          int live = index.countLive(tenant, now.minus(MAX_AGE));
          if (live >= MAX_UPLOADS_PER_TENANT) {
            throw ApiException.overLimit(
                ErrorReason.QUOTA_EXCEEDED,
                "maxMultipartUploads",
                "maxMultipartUploads ("
                    + MAX_UPLOADS_PER_TENANT
                    + ") is reached: complete or abort an upload first");
          }
          index.insert(
              new MultipartIndex.Row(id, tenant, bucket, key, size, partSize, staged, OPEN, now));
        });
    return new Upload(id, bucket, key, size, partSize, now.plus(MAX_AGE));
  }

  @Override
  public void checkPart(Principal caller, String uploadId, int partNumber, long length) {
    caller.require(Role.MEMBER);
    checkPartBounds(partNumber, length);
    MultipartIndex.Row row = open(caller, uploadId, false);
    if (row.partSize() > 0) {
      checkFixedSize(row, partNumber, length);
    } else {
      checkFits(row, index.parts(row.id()), partNumber, length);
    }
  }

  @Override
  public UploadedPart uploadPart(
      Principal caller, String uploadId, int partNumber, InputStream body, long length) {
    checkPart(caller, uploadId, partNumber, length);
    MultipartIndex.Row row = open(caller, uploadId, false);
    if (row.staged()) {
      return uploadStagedPart(caller, uploadId, row, partNumber, body, length);
    }
    String tenant = row.tenant();
    UUID blob = UUID.randomUUID();
    boolean stored = false;
    try {
      MessageDigest md5 = DefaultTenantStorage.md5();
      store.put(
          DefaultTenantStorage.blobKey(tenant, row.bucket(), blob),
          new DigestInputStream(body, md5),
          length);
      stored = true;
      byte[] digest = md5.digest();
      Optional<UUID> replaced =
          tx.execute(
              s -> {
                MultipartIndex.Row locked = open(caller, uploadId, true);
                checkFits(locked, index.parts(locked.id()), partNumber, length);
                return index.putPart(
                    locked.id(), new MultipartIndex.Part(partNumber, length, digest, blob, false));
              });
      replaced.ifPresent(old -> storage.deleteBlob(tenant, row.bucket(), old));
      return new UploadedPart(partNumber, length, quoted(digest));
    } catch (RuntimeException e) {
      if (stored) {
        storage.deleteBlob(tenant, row.bucket(), blob);
      }
      throw e instanceof StorageException se ? DefaultTenantStorage.storeFailure(se) : e;
    }
  }

  /** Writes the part in place, into the blob named by the upload's id, claiming it first. */
  private UploadedPart uploadStagedPart(
      Principal caller,
      String uploadId,
      MultipartIndex.Row row,
      int partNumber,
      InputStream body,
      long length) {
    Boolean claimed =
        tx.execute(s -> index.claimPart(open(caller, uploadId, true).id(), partNumber, length));
    if (!Boolean.TRUE.equals(claimed)) {
      throw new ApiException(
          ErrorReason.CONFLICT,
          "part " + partNumber + " is being uploaded by another call; retry when it ends");
    }
    String staging = DefaultTenantStorage.blobKey(row.tenant(), row.bucket(), row.id());
    byte[] digest;
    try {
      MessageDigest md5 = DefaultTenantStorage.md5();
      store.writeAt(
          staging, (partNumber - 1) * row.partSize(), new DigestInputStream(body, md5), length);
      digest = md5.digest();
    } catch (RuntimeException e) {
      try {
        tx.executeWithoutResult(s -> index.dropPendingPart(row.id(), partNumber));
      } catch (RuntimeException x) {
        e.addSuppressed(x);
      }
      throw e instanceof StorageException se ? DefaultTenantStorage.storeFailure(se) : e;
    }
    Boolean finished = tx.execute(s -> index.finishPart(row.id(), partNumber, digest));
    if (!Boolean.TRUE.equals(finished)) {
      // aborted or swept while the part was written: its write may have re-made the staging blob
      storage.deleteBlob(row.tenant(), row.bucket(), row.id());
      throw ApiException.notFound(ErrorReason.UPLOAD_NOT_FOUND, uploadId);
    }
    return new UploadedPart(partNumber, length, quoted(digest));
  }

  @Override
  public StoredObject complete(Principal caller, String uploadId, List<PartRef> parts) {
    caller.require(Role.MEMBER);
    checkPartList(parts);
    record Plan(MultipartIndex.Row row, List<MultipartIndex.Part> chosen) {}
    Plan plan =
        tx.execute(
            s -> {
              MultipartIndex.Row row = open(caller, uploadId, true);
              Map<Integer, MultipartIndex.Part> stored = new HashMap<>();
              index.parts(row.id()).forEach(p -> stored.put(p.number(), p));
              List<MultipartIndex.Part> chosen = new ArrayList<>(parts.size());
              long total = 0;
              for (int i = 0; i < parts.size(); i++) {
                PartRef ref = parts.get(i);
                MultipartIndex.Part p = stored.get(ref.partNumber());
                if (p == null || p.pending()) {
                  throw ApiException.invalid(
                      "part "
                          + ref.partNumber()
                          + (p == null ? " was not uploaded" : " is still being uploaded")
                          + "; upload it, then complete");
                }
                if (row.partSize() > 0 && ref.partNumber() != i + 1) {
                  throw ApiException.invalid(
                      "with a partSize the parts are 1 to the last, none missing; part "
                          + (i + 1)
                          + " is not listed");
                }
                if (!quoted(p.md5()).equals(ref.etag())) {
                  throw ApiException.invalid(
                      "part "
                          + ref.partNumber()
                          + " has the etag "
                          + quoted(p.md5())
                          + ", not the one named");
                }
                if (i < parts.size() - 1 && p.size() < MIN_PART_SIZE) {
                  throw ApiException.invalid(
                      "part "
                          + ref.partNumber()
                          + " has "
                          + p.size()
                          + " bytes: every part but the last needs at least "
                          + MIN_PART_SIZE);
                }
                total += p.size();
                chosen.add(p);
              }
              if (total != row.size()) {
                throw ApiException.invalid(
                    "the parts hold " + total + " bytes, the upload was started for " + row.size());
              }
              index.setState(row.id(), COMPLETING);
              return new Plan(row, chosen);
            });
    MultipartIndex.Row row = plan.row();
    String tenant = row.tenant();
    // a staged upload's blob already holds the object's bytes, in order
    UUID blob = row.staged() ? row.id() : UUID.randomUUID();
    try {
      if (!row.staged()) {
        store.compose(
            DefaultTenantStorage.blobKey(tenant, row.bucket(), blob),
            plan.chosen().stream()
                .map(p -> DefaultTenantStorage.blobKey(tenant, row.bucket(), p.blobId()))
                .toList());
      }
    } catch (RuntimeException e) {
      storage.deleteBlob(tenant, row.bucket(), blob);
      tx.executeWithoutResult(s -> index.setState(row.id(), OPEN));
      throw e instanceof StorageException se ? DefaultTenantStorage.storeFailure(se) : e;
    }
    StoredObject object =
        new StoredObject(
            row.bucket(),
            row.key(),
            row.size(),
            multipartEtag(plan.chosen()),
            clock.instant().truncatedTo(ChronoUnit.MICROS));
    record Done(Optional<UUID> replaced, List<MultipartIndex.Part> parts) {}
    Done done;
    try {
      done =
          tx.execute(
              s -> {
                if (index.find(row.id(), tenant, Instant.EPOCH, true).isEmpty()) {
                  throw ApiException.notFound(ErrorReason.UPLOAD_NOT_FOUND, uploadId);
                }
                List<MultipartIndex.Part> all = index.parts(row.id());
                objects.release(row.id());
                Optional<StorageIndex.Entry> old =
                    objects.find(tenant, row.bucket(), row.key(), true);
                objects.upsert(tenant, object, blob);
                index.delete(row.id());
                return new Done(old.map(StorageIndex.Entry::blobId), all);
              });
    } catch (RuntimeException e) {
      storage.deleteBlob(tenant, row.bucket(), blob);
      throw e;
    }
    done.replaced().ifPresent(old -> storage.deleteBlob(tenant, row.bucket(), old));
    if (!row.staged()) {
      done.parts().forEach(p -> storage.deleteBlob(tenant, row.bucket(), p.blobId()));
    }
    return object;
  }

  @Override
  public void abort(Principal caller, String uploadId) {
    caller.require(Role.MEMBER);
    Discarded d = tx.execute(s -> discard(open(caller, uploadId, true)));
    d.deleteBlobs(storage);
  }

  @Override
  public int sweep(Instant now, int limit) {
    List<Discarded> swept =
        tx.execute(
            s -> index.stale(now.minus(MAX_AGE), limit).stream().map(this::discard).toList());
    swept.forEach(d -> d.deleteBlobs(storage));
    return swept.size();
  }

  /** An upload dropped from the index, whose parts' blobs go once the transaction commits. */
  private record Discarded(MultipartIndex.Row row, List<UUID> blobs) {
    void deleteBlobs(DefaultTenantStorage storage) {
      blobs.forEach(b -> storage.deleteBlob(row.tenant(), row.bucket(), b));
    }
  }

  private Discarded discard(MultipartIndex.Row r) {
    List<UUID> blobs =
        r.staged()
            ? List.of(r.id())
            : index.parts(r.id()).stream().map(MultipartIndex.Part::blobId).toList();
    index.delete(r.id());
    objects.release(r.id());
    return new Discarded(r, blobs);
  }

  /** The caller's upload that takes parts, or UPLOAD_NOT_FOUND / CONFLICT. */
  private MultipartIndex.Row open(Principal caller, String uploadId, boolean forUpdate) {
    UUID id = parse(uploadId);
    MultipartIndex.Row row =
        index
            .find(id, caller.tenantId(), clock.instant().minus(MAX_AGE), forUpdate)
            .orElseThrow(() -> ApiException.notFound(ErrorReason.UPLOAD_NOT_FOUND, uploadId));
    if (!row.open()) {
      throw new ApiException(
          ErrorReason.CONFLICT, "upload " + uploadId + " is being completed: it takes no changes");
    }
    return row;
  }

  private static UUID parse(String uploadId) {
    if (uploadId.length() == 36) {
      try {
        return UUID.fromString(uploadId);
      } catch (IllegalArgumentException e) {
        // not an id we gave out
      }
    }
    throw ApiException.notFound(ErrorReason.UPLOAD_NOT_FOUND, uploadId);
  }

  private static void checkPartBounds(int partNumber, long length) {
    if (partNumber < 1 || partNumber > MAX_PARTS) {
      throw ApiException.invalid(
          "partNumber must be between 1 and " + MAX_PARTS + ", got " + partNumber);
    }
    if (length < 1 || length > MAX_PART_SIZE) {
      throw ApiException.invalid(
          "a part holds 1 to " + MAX_PART_SIZE + " bytes, this one declares " + length);
    }
  }

  /**
   * With a part size, part n's size follows from n: the part size, or what is left for the last.
   */
  private static void checkFixedSize(MultipartIndex.Row row, int partNumber, long length) {
    long last = (row.size() + row.partSize() - 1) / row.partSize();
    if (partNumber > last) {
      throw ApiException.invalid(
          "the upload has "
              + last
              + " parts of "
              + row.partSize()
              + " bytes; no part "
              + partNumber);
    }
    long expected = partNumber < last ? row.partSize() : row.size() - (last - 1) * row.partSize();
    if (length != expected) {
      throw ApiException.invalid(
          "part " + partNumber + " must hold " + expected + " bytes, this one declares " + length);
    }
  }

  /** The parts stored, with this one in place of its number, must fit the upload's size. */
  private static void checkFits(
      MultipartIndex.Row row, List<MultipartIndex.Part> stored, int partNumber, long length) {
    long others =
        stored.stream()
            .filter(p -> p.number() != partNumber)
            .mapToLong(MultipartIndex.Part::size)
            .sum();
    if (others + length > row.size()) {
      throw ApiException.invalid(
          "the parts would hold "
              + (others + length)
              + " bytes, more than the upload's "
              + row.size()
              + "; replace a part or abort");
    }
  }

  private static void checkPartList(List<PartRef> parts) {
    if (parts.isEmpty() || parts.size() > MAX_PARTS) {
      throw ApiException.invalid(
          "complete takes 1 to " + MAX_PARTS + " parts, got " + parts.size());
    }
    int previous = 0;
    for (PartRef p : parts) {
      if (p.partNumber() <= previous || p.partNumber() > MAX_PARTS) {
        throw ApiException.invalid(
            "parts must be listed in ascending part number order, each 1 to "
                + MAX_PARTS
                + ", once; got "
                + p.partNumber()
                + " after "
                + previous);
      }
      if (p.etag().length() > MAX_ETAG) {
        throw ApiException.invalid("an etag is longer than " + MAX_ETAG + " characters");
      }
      previous = p.partNumber();
    }
  }

  /** S3's etag of a multipart object: the MD5 of the parts' binary MD5s, and their count. */
  static String multipartEtag(List<MultipartIndex.Part> parts) {
    MessageDigest md5 = DefaultTenantStorage.md5();
    parts.forEach(p -> md5.update(p.md5()));
    return "\"" + HexFormat.of().formatHex(md5.digest()) + "-" + parts.size() + "\"";
  }

  private static String quoted(byte[] md5) {
    return "\"" + HexFormat.of().formatHex(md5) + "\"";
  }
}
