package dev.quarry.client;

import dev.quarry.client.internal.ClientConfig;
import dev.quarry.client.internal.Connection;
import dev.quarry.client.internal.ParallelDownload;
import dev.quarry.client.internal.ParallelUpload;
import dev.quarry.client.internal.StreamedDownload;
import dev.quarry.client.internal.StreamedUpload;
import dev.quarry.proto.v1.AbortUploadRequest;
import dev.quarry.proto.v1.CompleteUploadRequest;
import dev.quarry.proto.v1.CompletedPart;
import dev.quarry.proto.v1.DeleteObjectsRequest;
import dev.quarry.proto.v1.GetObjectRequest;
import dev.quarry.proto.v1.GetObjectResponse;
import dev.quarry.proto.v1.HeadObjectRequest;
import dev.quarry.proto.v1.ListObjectsRequest;
import dev.quarry.proto.v1.ListObjectsResponse;
import dev.quarry.proto.v1.PutObjectHeader;
import dev.quarry.proto.v1.PutObjectRequest;
import dev.quarry.proto.v1.StartUploadRequest;
import dev.quarry.proto.v1.StorageServiceGrpc;
import dev.quarry.proto.v1.Upload;
import dev.quarry.proto.v1.UploadPartHeader;
import dev.quarry.proto.v1.UploadPartRequest;
import dev.quarry.proto.v1.UploadedPart;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's objects in named buckets on the Quarry server (its Storage API over gRPC): put, get
 * (whole, a byte range, or as a stream), head, list by prefix (paging as you go) and delete. Bytes
 * stream both ways; only the {@code byte[]} and {@code String} forms hold an object in memory.
 *
 * <pre>{@code
 * try (QuarryStorage storage = QuarryStorage.connect("localhost:9090")) {
 *   storage.putObject("my-bucket", "test.txt", "Hello World");
 *   String text = storage.getObjectAsString("my-bucket", "test.txt");
 *   storage.listObjects("my-bucket", "logs/").forEach(o -> System.out.println(o.key()));
 *   storage.downloadFile("my-bucket", "big.bin", Path.of("/tmp/big.bin"));
 * }
 * }</pre>
 *
 * <p>Every method throws {@link QuarryException}: {@link ErrorReason#OBJECT_NOT_FOUND}, {@link
 * ErrorReason#INVALID_OBJECT_NAME} (bucket names are 3-63 of {@code a-z 0-9 . -}; keys are
 * relative, at most 1024 bytes, without {@code ..}, control characters, {@code \ % ;}), {@link
 * ErrorReason#PERMISSION_DENIED} (a viewer key writing), and {@code PAYLOAD_TOO_LARGE} or {@code
 * QUOTA_EXCEEDED} naming the tenant's limit in {@link QuarryException#metadata()}.
 *
 * <p>Long because it is a public API with one documented method per form of each storage operation
 * (bytes, text, stream and file; whole and ranges; one and many).
 */
public final class QuarryStorage implements AutoCloseable {
  /** Most keys one listing page or one delete call carries. */
  public static final int MAX_PAGE = 1000;

  private final Connection connection;
  private final StorageServiceGrpc.StorageServiceBlockingStub blocking;
  private final StorageServiceGrpc.StorageServiceStub async;
  private final ClientOptions options;

  private QuarryStorage(Connection connection, ClientOptions options) {
    this.connection = connection;
    this.blocking =
        StorageServiceGrpc.newBlockingStub(connection.channel())
            .withInterceptors(connection.auth());
    this.async =
        StorageServiceGrpc.newStub(connection.channel()).withInterceptors(connection.auth());
    this.options = options;
  }

  /** Connects to {@code target} with the configured API key, as {@link FunctionExecutor} does. */
  public static QuarryStorage connect(String target) {
    return connect(target, ClientOptions.DEFAULT);
  }

