package dev.quarry.client.internal;

import dev.quarry.client.QuarryException;
import dev.quarry.proto.v1.BlobHeader;
import dev.quarry.proto.v1.FindMissingBlobsRequest;
import dev.quarry.proto.v1.FindMissingBlobsResponse;
import dev.quarry.proto.v1.UploadBlobRequest;
import dev.quarry.proto.v1.UploadBlobResponse;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the server holds blobs: asks {@code FindMissingBlobs} about the digests not yet known
 * to be there, then streams the missing ones with {@code UploadBlob} (header first, then data
 * chunks), a few at a time, respecting gRPC flow control.
 */
final class BlobUploader {
  private final ClientCore core;
  private final Set<String> present = ConcurrentHashMap.newKeySet();

  BlobUploader(ClientCore core) {
    this.core = core;
  }

  /**
   * Uploads whichever of {@code blobs} the server lacks.
   *
   * @throws QuarryException if a call fails or a blob cannot be read
   */
  void ensureUploaded(List<Blob> blobs) {
    Map<String, Blob> unknown = new LinkedHashMap<>();
    for (Blob b : blobs) {
      if (!present.contains(b.digest())) {
        unknown.putIfAbsent(b.digest(), b);
      }
    }
    if (unknown.isEmpty()) {
      return;
    }
    FindMissingBlobsResponse response =
        core.call(
            "checking which blobs the server holds",
            stub ->
                stub.findMissingBlobs(
                    FindMissingBlobsRequest.newBuilder().addAllDigests(unknown.keySet()).build()));
    Set<String> missing = new HashSet<>(response.getMissingList());
    List<Blob> toUpload = new ArrayList<>();
    for (Blob b : unknown.values()) {
      if (missing.contains(b.digest())) {
        toUpload.add(b);
      } else {
        present.add(b.digest());
      }
    }
    uploadAll(toUpload);
  }

  /** Forgets what the server was known to hold (it may have dropped blobs). */
  void forgetAll() {
    present.clear();
  }

  private void uploadAll(List<Blob> blobs) {
    if (blobs.isEmpty()) {
      return;
    }
    Semaphore slots = new Semaphore(core.options().uploadConcurrency());
    List<Future<?>> running = new ArrayList<>();
    for (Blob b : blobs) {
      running.add(
          core.workers()
              .submit(
                  () -> {
                    slots.acquire();
                    try {
                      upload(b).get();
                      present.add(b.digest());
                    } finally {
                      slots.release();
                    }
                    return null;
                  }));
    }
    try {
      for (Future<?> f : running) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.forEach(f -> f.cancel(true));
      throw new QuarryException(
          Status.Code.CANCELLED, "interrupted while uploading the function's classpath", false, e);
    } catch (ExecutionException e) {
      running.forEach(f -> f.cancel(true));
      Throwable cause =
          e.getCause() instanceof ExecutionException inner && inner.getCause() != null
              ? inner.getCause()
              : e.getCause();
      if (cause instanceof QuarryException q) {
        throw q;
      }
      throw new QuarryException(
          Status.Code.INTERNAL,
          "uploading the function's classpath failed: " + cause,
          false,
          cause);
    }
  }

  /** Streams one blob; the future fails with a {@link QuarryException}. */
  CompletableFuture<UploadBlobResponse> upload(Blob blob) {
    // allow at least 1 MiB/s on top of the usual call deadline
    long deadlineMs = core.options().callTimeout().toMillis() + blob.size() / 1024;
    StreamedUpload<UploadBlobRequest, UploadBlobResponse> upload =
        new StreamedUpload<>(
            blob::open,
            UploadBlobRequest.newBuilder()
                .setHeader(BlobHeader.newBuilder().setDigest(blob.digest()).setSize(blob.size()))
                .build(),
            data -> UploadBlobRequest.newBuilder().setData(data).build(),
            core.options().uploadChunkSize(),
            blob.describe(),
            t -> core.errors().fromGrpc(t, "uploading " + blob.describe()));
    core.async()
        .withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS)
        .withOnReadyThreshold(StreamedUpload.readyThreshold(core.options().uploadChunkSize()))
        .uploadBlob(upload);
    return upload
        .result()
        .thenApply(
            r -> {
              if (!r.getDigest().equals(blob.digest())) {
                throw new QuarryException(
                    Status.Code.DATA_LOSS,
                    "uploading "
                        + blob.describe()
                        + ": the server stored digest "
                        + r.getDigest()
                        + ", expected "
                        + blob.digest());
              }
              return r;
            });
  }
}
