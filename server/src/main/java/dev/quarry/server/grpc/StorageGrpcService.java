package dev.quarry.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.quarry.proto.v1.AbortUploadRequest;
import dev.quarry.proto.v1.AbortUploadResponse;
import dev.quarry.proto.v1.CompleteUploadRequest;
import dev.quarry.proto.v1.DeleteObjectsRequest;
import dev.quarry.proto.v1.DeleteObjectsResponse;
import dev.quarry.proto.v1.GetObjectHeader;
import dev.quarry.proto.v1.GetObjectRequest;
import dev.quarry.proto.v1.GetObjectResponse;
import dev.quarry.proto.v1.HeadObjectRequest;
import dev.quarry.proto.v1.ListObjectsRequest;
import dev.quarry.proto.v1.ListObjectsResponse;
import dev.quarry.proto.v1.ObjectInfo;
import dev.quarry.proto.v1.PutObjectHeader;
import dev.quarry.proto.v1.PutObjectRequest;
import dev.quarry.proto.v1.StartUploadRequest;
import dev.quarry.proto.v1.StorageServiceGrpc;
import dev.quarry.proto.v1.Upload;
import dev.quarry.proto.v1.UploadPartHeader;
import dev.quarry.proto.v1.UploadPartRequest;
import dev.quarry.proto.v1.UploadedPart;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.storage.MultipartUploads;
import dev.quarry.server.storage.ObjectContent;
import dev.quarry.server.storage.ObjectPage;
import dev.quarry.server.storage.RangeRequest;
import dev.quarry.server.storage.StoredObject;
import dev.quarry.server.storage.TenantStorage;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.stereotype.Component;

/**
 * gRPC face of the Storage API: a put streams in, straight through to the store; a get streams out
 * in chunks as fast as the client takes them.
 *
 * <p>Long because it is the gRPC face of every storage call (put, the four multipart calls, ranged
 * get with flow control, head, list, delete), each a thin translation between messages and {@link
 * TenantStorage} or {@link MultipartUploads}; the streaming intake lives in {@link ClientStreams}.
 */
@Component
public class StorageGrpcService extends StorageServiceGrpc.StorageServiceImplBase {
  /** Bytes per streamed get message: large enough that per-message costs do not dominate. */
  private static final int CHUNK = 1024 * 1024;

  private final TenantStorage storage;
  private final MultipartUploads uploads;

  public StorageGrpcService(TenantStorage storage, MultipartUploads uploads) {
    this.storage = storage;
    this.uploads = uploads;
  }

  /**
   * Streams the client's bytes straight into {@link TenantStorage#put} on a virtual thread: the
   * header is checked (role, names, size, quota) before any byte is taken, and at most a few chunks
   * wait in memory between the two.
   */
  @Override
  public StreamObserver<PutObjectRequest> putObject(StreamObserver<ObjectInfo> out) {
    Principal p = AuthInterceptor.principal();
    return ClientStreams.intake(
        out,
        "PutObject",
        new ClientStreams.Intake<PutObjectRequest, ObjectInfo>() {
          @Override
          public boolean hasHeader(PutObjectRequest m) {
            return m.hasHeader();
          }

          @Override
          public ByteString data(PutObjectRequest m) {
            return m.getData();
          }

          @Override
          public long check(PutObjectRequest m) {
            PutObjectHeader h = m.getHeader();
            storage.check(p, h.getBucket(), h.getKey(), h.getSize());
            return h.getSize();
          }

          @Override
          public ObjectInfo store(PutObjectRequest m, InputStream in) {
            PutObjectHeader h = m.getHeader();
            return info(storage.put(p, h.getBucket(), h.getKey(), in, h.getSize()));
          }
        });
  }

  @Override
  public StreamObserver<UploadPartRequest> uploadPart(StreamObserver<UploadedPart> out) {
    Principal p = AuthInterceptor.principal();
    return ClientStreams.intake(
        out,
        "UploadPart",
        new ClientStreams.Intake<UploadPartRequest, UploadedPart>() {
          @Override
          public boolean hasHeader(UploadPartRequest m) {
            return m.hasHeader();
          }

          @Override
          public ByteString data(UploadPartRequest m) {
            return m.getData();
          }

          @Override
          public long check(UploadPartRequest m) {
            UploadPartHeader h = m.getHeader();
            uploads.checkPart(p, h.getUploadId(), h.getPartNumber(), h.getSize());
            return h.getSize();
          }

          @Override
          public UploadedPart store(UploadPartRequest m, InputStream in) {
            UploadPartHeader h = m.getHeader();
            MultipartUploads.UploadedPart part =
                uploads.uploadPart(p, h.getUploadId(), h.getPartNumber(), in, h.getSize());
            return UploadedPart.newBuilder()
                .setPartNumber(part.partNumber())
                .setSize(part.size())
                .setEtag(part.etag())
                .build();
          }
        });
  }