  /**
   * Connects to {@code target} (null: the configured one, as {@link FunctionExecutor#connect()}
   * finds it); the same options as a {@link FunctionExecutor} work here.
   */
  public static QuarryStorage connect(@Nullable String target, ClientOptions options) {
    return connect(
        ClientConfig.resolve(target, Objects.requireNonNull(options, "options")), options);
  }

  /** Connects as an already resolved {@link ClientConfig} says (the command-line tool). */
  public static QuarryStorage connect(ClientConfig config, ClientOptions options) {
    return new QuarryStorage(Connection.open(config, options), options);
  }

  /** One page of a listing; {@code nextPageToken} is empty on the last. */
  public record Page(List<ObjectInfo> objects, String nextPageToken) {
    public Page {
      objects = List.copyOf(objects);
    }
  }

  // --- put ---

  public ObjectInfo putObject(String bucket, String key, byte[] data) {
    return putObject(bucket, key, new ByteArrayInputStream(data), data.length);
  }

  /** Stores {@code text} as UTF-8. */
  public ObjectInfo putObject(String bucket, String key, String text) {
    return putObject(bucket, key, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Stores exactly {@code size} bytes read from {@code data}, streamed in chunks; the stream is not
   * closed. The object appears whole when all bytes have arrived, or not at all.
   */
  public ObjectInfo putObject(String bucket, String key, InputStream data, long size) {
    return put(bucket, key, () -> new NonClosing(data), size);
  }

  /** Stores the content of {@code file}. */
  public ObjectInfo putObject(String bucket, String key, Path file) {
    try {
      return put(bucket, key, () -> Files.newInputStream(file), Files.size(file));
    } catch (IOException e) {
      throw new QuarryException(
          Status.Code.FAILED_PRECONDITION, "cannot read " + file + ": " + e, false, e);
    }
  }

  /**
   * Uploads {@code file} as {@code bucket/key} (Lithops' {@code upload_file}); a file larger than
   * {@link TransferOptions#DEFAULT}'s part size goes in parallel parts.
   */
  public ObjectInfo uploadFile(Path file, String bucket, String key) {
    return uploadFile(file, bucket, key, TransferOptions.DEFAULT);
  }

  /**
   * Uploads {@code file} as {@code bucket/key}. A file no larger than {@link
   * TransferOptions#partSize()} is one put; a larger one is a multipart upload: parts of that size
   * (larger if the file would need more than {@value #MAX_PARTS} parts), {@link
   * TransferOptions#parallelism()} in flight, then one complete call that makes the object appear
   * whole. Its etag is then {@code "<md5 of the parts' md5s>-<parts>"}, as S3's. If a part fails,
   * the upload is aborted and nothing is stored.
   *
   * @throws QuarryException PAYLOAD_TOO_LARGE or QUOTA_EXCEEDED (before any byte is sent) naming
   *     the limit, or the first part's failure
   */
  public ObjectInfo uploadFile(Path file, String bucket, String key, TransferOptions transfer) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new QuarryException(
          Status.Code.FAILED_PRECONDITION, "cannot read " + file + ": " + e, false, e);
    }
    if (size <= transfer.partSize()) {
      ObjectInfo o = putObject(bucket, key, file);
      transfer.progress().accept(size);
      return o;
    }
    long partSize = Math.max(transfer.partSize(), (size + MAX_PARTS - 1) / MAX_PARTS);
    String what = bucket + "/" + key;
    Upload upload =
        connection.call(
            "start upload of " + what,
            () ->
                unary()
                    .startUpload(
                        StartUploadRequest.newBuilder()
                            .setBucket(bucket)
                            .setKey(key)
                            .setSize(size)
                            .setPartSize(partSize)
                            .build()));
    try {
      List<ParallelUpload.Part> parts =
          ParallelUpload.run(
              size,
              partSize,
              transfer.parallelism(),
              (number, offset, length) ->
                  uploadPart(upload.getUploadId(), number, file, offset, length, what),
              transfer.progress());
      CompleteUploadRequest.Builder complete =
          CompleteUploadRequest.newBuilder().setUploadId(upload.getUploadId());
      parts.forEach(
          p ->
              complete.addParts(
                  CompletedPart.newBuilder().setPartNumber(p.number()).setEtag(p.etag())));
      // composing the parts takes time on the server: allow 1 MiB/s on top of the call deadline
      return info(
          connection.call(
              "complete upload of " + what,
              () ->
                  blocking
                      .withDeadlineAfter(
                          options.callTimeout().toMillis() + size / 1024, TimeUnit.MILLISECONDS)
                      .completeUpload(complete.build())));
    } catch (InterruptedException e) {
      abortQuietly(upload);
      Thread.currentThread().interrupt();
      throw new QuarryException(Status.Code.CANCELLED, "interrupted: upload " + what, false, e);
    } catch (RuntimeException e) {
      abortQuietly(upload);
      throw e;
    }
  }

