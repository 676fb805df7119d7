package dev.quarry.server.it;

import com.google.protobuf.ByteString;
import dev.quarry.proto.v1.AbortUploadRequest;
import dev.quarry.proto.v1.CompleteUploadRequest;
import dev.quarry.proto.v1.CompletedPart;
import dev.quarry.proto.v1.DeleteObjectsRequest;
import dev.quarry.proto.v1.GetObjectRequest;
import dev.quarry.proto.v1.HeadObjectRequest;
import dev.quarry.proto.v1.ListObjectsRequest;
import dev.quarry.proto.v1.PutObjectHeader;
import dev.quarry.proto.v1.PutObjectRequest;
import dev.quarry.proto.v1.StartUploadRequest;
import dev.quarry.proto.v1.StorageServiceGrpc;
import dev.quarry.proto.v1.UploadPartHeader;
import dev.quarry.proto.v1.UploadPartRequest;
import dev.quarry.server.it.AuthorizationMatrixTest.Cross;
import dev.quarry.server.it.AuthorizationMatrixTest.Grpc;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The authorization matrix's rows of {@code quarry.v1.StorageService}. */
final class StorageGrpcCases {
  private static final String BUCKET = "matrix";
  private static final String KEY = "aws-prod.txt";
  private static final String OWN_KEY = "b-own.txt";

  private StorageGrpcCases() {}

  static void add(Map<String, Grpc> c, String uploadId) {
    c.put(
        "quarry.v1.StorageService/StartUpload",
        new Grpc(
            ch ->
                StorageServiceGrpc.newBlockingStub(ch)
                    .startUpload(
                        StartUploadRequest.newBuilder()
                            .setBucket(BUCKET)
                            .setKey("b-up.bin")
                            .setSize(5)
                            .build()),
            true,
            Cross.OWN_DATA));
    c.put(
        "quarry.v1.StorageService/UploadPart",
        new Grpc(
            ch ->
                clientStream(
                    StorageServiceGrpc.newStub(ch)::uploadPart,
                    List.of(
                        UploadPartRequest.newBuilder()
                            .setHeader(
                                UploadPartHeader.newBuilder()
                                    .setUploadId(uploadId)
                                    .setPartNumber(1)
                                    .setSize(5))
                            .build(),
                        UploadPartRequest.newBuilder()
                            .setData(ByteString.copyFromUtf8("hello"))
                            .build())),
            true,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.StorageService/CompleteUpload",
        new Grpc(
            ch ->
                StorageServiceGrpc.newBlockingStub(ch)
                    .completeUpload(
                        CompleteUploadRequest.newBuilder()
                            .setUploadId(uploadId)
                            .addParts(
                                CompletedPart.newBuilder()
                                    .setPartNumber(1)
                                    .setEtag("\"5d41402abc4b2a76b9719d911017c592\""))
                            .build()),
            true,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.StorageService/AbortUpload",
        new Grpc(
            ch ->
                StorageServiceGrpc.newBlockingStub(ch)
                    .abortUpload(AbortUploadRequest.newBuilder().setUploadId(uploadId).build()),
            true,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.StorageService/PutObject",
        new Grpc(StorageGrpcCases::put, true, Cross.OWN_DATA));
    c.put(
        "quarry.v1.StorageService/GetObject",
        new Grpc(
            ch ->
                StorageServiceGrpc.newBlockingStub(ch)
                    .getObject(GetObjectRequest.newBuilder().setBucket(BUCKET).setKey(KEY).build())
                    .next(),
            false,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.StorageService/HeadObject",
        new Grpc(
            ch ->
                StorageServiceGrpc.newBlockingStub(ch)
                    .headObject(
                        HeadObjectRequest.newBuilder().setBucket(BUCKET).setKey(KEY).build()),
            false,
            Cross.NOT_FOUND));
    c.put(
        "quarry.v1.StorageService/ListObjects",
        new Grpc(
            ch ->
                StorageServiceGrpc.newBlockingStub(ch)
                    .listObjects(ListObjectsRequest.newBuilder().setBucket(BUCKET).build()),
            false,
            Cross.OWN_DATA));
    c.put(
        "quarry.v1.StorageService/DeleteObjects",
        new Grpc(
            ch ->
                StorageServiceGrpc.newBlockingStub(ch)
                    .deleteObjects(
                        DeleteObjectsRequest.newBuilder().setBucket(BUCKET).addKeys(KEY).build()),
            true,
            Cross.OWN_DATA));
  }

  private static Object put(Channel ch) {
    return clientStream(
        StorageServiceGrpc.newStub(ch)::putObject,
        List.of(
            PutObjectRequest.newBuilder()
                .setHeader(
                    PutObjectHeader.newBuilder().setBucket(BUCKET).setKey(OWN_KEY).setSize(1))
                .build(),
            PutObjectRequest.newBuilder().setData(ByteString.copyFromUtf8("x")).build()));
  }

  /** Sends {@code messages} on a client-streaming call and waits for its one answer. */
  static <Q, R> R clientStream(
      Function<StreamObserver<R>, StreamObserver<Q>> open, List<Q> messages) {
    CompletableFuture<R> done = new CompletableFuture<>();
    StreamObserver<Q> requests =
        open.apply(
            new StreamObserver<>() {
              @Override
              public void onNext(R value) {
                done.complete(value);
              }

              @Override
              public void onError(Throwable t) {
                done.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {}
            });
    messages.forEach(requests::onNext);
    requests.onCompleted();
    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException sre) {
        throw sre;
      }
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
