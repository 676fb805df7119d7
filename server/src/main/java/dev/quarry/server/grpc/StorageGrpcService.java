package dev.quarry.server.grpc;

import com.google.protobuf.ByteString;
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
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.storage.ObjectContent;
import dev.quarry.server.storage.ObjectPage;
import dev.quarry.server.storage.RangeRequest;
import dev.quarry.server.storage.SpooledBody;
import dev.quarry.server.storage.StoredObject;
import dev.quarry.server.storage.TenantStorage;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * gRPC face of the Storage API: a put streams in (spooled to a temporary file until complete), a
 * get streams out in chunks as fast as the client takes them.
 */
@Component
public class StorageGrpcService extends StorageServiceGrpc.StorageServiceImplBase {
  private static final int CHUNK = 256 * 1024;

  private final TenantStorage storage;

  public StorageGrpcService(TenantStorage storage) {
    this.storage = storage;
  }

  @Override
  public StreamObserver<PutObjectRequest> putObject(StreamObserver<ObjectInfo> out) {
    Principal p = AuthInterceptor.principal();
    return new StreamObserver<>() {
      private @Nullable PutObjectHeader header;
      private @Nullable SpooledBody spool;
      private boolean failed;

      @Override
      public void onNext(PutObjectRequest part) {
        if (failed) {
          return;
        }
        try {
          if (header == null) {
            p.require(Role.MEMBER);
            if (!part.hasHeader()) {
              throw ApiException.invalid("the first PutObject message must carry the header");
            }
            header = part.getHeader();
            storage.check(p, header.getBucket(), header.getKey(), header.getSize());
            spool = SpooledBody.create(header.getSize());
          } else if (part.hasHeader()) {
            throw ApiException.invalid("only the first PutObject message may carry a header");
          } else {
            ByteString data = part.getData();
            spool.write(data.toByteArray(), 0, data.size());
          }
        } catch (RuntimeException | IOException e) {
          failed = true;
          closeSpool();
          GrpcErrors.fail(
              out,
              e instanceof ApiException api
                      && api.reason() == ErrorReason.PAYLOAD_TOO_LARGE
                      && api.metadata().isEmpty()
                  ? ApiException.invalid("more bytes arrived than the header's size")
                  : e);
        }
      }

      @Override
      public void onError(Throwable t) {
        closeSpool();
      }

      @Override
      public void onCompleted() {
        if (failed) {
          return;
        }
        JobGrpcService.unary(
            out,
            () -> {
              if (header == null || spool == null) {
                throw ApiException.invalid("PutObject needs a header message");
              }
              try (SpooledBody body = spool;
                  InputStream in = body.open()) {
                if (body.size() != header.getSize()) {
                  throw ApiException.invalid(
                      "header declared "
                          + header.getSize()
                          + " bytes but "
                          + body.size()
                          + " arrived");
                }
                return info(storage.put(p, header.getBucket(), header.getKey(), in, body.size()));
              }
            });
      }

      private void closeSpool() {
        if (spool != null) {
          spool.close();
        }
      }
    };
  }

  @Override
  public void getObject(GetObjectRequest request, StreamObserver<GetObjectResponse> out) {
    Principal p = AuthInterceptor.principal();
    var observer = (ServerCallStreamObserver<GetObjectResponse>) out;
    var sink = new FlowControlledSink<GetObjectResponse>(observer, r -> null);
    RangeRequest range =
        request.getHasRange() ? RangeRequest.of(request.getOffset(), request.getLength()) : null;
    ObjectContent content;
    try {
      content = storage.get(p, request.getBucket(), request.getKey(), range);
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
                byte[] buffer = new byte[CHUNK];
                int n;
                while ((n = content.stream().readNBytes(buffer, 0, CHUNK)) > 0) {
                  sink.awaitReady();
                  if (sink.closed()) {
                    return;
                  }
                  out.onNext(
                      GetObjectResponse.newBuilder()
                          .setData(ByteString.copyFrom(buffer, 0, n))
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