  /** Most parts of one multipart upload. */
  public static final int MAX_PARTS = 10_000;

  private String uploadPart(
      String uploadId, int number, Path file, long offset, long length, String what) {
    String part = what + " part " + number;
    StreamedUpload<UploadPartRequest, UploadedPart> upload =
        new StreamedUpload<>(
            () -> ParallelUpload.range(file, offset, length),
            UploadPartRequest.newBuilder()
                .setHeader(
                    UploadPartHeader.newBuilder()
                        .setUploadId(uploadId)
                        .setPartNumber(number)
                        .setSize(length))
                .build(),
            data -> UploadPartRequest.newBuilder().setData(data).build(),
            options.uploadChunkSize(),
            part,
            t -> connection.failure(t, "upload " + part));
    async
        .withDeadlineAfter(options.callTimeout().toMillis() + length / 1024, TimeUnit.MILLISECONDS)
        .withOnReadyThreshold(StreamedUpload.readyThreshold(options.uploadChunkSize()))
        .uploadPart(upload);
    try {
      return upload.result().get().getEtag();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof QuarryException q ? q : connection.failure(e, "upload " + part);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QuarryException(Status.Code.CANCELLED, "interrupted: upload " + part, false, e);
    }
  }

  private void abortQuietly(Upload upload) {
    try {
      unary()
          .abortUpload(AbortUploadRequest.newBuilder().setUploadId(upload.getUploadId()).build());
    } catch (RuntimeException ignored) {
      // the server discards the upload after its maximum age anyway
    }
  }

