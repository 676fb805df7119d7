package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.client.ClientOptions;
import dev.quarry.client.ErrorReason;
import dev.quarry.client.ObjectInfo;
import dev.quarry.client.QuarryException;
import dev.quarry.client.QuarryStorage;
import dev.quarry.client.TransferOptions;
import dev.quarry.proto.v1.AbortUploadRequest;
import dev.quarry.proto.v1.CompleteUploadRequest;
import dev.quarry.proto.v1.CompletedPart;
import dev.quarry.proto.v1.StorageServiceGrpc;
import dev.quarry.proto.v1.UploadPartHeader;
import dev.quarry.proto.v1.UploadPartRequest;
import dev.quarry.server.it.StorageApiContract.Pattern;
import dev.quarry.server.it.StorageApiContract.Team;
import dev.quarry.server.storage.MultipartUploads;
import dev.quarry.storage.ObjectStore;
import dev.quarry.testkit.Http;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Multipart uploads through a real server and store, over REST, gRPC and {@link
 * QuarryStorage#uploadFile(Path, String, String, TransferOptions)}: round trips, bounds, quota,
 * abort, another tenant, the sweep of stale uploads.
 */
abstract class MultipartUploadContract {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long MIB = 1L << 20;

  abstract String grpcTarget();

  abstract String restUrl();

  abstract ApplicationContext context();

  Team team;
  Http http;
  QuarryStorage storage;
  String bucket;

  @BeforeEach
  void connect() throws Exception {
    team = StorageApiContract.newTeam(restUrl(), TestServer.OPERATOR_KEY);
    http = new Http(restUrl(), team.key());
    storage = connect(team.key());
    bucket = "mp-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private QuarryStorage connect(String key) {
    return QuarryStorage.connect(grpcTarget(), ClientOptions.builder().apiKey(key).build());
  }

  @Test
  void uploadFileSendsParallelPartsAndTheObjectRoundTripsByteIdentical(@TempDir Path dir)
      throws Exception {
    long size = 40 * MIB + 12_345;
    Path file = dir.resolve("big.bin");
    try (InputStream in = new Pattern(size)) {
      Files.copy(in, file);
    }
    List<Long> progress = new CopyOnWriteArrayList<>();
    TransferOptions parts =
        TransferOptions.builder().partSize(4 * MIB).parallelism(4).progress(progress::add).build();

    ObjectInfo put = storage.uploadFile(file, bucket, "big.bin", parts);

    assertThat(put.size()).isEqualTo(size);
    assertThat(put.etag()).isEqualTo(multipartEtag(file, 4 * MIB));
    assertThat(progress).hasSize(11).contains(size);
    assertThat(storage.headObject(bucket, "big.bin").etag()).isEqualTo(put.etag());
    Path copy = dir.resolve("copy.bin");
    storage.downloadFile(bucket, "big.bin", copy, parts);
    assertThat(Files.mismatch(file, copy)).isEqualTo(-1L);
    // the object's blob is all that is left of the parts
    assertThat(blobs()).hasSize(1);
    assertThat(openUploads()).isZero();
  }

  @Test
  void restPartsMakeTheObjectOnlyWhenTheCompleteListIsRight() throws Exception {
    long size = 2 * MIB + 5;
    String id = start("whole.bin", size);
    String etag1 = part(id, 1, new Pattern(MIB).readAllBytes());
    byte[] second = new byte[(int) MIB];
    Arrays.fill(second, (byte) 7);
    String etag3 = part(id, 3, "tail!".getBytes());

    // a missing part, a wrong size total, a wrong order, a wrong etag: 400, nothing changes
    assertRefused(complete(id, List.of(1, 2, 3), List.of(etag1, etag1, etag3)), "part 2");
    assertRefused(complete(id, List.of(1, 3), List.of(etag1, etag3)), "bytes");
    assertRefused(complete(id, List.of(3, 1), List.of(etag3, etag1)), "ascending");
    assertRefused(complete(id, List.of(1, 3), List.of(etag3, etag3)), "etag");
    assertThat(http.get("/v1/storage/" + bucket + "/whole.bin").status()).isEqualTo(404);

    String etag2 = part(id, 2, second);
    HttpResponse<String> done = complete(id, List.of(1, 2, 3), List.of(etag1, etag2, etag3));
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    String etag = Http.JSON.readTree(done.body()).get("etag").asString();
    assertThat(etag).isEqualTo(s3Etag(List.of(etag1, etag2, etag3)));
    assertThat(done.headers().firstValue("ETag")).contains(etag);

    byte[] expected = new byte[(int) size];
    System.arraycopy(new Pattern(MIB).readAllBytes(), 0, expected, 0, (int) MIB);
    System.arraycopy(second, 0, expected, (int) MIB, (int) MIB);
    System.arraycopy("tail!".getBytes(), 0, expected, (int) (2 * MIB), 5);
    assertThat(storage.getObject(bucket, "whole.bin")).isEqualTo(expected);
    assertThat(blobs()).hasSize(1);
    // a completed upload is gone
    assertThat(abort(id).statusCode()).isEqualTo(404);
  }

  @Test
  void withAPartSizeThePartsHaveFixedSizesAndNoneMayBeMissing() throws Exception {
    for (long bad : new long[] {MIB - 1, (1L << 30) + 1, -1}) {
      Http.Response r =
          http.post(
              "/v1/storage-uploads",
              "{\"bucket\":\"" + bucket + "\",\"key\":\"k\",\"size\":5,\"partSize\":" + bad + "}");
      assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(400);
    }
    Http.Response tooMany =
        http.post(
            "/v1/storage-uploads",
            "{\"bucket\":\""
                + bucket
                + "\",\"key\":\"k\",\"size\":"
                + (10_001 * MIB)
                + ",\"partSize\":"
                + MIB
                + "}");
    assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(400);

    // an aborted upload with a part size leaves nothing either
    String dropped = startFixed("dropped.bin", 2 * MIB, MIB);
    part(dropped, 2, new byte[(int) MIB]);
    assertThat(abort(dropped).statusCode()).isEqualTo(204);
    assertThat(blobs()).isEmpty();

    long size = 2 * MIB + 3;
    String id = startFixed("fixed.bin", size, MIB);
    for (String[] bad : new String[][] {{"1", "1048575"}, {"3", "4"}, {"4", "3"}, {"2", "3"}}) {
      HttpResponse<String> r = rawPart(id, bad[0], new byte[Integer.parseInt(bad[1])]);
      assertThat(r.statusCode()).as(bad[0] + ": " + r.body()).isEqualTo(400);
    }
    String e3 = part(id, 3, "end".getBytes());
    String e1 = part(id, 1, new byte[(int) MIB]);
    assertRefused(complete(id, List.of(1, 3), List.of(e1, e3)), "none missing");
    byte[] second = new Pattern(MIB).readAllBytes();
    String e2 = part(id, 2, second);
    byte[] first = new byte[(int) MIB];
    Arrays.fill(first, (byte) 1);
    e1 = part(id, 1, first); // replaced in place

    HttpResponse<String> done = complete(id, List.of(1, 2, 3), List.of(e1, e2, e3));
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(Http.JSON.readTree(done.body()).get("etag").asString())
        .isEqualTo(s3Etag(List.of(e1, e2, e3)));
    byte[] expected = new byte[(int) size];
    System.arraycopy(first, 0, expected, 0, (int) MIB);
    System.arraycopy(second, 0, expected, (int) MIB, (int) MIB);
    System.arraycopy("end".getBytes(), 0, expected, (int) (2 * MIB), 3);
    assertThat(storage.getObject(bucket, "fixed.bin")).isEqualTo(expected);
    assertThat(blobs()).hasSize(1);
    assertThat(openUploads()).isZero();
  }

  private String startFixed(String key, long size, long partSize) throws Exception {
    Http.Response r =
        http.post(
            "/v1/storage-uploads",
            "{\"bucket\":\""
                + bucket
                + "\",\"key\":\""
                + key
                + "\",\"size\":"
                + size
                + ",\"partSize\":"
                + partSize
                + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().get("partSize").asLong()).isEqualTo(partSize);
    return r.json().get("uploadId").asString();
  }

  @Test
  void partsAndStartsOutOfBoundsAreRefusedAndStoreNothing() throws Exception {
    String id = start("bounded.bin", 3 * MIB);
    for (String n : List.of("0", "10001", "-1", "x", "99999999999")) {
      HttpResponse<String> r = rawPart(id, n, new byte[10]);
      assertThat(r.statusCode()).as(n + ": " + r.body()).isEqualTo(400);
      assertThat(r.body()).contains("INVALID_ARGUMENT");
    }
    // more bytes than the upload declared
    HttpResponse<String> over = rawPart(id, "1", new byte[(int) (3 * MIB + 1)]);
    assertThat(over.statusCode()).as(over.body()).isEqualTo(400);
    assertThat(part(id, 1, new byte[(int) (2 * MIB)])).isNotEmpty();
    assertThat(rawPart(id, "2", new byte[(int) (MIB + 1)]).statusCode()).isEqualTo(400);
    // replacing part 1 with a smaller one makes room
    assertThat(part(id, 1, new byte[(int) MIB])).isNotEmpty();
    assertThat(part(id, 2, new byte[(int) (2 * MIB)])).isNotEmpty();

    for (String body :
        List.of(
            "{\"bucket\":\"" + bucket + "\",\"key\":\"k\",\"size\":0}",
            "{\"bucket\":\"" + bucket + "\",\"key\":\"k\",\"size\":-5}",
            "{\"bucket\":\"" + bucket + "\",\"key\":\"k\",\"size\":\"big\"}",
            "{\"bucket\":\"" + bucket + "\",\"key\":\"../k\",\"size\":5}",
            "{\"bucket\":\"" + bucket + "\",\"key\":\"k\",\"size\":5,\"extra\":1}",
            "{\"bucket\":\"NO\",\"key\":\"k\",\"size\":5}")) {
      Http.Response r = http.post("/v1/storage-uploads", body);
      assertThat(r.status()).as(body + ": " + r.body()).isEqualTo(400);
    }
    assertThat(http.post("/v1/storage-uploads/" + id + "/complete", "{\"parts\":[]}").status())
        .isEqualTo(400);
    assertThat(
            http.post("/v1/storage-uploads/" + id + "/complete", "{\"parts\":[{\"partNumber\":1}]}")
                .status())
        .isEqualTo(400);
    assertThat(abort(id).statusCode()).isEqualTo(204);
    assertThat(blobs()).isEmpty();
    assertThat(openUploads()).isZero();
  }

  @Test
  void quotaIsCheckedAtStartAndAbortLeavesNothingAndFreesIt() throws Exception {
    Http.Response limits =
        new Http(restUrl(), TestServer.OPERATOR_KEY)
            .put("/v1/admin/tenants/" + team.id() + "/limits", "{\"maxStorageMib\":8}");
    assertThat(limits.status()).as(limits.body()).isEqualTo(200);
    String id = start("first.bin", 6 * MIB);
    part(id, 1, new byte[(int) MIB]);

    Http.Response over = startResponse("second.bin", 4 * MIB);
    assertThat(over.status()).as(over.body()).isEqualTo(413);
    assertThat(over.body()).contains("PAYLOAD_TOO_LARGE", "\"limit\":\"maxStorageMib\"");

    assertThat(abort(id).statusCode()).isEqualTo(204);
    assertThat(blobs()).isEmpty();
    assertThat(openUploads()).isZero();
    HttpResponse<String> late = rawPart(id, "2", new byte[10]);
    assertThat(late.statusCode()).isEqualTo(404);
    assertThat(late.body()).contains("UPLOAD_NOT_FOUND");
    assertThat(abort(id).statusCode()).isEqualTo(404);
    // the 6 MiB reservation is free again
    assertThat(startResponse("second.bin", 4 * MIB).status()).isEqualTo(201);

    // uploadFile over the quota fails before any part, and stores nothing
    Path file = Files.createTempFile("quarry-mp", ".bin");
    try {
      try (InputStream in = new Pattern(6 * MIB)) {
        Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      assertThatThrownBy(
              () ->
                  storage.uploadFile(
                      file, bucket, "too-big.bin", TransferOptions.builder().partSize(MIB).build()))
          .isInstanceOfSatisfying(
              QuarryException.class,
              e -> assertThat(e.reason()).isEqualTo(ErrorReason.PAYLOAD_TOO_LARGE));
    } finally {
      Files.delete(file);
    }
    assertThat(blobs()).isEmpty();
  }

  @Test
  void anotherTenantCannotSeeCompleteOrAbortTheUpload() throws Exception {
    String id = start("mine.bin", 5);
    String etag = part(id, 1, "hello".getBytes());
    String other = StorageApiContract.newTeam(restUrl(), TestServer.OPERATOR_KEY).key();
    Http them = new Http(restUrl(), other);

    HttpResponse<String> part =
        send(other, "PUT", "/v1/storage-uploads/" + id + "/parts/1", new byte[5]);
    assertThat(part.statusCode()).isEqualTo(404);
    assertThat(part.body()).contains("UPLOAD_NOT_FOUND");
    Http.Response complete =
        them.post(
            "/v1/storage-uploads/" + id + "/complete",
            "{\"parts\":[{\"partNumber\":1,\"etag\":" + Http.JSON.writeValueAsString(etag) + "}]}");
    assertThat(complete.status()).isEqualTo(404);
    assertThat(them.delete("/v1/storage-uploads/" + id).status()).isEqualTo(404);

    ManagedChannel channel = NettyChannelBuilder.forTarget(grpcTarget()).usePlaintext().build();
    try {
      Metadata md = new Metadata();
      md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + other);
      var stub =
          StorageServiceGrpc.newBlockingStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
      assertNotFound(
          () ->
              stub.completeUpload(
                  CompleteUploadRequest.newBuilder()
                      .setUploadId(id)
                      .addParts(CompletedPart.newBuilder().setPartNumber(1).setEtag(etag))
                      .build()));
      assertNotFound(
          () -> stub.abortUpload(AbortUploadRequest.newBuilder().setUploadId(id).build()));
      assertNotFound(
          () ->
              StorageGrpcCases.clientStream(
                  StorageServiceGrpc.newStub(channel)
                          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                      ::uploadPart,
                  List.of(
                      UploadPartRequest.newBuilder()
                          .setHeader(
                              UploadPartHeader.newBuilder()
                                  .setUploadId(id)
                                  .setPartNumber(1)
                                  .setSize(1))
                          .build(),
                      UploadPartRequest.newBuilder()
                          .setData(com.google.protobuf.ByteString.copyFromUtf8("x"))
                          .build())));
    } finally {
      channel.shutdownNow();
    }

    // the owner's upload is untouched
    HttpResponse<String> done = complete(id, List.of(1), List.of(etag));
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(storage.getObjectAsString(bucket, "mine.bin")).isEqualTo("hello");
  }

  @Test
  void theSweepDiscardsStaleUploadsWithTheirParts() throws Exception {
    String id = start("stale.bin", 3 * MIB);
    part(id, 1, new byte[(int) MIB]);
    MultipartUploads uploads = context().getBean(MultipartUploads.class);

    // not stale yet
    uploads.sweep(Instant.now(), 1000);
    assertThat(openUploads()).isEqualTo(1);

    uploads.sweep(Instant.now().plus(MultipartUploads.MAX_AGE).plusSeconds(60), 1000);
    assertThat(openUploads()).isZero();
    assertThat(blobs()).isEmpty();
    assertThat(rawPart(id, "2", new byte[10]).statusCode()).isEqualTo(404);
  }

  @Test
  void aMultipartOverwriteDuringADownloadFailsItCleanly(@TempDir Path dir) throws Exception {
    long size = 4 * MIB;
    storage.putObject(bucket, "moving.bin", new Pattern(size), size);
    Path replacement = dir.resolve("replacement.bin");
    Files.write(replacement, new byte[(int) size]);
    AtomicBoolean overwritten = new AtomicBoolean();
    Path target = dir.resolve("moving.bin");
    TransferOptions oneAtATime =
        TransferOptions.builder()
            .partSize(MIB)
            .parallelism(1)
            .progress(
                bytes -> {
                  if (overwritten.compareAndSet(false, true)) {
                    storage.uploadFile(
                        replacement,
                        bucket,
                        "moving.bin",
                        TransferOptions.builder().partSize(MIB).build());
                  }
                })
            .build();

    assertThatThrownBy(() -> storage.downloadFile(bucket, "moving.bin", target, oneAtATime))
        .isInstanceOfSatisfying(
            QuarryException.class,
            e -> assertThat(e.reason()).isEqualTo(ErrorReason.OBJECT_CHANGED));
    assertThat(overwritten).isTrue();
    assertThat(target).doesNotExist();
    assertThat(storage.headObject(bucket, "moving.bin").etag()).endsWith("-4\"");
  }

  // --- helpers ---

  private String start(String key, long size) throws Exception {
    Http.Response r = startResponse(key, size);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode body = r.json();
    assertThat(body.get("maxParts").asInt()).isEqualTo(10_000);
    return body.get("uploadId").asString();
  }

  private Http.Response startResponse(String key, long size) throws Exception {
    return http.post(
        "/v1/storage-uploads",
        "{\"bucket\":\"" + bucket + "\",\"key\":\"" + key + "\",\"size\":" + size + "}");
  }

  private String part(String id, int number, byte[] bytes) throws Exception {
    HttpResponse<String> r = rawPart(id, Integer.toString(number), bytes);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String etag = Http.JSON.readTree(r.body()).get("etag").asString();
    assertThat(etag).isEqualTo("\"" + HexFormat.of().formatHex(md5(bytes)) + "\"");
    return etag;
  }

  private HttpResponse<String> rawPart(String id, String number, byte[] bytes) throws Exception {
    return send(team.key(), "PUT", "/v1/storage-uploads/" + id + "/parts/" + number, bytes);
  }

  private HttpResponse<String> complete(String id, List<Integer> numbers, List<String> etags)
      throws Exception {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < numbers.size(); i++) {
      parts.add(
          "{\"partNumber\":"
              + numbers.get(i)
              + ",\"etag\":"
              + Http.JSON.writeValueAsString(etags.get(i))
              + "}");
    }
    return send(
        team.key(),
        "POST",
        "/v1/storage-uploads/" + id + "/complete",
        ("{\"parts\":[" + String.join(",", parts) + "]}").getBytes());
  }

  private HttpResponse<String> abort(String id) throws Exception {
    return send(team.key(), "DELETE", "/v1/storage-uploads/" + id, null);
  }

  private HttpResponse<String> send(String key, String method, String path, byte[] body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(restUrl() + path))
            .header("Authorization", "Bearer " + key)
            .header(
                "Content-Type",
                body != null && path.endsWith("/complete")
                    ? "application/json"
                    : "application/octet-stream")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertRefused(HttpResponse<String> r, String says) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains("INVALID_ARGUMENT", says);
  }

  private static void assertNotFound(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getMessage()).contains("upload");
            });
  }

  /** The tenant's blobs in the store: objects and parts alike. */
  private List<String> blobs() {
    return context().getBean(ObjectStore.class).list("tenants/" + team.id() + "/storage/");
  }

  private int openUploads() {
    return context()
        .getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
        .sql("select count(*) from storage_multipart_uploads where tenant_id = ?")
        .param(team.id())
        .query(Integer.class)
        .single();
  }

  private static String multipartEtag(Path file, long partSize) throws Exception {
    List<String> etags = new ArrayList<>();
    byte[] all = Files.readAllBytes(file);
    for (long off = 0; off < all.length; off += partSize) {
      byte[] part = Arrays.copyOfRange(all, (int) off, (int) Math.min(all.length, off + partSize));
      etags.add("\"" + HexFormat.of().formatHex(md5(part)) + "\"");
    }
    return s3Etag(etags);
  }

  /** S3's multipart etag from the parts' quoted MD5 etags. */
  private static String s3Etag(List<String> partEtags) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    for (String e : partEtags) {
      md5.update(HexFormat.of().parseHex(e.substring(1, e.length() - 1)));
    }
    return "\"" + HexFormat.of().formatHex(md5.digest()) + "-" + partEtags.size() + "\"";
  }

  private static byte[] md5(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("MD5").digest(bytes);
  }
}