  @Override
  public void startUpload(StartUploadRequest request, StreamObserver<Upload> out) {
    Principal p = AuthInterceptor.principal();
    JobGrpcService.unary(
        out,
        () -> {
          MultipartUploads.Upload u =
              uploads.start(
                  p,
                  request.getBucket(),
                  request.getKey(),
                  request.getSize(),
                  request.getPartSize());
          return Upload.newBuilder()
              .setUploadId(u.id().toString())
              .setBucket(u.bucket())
              .setKey(u.key())
              .setSize(u.size())
              .setMinPartSize(MultipartUploads.MIN_PART_SIZE)
              .setMaxPartSize(MultipartUploads.MAX_PART_SIZE)
              .setMaxParts(MultipartUploads.MAX_PARTS)
              .setExpiresEpochMs(u.expiresAt().toEpochMilli())
              .setPartSize(u.partSize())
              .build();
        });
  }

  @Override
  public void completeUpload(CompleteUploadRequest request, StreamObserver<ObjectInfo> out) {
    Principal p = AuthInterceptor.principal();
    JobGrpcService.unary(
        out,
        () ->
            info(
                uploads.complete(
                    p,
                    request.getUploadId(),
                    request.getPartsList().stream()
                        .map(c -> new MultipartUploads.PartRef(c.getPartNumber(), c.getEtag()))
                        .toList())));
  }

  @Override
  public void abortUpload(AbortUploadRequest request, StreamObserver<AbortUploadResponse> out) {
    Principal p = AuthInterceptor.principal();
    JobGrpcService.unary(
        out,
        () -> {
          uploads.abort(p, request.getUploadId());
          return AbortUploadResponse.getDefaultInstance();
        });
  }

  @Override
  public void getObject(GetObjectRequest request, StreamObserver<GetObjectResponse> out) {
    Principal p = AuthInterceptor.principal();
    var observer = (ServerCallStreamObserver<GetObjectResponse>) out;
    // ready while a few chunks are queued (gRPC's default is 32 KiB, less than one chunk)
    observer.setOnReadyThreshold(4 * CHUNK);
    var sink = new FlowControlledSink<GetObjectResponse>(observer, r -> null);
    ObjectContent content;
    try {
      RangeRequest range =
          request.getHasRange() ? RangeRequest.of(request.getOffset(), request.getLength()) : null;
      content =
          storage.get(
              p,
              request.getBucket(),
              request.getKey(),
              range,
              request.getIfMatch().isEmpty() ? null : request.getIfMatch());
    } catch (RuntimeException e) {
      GrpcErrors.fail(out, e);
      return;
    }
    Thread.ofVirtual()
        .name("quarry-storage-get")
        .start(
            () -> {
              try (content) {
                out.onNext(
                    GetObjectResponse.newBuilder()
                        .setHeader(
                            GetObjectHeader.newBuilder()
                                .setInfo(info(content.info()))
                                .setOffset(content.offset())
                                .setLength(content.length()))
                        .build());
                long left = content.length();
                while (left > 0) {
                  // a fresh array per chunk, handed to the message without a copy
                  byte[] buffer = content.stream().readNBytes((int) Math.min(CHUNK, left));
                  if (buffer.length == 0) {
                    throw new IOException("the stored object ended early");
                  }
                  left -= buffer.length;
                  sink.awaitReady();
                  if (sink.closed()) {
                    return;
                  }
                  out.onNext(
                      GetObjectResponse.newBuilder()
                          .setData(UnsafeByteOperations.unsafeWrap(buffer))
                          .build());
                }
                out.onCompleted();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                GrpcErrors.fail(out, e);
              } catch (Exception e) {
                if (!sink.closed()) {
                  GrpcErrors.fail(out, e);
                }
              }
            });
  }

  @Override
  public void headObject(HeadObjectRequest request, StreamObserver<ObjectInfo> out) {
    Principal p = AuthInterceptor.principal();
    JobGrpcService.unary(out, () -> info(storage.head(p, request.getBucket(), request.getKey())));
  }

  @Override
  public void listObjects(ListObjectsRequest request, StreamObserver<ListObjectsResponse> out) {
    Principal p = AuthInterceptor.principal();
    JobGrpcService.unary(
        out,
        () -> {
          int limit = request.getLimit() == 0 ? TenantStorage.MAX_PAGE : request.getLimit();
          ObjectPage page =
              storage.list(
                  p, request.getBucket(), request.getPrefix(), request.getPageToken(), limit);
          ListObjectsResponse.Builder b =
              ListObjectsResponse.newBuilder().setNextPageToken(page.nextPageToken());
          page.objects().forEach(o -> b.addObjects(info(o)));
          return b.build();
        });
  }

  @Override
  public void deleteObjects(
      DeleteObjectsRequest request, StreamObserver<DeleteObjectsResponse> out) {
    Principal p = AuthInterceptor.principal();
    JobGrpcService.unary(
        out,
        () ->
            DeleteObjectsResponse.newBuilder()
                .setDeleted(storage.delete(p, request.getBucket(), request.getKeysList()))
                .build());
  }

  private static ObjectInfo info(StoredObject o) {
    return ObjectInfo.newBuilder()
        .setBucket(o.bucket())
        .setKey(o.key())
        .setSize(o.size())
        .setEtag(o.etag())
        .setLastModifiedEpochMs(o.updatedAt().toEpochMilli())
        .build();
  }
}