  private ObjectInfo put(String bucket, String key, StreamedUpload.Source source, long size) {
    String what = bucket + "/" + key;
    StreamedUpload<PutObjectRequest, dev.quarry.proto.v1.ObjectInfo> upload =
        new StreamedUpload<>(
            source,
            PutObjectRequest.newBuilder()
                .setHeader(PutObjectHeader.newBuilder().setBucket(bucket).setKey(key).setSize(size))
                .build(),
            data -> PutObjectRequest.newBuilder().setData(data).build(),
            options.uploadChunkSize(),
            what,
            t -> connection.failure(t, "put " + what));
    // allow at least 1 MiB/s on top of the usual call deadline
    async
        .withDeadlineAfter(options.callTimeout().toMillis() + size / 1024, TimeUnit.MILLISECONDS)
        .withOnReadyThreshold(StreamedUpload.readyThreshold(options.uploadChunkSize()))
        .putObject(upload);
    try {
      return info(upload.result().get());
    } catch (ExecutionException e) {
      throw e.getCause() instanceof QuarryException q ? q : connection.failure(e, "put " + what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QuarryException(Status.Code.CANCELLED, "interrupted: put " + what, false, e);
    }
  }

  // --- get ---

  public byte[] getObject(String bucket, String key) {
    try (InputStream in = openObject(bucket, key)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Up to {@code length} bytes from {@code offset} (fewer at the end of the object). */
  public byte[] getObject(String bucket, String key, long offset, long length) {
    try (InputStream in = openObject(bucket, key, offset, length)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The object decoded as UTF-8. */
  public String getObjectAsString(String bucket, String key) {
    return new String(getObject(bucket, key), StandardCharsets.UTF_8);
  }

  /**
   * The object as a stream that fetches its bytes as they are read; closing it early cancels the
   * transfer.
   */
  public InputStream openObject(String bucket, String key) {
    return open(GetObjectRequest.newBuilder().setBucket(bucket).setKey(key).build());
  }

  /**
   * A range of the object as a stream: {@code length} bytes from {@code offset}, or to the end if
   * {@code length} is 0.
   *
   * @throws QuarryException RANGE_NOT_SATISFIABLE if {@code offset} is at or past the end
   */
  public InputStream openObject(String bucket, String key, long offset, long length) {
    return open(range(bucket, key, offset, length).build());
  }

  private static GetObjectRequest.Builder range(
      String bucket, String key, long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset and length must not be negative");
    }
    return GetObjectRequest.newBuilder()
        .setBucket(bucket)
        .setKey(key)
        .setHasRange(true)
        .setOffset(offset)
        .setLength(length);
  }

  private InputStream open(GetObjectRequest request) {
    String what = "get " + request.getBucket() + "/" + request.getKey();
    var opened =
        StreamedDownload.open(
            () -> blocking.getObject(request),
            GetObjectResponse::getData,
            t -> connection.failure(t, what));
    if (!opened.header().hasHeader()) {
      opened.stream().close();
      throw new QuarryException(Status.Code.INTERNAL, what + ": the server sent no header");
    }
    return opened.stream();
  }

  /**
   * Downloads the object to {@code file} (through a temporary file next to it, so {@code file} is
   * never half-written), replacing it; Lithops' {@code download_file}. A large object is read in
   * parallel parts as {@link TransferOptions#DEFAULT} says.
   *
   * @return the bytes written
   * @throws QuarryException OBJECT_CHANGED if the object was replaced during the download
   */
  public long downloadFile(String bucket, String key, Path file) {
    return downloadFile(bucket, key, file, TransferOptions.DEFAULT);
  }

  /**
   * Downloads the object to {@code file} in ranged parts, {@link TransferOptions#parallelism()} in
   * flight, each written at its place in a temporary file next to {@code file} that replaces it at
   * the end. Every part asks for the version the download started with (its etag): if the object is
   * replaced meanwhile, the download fails with OBJECT_CHANGED rather than mix two versions.
   *
   * @return the bytes written
   */
  public long downloadFile(String bucket, String key, Path file, TransferOptions transfer) {
    ObjectInfo info = headObject(bucket, key);
    Path dir = file.toAbsolutePath().getParent();
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, ".quarry-download", ".part");
      ParallelDownload.run(
          info.size(),
          transfer.partSize(),
          transfer.parallelism(),
          (offset, length) ->
              open(range(bucket, key, offset, length).setIfMatch(info.etag()).build()),
          temp,
          transfer.progress());
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return info.size();
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new QuarryException(
          Status.Code.FAILED_PRECONDITION, "cannot write " + file + ": " + e, false, e);
    } catch (InterruptedException e) {
      deleteQuietly(temp);
      Thread.currentThread().interrupt();
      throw new QuarryException(
          Status.Code.CANCELLED, "interrupted: download " + bucket + "/" + key, false, e);
    } catch (RuntimeException e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  // --- metadata, listing, delete ---

  /** The object's size, entity tag and time. */
  public ObjectInfo headObject(String bucket, String key) {
    return connection.call(
        "head " + bucket + "/" + key,
        () ->
            info(
                unary()
                    .headObject(
                        HeadObjectRequest.newBuilder().setBucket(bucket).setKey(key).build())));
  }

  /** Whether the object exists. */
  public boolean exists(String bucket, String key) {
    try {
      headObject(bucket, key);
      return true;
    } catch (QuarryException e) {
      if (e.reason() == ErrorReason.OBJECT_NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /**
   * One page of the objects whose key starts with {@code prefix}, in key order.
   *
   * @param pageToken empty for the first page, else the previous page's {@code nextPageToken}
   * @param limit 1 to {@value #MAX_PAGE}
   */
  public Page listObjectsPage(String bucket, String prefix, String pageToken, int limit) {
    ListObjectsResponse r =
        connection.call(
            "list " + bucket + "/" + prefix,
            () ->
                unary()
                    .listObjects(
                        ListObjectsRequest.newBuilder()
                            .setBucket(bucket)
                            .setPrefix(prefix)
                            .setPageToken(pageToken)
                            .setLimit(limit)
                            .build()));
    return new Page(
        r.getObjectsList().stream().map(QuarryStorage::info).toList(), r.getNextPageToken());
  }

  /**
   * All objects whose key starts with {@code prefix} (empty: all of the bucket), in key order,
   * fetched a page at a time as the stream is consumed.
   */
  public Stream<ObjectInfo> listObjects(String bucket, String prefix) {
    return listObjects(bucket, prefix, MAX_PAGE);
  }

  /** Like {@link #listObjects(String, String)}, fetching {@code pageSize} objects per call. */
  public Stream<ObjectInfo> listObjects(String bucket, String prefix, int pageSize) {
    if (pageSize < 1 || pageSize > MAX_PAGE) {
      throw new IllegalArgumentException("pageSize must be 1 to " + MAX_PAGE + ": " + pageSize);
    }
    Iterator<ObjectInfo> pages =
        new Iterator<>() {
          private Iterator<ObjectInfo> page = List.<ObjectInfo>of().iterator();
          private @Nullable String token = "";

          @Override
          public boolean hasNext() {
            while (!page.hasNext() && token != null) {
              Page p = listObjectsPage(bucket, prefix, token, pageSize);
              page = p.objects().iterator();
              token = p.nextPageToken().isEmpty() ? null : p.nextPageToken();
            }
            return page.hasNext();
          }

          @Override
          public ObjectInfo next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return page.next();
          }
        };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /** Deletes the object; deleting a missing one is not an error. */
  public void deleteObject(String bucket, String key) {
    deleteObjects(bucket, List.of(key));
  }

  /**
   * Deletes the objects ({@value #MAX_PAGE} per call to the server); missing ones are skipped.
   *
   * @return how many existed
   */
  public int deleteObjects(String bucket, Collection<String> keys) {
    List<String> all = new ArrayList<>(keys);
    int deleted = 0;
    for (int from = 0; from < all.size(); from += MAX_PAGE) {
      List<String> batch = all.subList(from, Math.min(all.size(), from + MAX_PAGE));
      deleted +=
          connection
              .call(
                  "delete from " + bucket,
                  () ->
                      unary()
                          .deleteObjects(
                              DeleteObjectsRequest.newBuilder()
                                  .setBucket(bucket)
                                  .addAllKeys(batch)
                                  .build()))
              .getDeleted();
    }
    return deleted;
  }

  private StorageServiceGrpc.StorageServiceBlockingStub unary() {
    return blocking.withDeadlineAfter(options.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static ObjectInfo info(dev.quarry.proto.v1.ObjectInfo o) {
    return new ObjectInfo(
        o.getBucket(),
        o.getKey(),
        o.getSize(),
        o.getEtag(),
        Instant.ofEpochMilli(o.getLastModifiedEpochMs()));
  }

  private static void deleteQuietly(@Nullable Path temp) {
    if (temp != null) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a leftover temporary file is harmless
      }
    }
  }

  @Override
  public void close() {
    connection.close();
  }

  /** The caller's stream, which the upload must not close. */
  private static final class NonClosing extends java.io.FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
