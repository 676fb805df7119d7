package dev.quarry.server.grpc;

import com.google.protobuf.UnsafeByteOperations;
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
import dev.quarry.proto.v1.StorageServiceGrpc;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.storage.ObjectContent;
import dev.quarry.server.storage.ObjectPage;
import dev.quarry.server.storage.RangeRequest;
import dev.quarry.server.storage.StoredObject;
import dev.quarry.server.storage.TenantStorage;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * gRPC face of the Storage API: a put streams in, straight through to the store; a get streams out
 * in chunks as fast as the client takes them.
 */
@Component
public class StorageGrpcService extends StorageServiceGrpc.StorageServiceImplBase {
  /** Bytes per streamed get message: large enough that per-message costs do not dominate. */
  private static final int CHUNK = 1024 * 1024;

  private final TenantStorage storage;

  public StorageGrpcService(TenantStorage storage) {
    this.storage = storage;
  }

  /**
   * Streams the client's bytes straight into {@link TenantStorage#put} on a virtual thread: the
   * header is checked (role, names, size, quota) before any byte is taken, and at most a few chunks
   * wait in memory between the two.
   */
  @Override
  public StreamObserver<PutObjectRequest> putObject(StreamObserver<ObjectInfo> out) {
    Principal p = AuthInterceptor.principal();
    ChunkPipe pipe = new ChunkPipe();
    // however the call ends (also when an interceptor refuses a message), the put stops waiting
    ((ServerCallStreamObserver<ObjectInfo>) out)
        .setOnCloseHandler(() -> pipe.fail(new IOException("the call ended")));
    return new StreamObserver<>() {
      private @Nullable PutObjectHeader header;
      private @Nullable CompletableFuture<StoredObject> stored;
      private long received;
      private boolean answered;

      @Override
      public void onNext(PutObjectRequest part) {
        if (answered) {
          return;
        }
        try {
          if (header == null) {
            p.require(Role.MEMBER);
            if (!part.hasHeader()) {
              throw ApiException.invalid("the first PutObject message must carry the header");
            }
            PutObjectHeader h = part.getHeader();
            storage.check(p, h.getBucket(), h.getKey(), h.getSize());
            header = h;
            stored = new CompletableFuture<>();
            CompletableFuture<StoredObject> result = stored;
            Thread.ofVirtual()
                .name("quarry-storage-put")
                .start(
                    () -> {
                      try (ChunkPipe in = pipe) {
                        result.complete(storage.put(p, h.getBucket(), h.getKey(), in, h.getSize()));
                      } catch (Throwable t) {
                        result.completeExceptionally(t);
                      }
                    });
          } else if (part.hasHeader()) {
            throw ApiException.invalid("only the first PutObject message may carry a header");
          } else {
            received += part.getData().size();
            if (received > header.getSize()) {
              throw ApiException.invalid(
                  "more bytes arrived than the header's size (" + header.getSize() + ")");
            }
            if (!part.getData().isEmpty()) {
              pipe.put(part.getData()); // no copy: the message's bytes are passed on
            }
          }
        } catch (ChunkPipe.ReaderGone e) {
          answer(GrpcErrors.exception(putFailure()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          abort(e);
        } catch (RuntimeException e) {
          abort(e);
        }
      }

      @Override
      public void onError(Throwable t) {
        pipe.fail(new IOException("the client cancelled the upload"));
      }

      @Override
      public void onCompleted() {
        if (answered) {
          return;
        }
        if (stored == null) {
          answer(GrpcErrors.exception(ApiException.invalid("PutObject needs a header message")));
          return;
        }
        try {
          pipe.finish();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          abort(e);
          return;
        }
        ObjectInfo info;
        try {
          info = info(stored.join());
        } catch (java.util.concurrent.CompletionException e) {
          answer(GrpcErrors.exception(e.getCause() == null ? e : e.getCause()));
          return;
        }
        answered = true;
        out.onNext(info);
        out.onCompleted();
      }

      /** Why the put ended without storing the object. */
      private Throwable putFailure() {
        try {
          stored.join();
          return new IllegalStateException("the put ended before its bytes");
        } catch (java.util.concurrent.CompletionException e) {
          return e.getCause() == null ? e : e.getCause();
        }
      }

      /** Stops the put, waits until it has cleaned up, then answers. */
      private void abort(Exception e) {
        pipe.fail(new IOException("the upload was refused"));
        if (stored != null) {
          try {
            stored.get(ChunkPipe.IDLE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException
              | java.util.concurrent.TimeoutException x) {
            // failed as expected (or still cleaning up)
          } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
          }
        }
        answer(GrpcErrors.exception(e));
      }

      private void answer(io.grpc.StatusRuntimeException e) {
        if (!answered) {
          answered = true;
          out.onError(e);
        }
      }
    };
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
