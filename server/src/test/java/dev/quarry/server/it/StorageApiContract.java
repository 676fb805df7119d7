package dev.quarry.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.storage.ObjectStore;
import dev.quarry.testkit.Http;
import dev.quarry.testkit.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Storage API over REST against a real server, whatever store it runs on: streamed round trips,
 * ranges, paging, and one tenant never reaching another's objects or the server's own.
 */
abstract class StorageApiContract {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  abstract String restUrl();

  abstract String operatorKey();

  abstract ObjectStore store();

  /** A new tenant: its id and admin key. */
  record Team(String id, String key) {}

  /** A new tenant; returns its admin key. */
  String newTenant() throws Exception {
    return newTeam().key();
  }

  Team newTeam() throws Exception {
    return newTeam(restUrl(), operatorKey());
  }

  /** A new tenant on the server at {@code restUrl}, made with the operator's key. */
  static Team newTeam(String restUrl, String operatorKey) throws Exception {
    String id = "st-" + UUID.randomUUID().toString().substring(0, 8);
    Http.Response r =
        new Http(restUrl, operatorKey)
            .post("/v1/admin/tenants", "{\"id\":\"" + id + "\",\"name\":\"Storage team\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return new Team(id, r.json().get("adminKeySecret").asString());
  }

  HttpResponse<String> put(String key, String path, InputStream body, long length)
      throws Exception {
    return HTTP.send(
        request(key, path)
            .PUT(
                HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> body), length))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> put(String key, String path, String text) throws Exception {
    return HTTP.send(
        request(key, path).PUT(HttpRequest.BodyPublishers.ofString(text)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void getAndHeadWithIfMatchServeOnlyThatVersion() throws Exception {
    String key = newTenant();
    String path = "/v1/storage/if-match/a.txt";
    HttpResponse<String> put = put(key, path, "version one");
    assertThat(put.statusCode()).isEqualTo(200);
    String etag = put.headers().firstValue("ETag").orElseThrow();

    assertThat(ifMatch(key, "GET", path, etag, null).body()).isEqualTo("version one");
    assertThat(ifMatch(key, "GET", path, "*", null).statusCode()).isEqualTo(200);
    HttpResponse<String> ranged = ifMatch(key, "GET", path, etag, "bytes=8-10");
    assertThat(ranged.statusCode()).isEqualTo(206);
    assertThat(ranged.body()).isEqualTo("one");
    assertThat(ifMatch(key, "HEAD", path, etag, null).statusCode()).isEqualTo(200);

    assertThat(put(key, path, "version two").statusCode()).isEqualTo(200);
    for (String range : new String[] {null, "bytes=8-10"}) {
      HttpResponse<String> stale = ifMatch(key, "GET", path, etag, range);
      assertThat(stale.statusCode()).as(range).isEqualTo(409);
      assertThat(stale.body()).contains("OBJECT_CHANGED").doesNotContain("version");
    }
    assertThat(ifMatch(key, "HEAD", path, etag, null).statusCode()).isEqualTo(409);
    assertThat(ifMatch(key, "GET", path, "W/" + etag, null).statusCode()).isEqualTo(409);
    HttpResponse<String> overlong = ifMatch(key, "GET", path, "\"" + "a".repeat(200) + "\"", null);
    assertThat(overlong.statusCode()).isEqualTo(400);
    // another tenant with the right etag still gets nothing
    assertThat(ifMatch(newTenant(), "GET", path, etag, null).statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> ifMatch(
      String key, String method, String path, String etag, String range) throws Exception {
    HttpRequest.Builder b =
        request(key, path)
            .header("If-Match", etag)
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (range != null) {
      b.header("Range", range);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String key, String method, String path) throws Exception {
    return HTTP.send(
        request(key, path).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder request(String key, String path) {
    return HttpRequest.newBuilder(URI.create(restUrl() + path))
        .header("Authorization", "Bearer " + key);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  void streamsAMultiMebibyteObjectBothWaysWithEtagAndLength() throws Exception {
    String key = newTenant();
    long size = Long.getLong("storage.test.mib", 6) * 1024 * 1024 + 13;
    long t0 = System.nanoTime();
    HttpResponse<String> put = put(key, "/v1/storage/data/big/blob.bin", new Pattern(size), size);
    long t1 = System.nanoTime();
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    String etag = put.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).isEqualTo("\"" + Pattern.md5(size) + "\"");

    HttpResponse<InputStream> get =
        HTTP.send(
            request(key, "/v1/storage/data/big/blob.bin").GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.headers().firstValueAsLong("Content-Length")).hasValue(size);
    assertThat(get.headers().firstValue("ETag")).hasValue(etag);
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    long read = 0;
    try (InputStream in = get.body()) {
      byte[] buffer = new byte[65536];
      int n;
      while ((n = in.read(buffer)) > 0) {
        md5.update(buffer, 0, n);
        read += n;
      }
    }
    long t2 = System.nanoTime();
    assertThat(read).isEqualTo(size);
    assertThat("\"" + HexFormat.of().formatHex(md5.digest()) + "\"").isEqualTo(etag);
    System.out.printf(
        "storage %s: put %d MiB at %.0f MB/s, get at %.0f MB/s%n",
        getClass().getSimpleName(), size >> 20, size / ((t1 - t0) / 1e3), size / ((t2 - t1) / 1e3));

    HttpResponse<String> head = send(key, "HEAD", "/v1/storage/data/big/blob.bin");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(size);
    HttpResponse<String> notModified =
        HTTP.send(
            request(key, "/v1/storage/data/big/blob.bin").header("If-None-Match", etag).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(notModified.statusCode()).isEqualTo(304);
  }

  @Test
  void servesByteRangesWith206AndRefusesRangesPastTheEnd() throws Exception {
    String key = newTenant();
    String text = "0123456789abcdefghij";
    assertThat(put(key, "/v1/storage/rng/t.txt", text).statusCode()).isEqualTo(200);
    for (var c :
        Map.of(
                "bytes=2-5", "2345",
                "bytes=15-", "fghij",
                "bytes=-3", "hij",
                "bytes=18-100", "ij")
            .entrySet()) {
      HttpResponse<String> r =
          HTTP.send(
              request(key, "/v1/storage/rng/t.txt").header("Range", c.getKey()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(c.getKey()).isEqualTo(206);
      assertThat(r.body()).as(c.getKey()).isEqualTo(c.getValue());
      assertThat(r.headers().firstValue("Content-Range").orElseThrow()).endsWith("/20");
    }
    HttpResponse<String> past =
        HTTP.send(
            request(key, "/v1/storage/rng/t.txt").header("Range", "bytes=20-").build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(past.body()).contains("RANGE_NOT_SATISFIABLE");
    assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */20");
    HttpResponse<String> several =
        HTTP.send(
            request(key, "/v1/storage/rng/t.txt").header("Range", "bytes=0-1,4-5").build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(several.statusCode()).isEqualTo(200);
    assertThat(several.body()).isEqualTo(text);
  }

  @Test
  void listsAPrefixInPagesAndDeletesOneOrMany() throws Exception {
    String key = newTenant();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      String k = "logs/2026/part-" + String.format("%03d", i) + (i == 3 ? " été.txt" : ".txt");
      keys.add(k);
      assertThat(put(key, "/v1/storage/lst/" + enc(k).replace("%2F", "/"), "x" + i).statusCode())
          .isEqualTo(200);
    }
    put(key, "/v1/storage/lst/other/file", "o");
    List<String> seen = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      Http.Response page =
          new Http(restUrl(), key)
              .get("/v1/storage/lst?prefix=logs/2026/&limit=10&pageToken=" + token);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      for (JsonNode o : page.json().get("objects")) {
        seen.add(o.get("key").asString());
        assertThat(o.get("size").asLong()).isPositive();
      }
      token = page.json().get("nextPageToken").asString();
      pages++;
    } while (!token.isEmpty());
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(keys.stream().sorted().toList());

    assertThat(send(key, "DELETE", "/v1/storage/lst/other/file").statusCode()).isEqualTo(204);
    assertThat(send(key, "GET", "/v1/storage/lst/other/file").statusCode()).isEqualTo(404);
    Http.Response bulk =
        new Http(restUrl(), key)
            .post(
                "/v1/storage/lst",
                "{\"delete\":[\"" + keys.get(0) + "\",\"" + keys.get(1) + "\",\"nope\"]}");
    assertThat(bulk.status()).as(bulk.body()).isEqualTo(200);
    assertThat(bulk.json().get("deleted").asInt()).isEqualTo(2);
    assertThat(new Http(restUrl(), key).get("/v1/storage/lst?prefix=logs/").json().get("objects"))
        .hasSize(23);
  }

  @Test
  void tenantsNeverReachEachOthersObjectsNorTheServersOwn() throws Exception {
    Team teamA = newTeam();
    String a = teamA.key();
    String b = newTenant();
    String tenantA = teamA.id();
    assertThat(put(a, "/v1/storage/shared-name/secret.txt", "tenant A's secret").statusCode())
        .isEqualTo(200);
    // the server's own objects of tenant A (a bundle blob, a job input)
    store().put("tenants/" + tenantA + "/blobs/deadbeef", "server blob".getBytes());
    store().put("tenants/" + tenantA + "/jobs/j1/inputs/0", "server input".getBytes());

    HttpResponse<String> other = send(b, "GET", "/v1/storage/shared-name/secret.txt");
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.body()).contains("OBJECT_NOT_FOUND").doesNotContain("secret.txt\"");
    assertThat(new Http(restUrl(), b).get("/v1/storage/shared-name").json().get("objects"))
        .isEmpty();
    assertThat(send(b, "DELETE", "/v1/storage/shared-name/secret.txt").statusCode()).isEqualTo(204);
    assertThat(send(a, "GET", "/v1/storage/shared-name/secret.txt").body())
        .isEqualTo("tenant A's secret");

    // neither tenant reaches the server's objects, by any name
    for (String path :
        List.of(
            "/v1/storage/blobs/deadbeef",
            "/v1/storage/jobs/j1/inputs/0",
            "/v1/storage/storage/../blobs/deadbeef",
            "/v1/storage/bkt/%2e%2e/%2e%2e/blobs/deadbeef",
            "/v1/storage/bkt/..%2F..%2Fblobs/deadbeef",
            "/v1/storage/bkt//etc/passwd",
            "/v1/storage/bkt/a%5C..%5Cx",
            "/v1/storage/bkt/a%00b",
            "/v1/storage/bkt/a%0Ab",
            "/v1/storage/bkt/" + "k".repeat(1025),
            "/v1/storage/B_AD/x",
            "/v1/storage/bkt/dir/")) {
      for (String k : List.of(a, b)) {
        RawHttp.Answer r =
            RawHttp.send(
                URI.create(restUrl()).getPort(),
                "GET",
                path,
                "Authorization: Bearer " + k + "\r\n",
                new byte[0]);
        assertThat(r.status()).as(path).isIn(400, 404);
        assertThat(r.isJsonError()).as(path).isTrue();
        assertThat(r.body()).as(path).doesNotContain("server blob", "server input");
      }
    }
    HttpResponse<String> longKey = put(a, "/v1/storage/bkt/" + "k".repeat(1025), "x");
    assertThat(longKey.statusCode()).isEqualTo(400);
    assertThat(longKey.body()).contains("INVALID_OBJECT_NAME", "1024");
    assertThat(new Http(restUrl(), a).get("/v1/storage/blobs").json().get("objects")).isEmpty();
    assertThat(store().read("tenants/" + tenantA + "/blobs/deadbeef"))
        .hasValue("server blob".getBytes());
    // the tenant's objects live only under its own storage prefix
    assertThat(store().list("tenants/" + tenantA + "/storage/shared-name/")).hasSize(1);
  }

  @Test
  void viewersReadButCannotWriteOrDelete() throws Exception {
    String admin = newTenant();
    Http.Response created =
        new Http(restUrl(), admin).post("/v1/keys", "{\"name\":\"v\",\"role\":\"viewer\"}");
    String viewer = created.json().get("secret").asString();
    assertThat(put(admin, "/v1/storage/vdocs/doc", "hello").statusCode()).isEqualTo(200);

    assertThat(send(viewer, "GET", "/v1/storage/vdocs/doc").body()).isEqualTo("hello");
    assertThat(new Http(restUrl(), viewer).get("/v1/storage/vdocs").status()).isEqualTo(200);
    HttpResponse<String> write = put(viewer, "/v1/storage/vdocs/doc", "overwritten");
    assertThat(write.statusCode()).isEqualTo(403);
    assertThat(write.body()).contains("PERMISSION_DENIED");
    assertThat(send(viewer, "DELETE", "/v1/storage/vdocs/doc").statusCode()).isEqualTo(403);
    assertThat(send(admin, "GET", "/v1/storage/vdocs/doc").body()).isEqualTo("hello");
  }

  @Test
  void putsOverTheQuotaAreRefusedNamingTheLimitAndStoreNothing() throws Exception {
    Team team = newTeam();
    String key = team.key();
    Http.Response limits =
        new Http(restUrl(), operatorKey())
            .put(
                "/v1/admin/tenants/" + team.id() + "/limits",
                "{\"maxStorageMib\":9,\"maxStorageObjects\":30}");
    assertThat(limits.status()).as(limits.body()).isEqualTo(200);
    String prefix = "tenants/" + team.id() + "/storage/";
    long mib = 1024 * 1024;
    long big = 5 * mib;
    assertThat(put(key, "/v1/storage/quota/one", new Pattern(big), big).statusCode())
        .isEqualTo(200);

    // bytes: the second object would pass maxStorageBytes
    HttpResponse<String> bytes = put(key, "/v1/storage/quota/two", new Pattern(big), big);
    assertThat(bytes.statusCode()).isEqualTo(413);
    assertThat(bytes.body()).contains("PAYLOAD_TOO_LARGE", "\"limit\":\"maxStorageMib\"");
    // one object over maxObjectBytes (5 GB): refused on its declared length, before its bytes
    String tooBig = refusalOfDeclaredLength(key, "/v1/storage/quota/huge", 6_000_000_000L);
    assertThat(tooBig).startsWith("HTTP/1.1 413").contains("\"limit\":\"maxObjectBytes\"");
    // replacing the object in place fits: its old bytes are freed
    assertThat(put(key, "/v1/storage/quota/one", new Pattern(big), big).statusCode())
        .isEqualTo(200);

    // objects: 30 at most
    for (int i = 1; i < 30; i++) {
      assertThat(put(key, "/v1/storage/quota/small-" + i, "s").statusCode()).isEqualTo(200);
    }
    HttpResponse<String> count = put(key, "/v1/storage/quota/small-30", "s");
    assertThat(count.statusCode()).isEqualTo(429);
    assertThat(count.body()).contains("QUOTA_EXCEEDED", "\"limit\":\"maxStorageObjects\"");

    Http admin = new Http(restUrl(), key);
    assertThat(admin.get("/v1/storage/quota?prefix=two").json().get("objects")).isEmpty();
    assertThat(admin.get("/v1/storage/quota?prefix=small-30").json().get("objects")).isEmpty();
    assertThat(send(key, "GET", "/v1/storage/quota/two").statusCode()).isEqualTo(404);
    // nothing half-written in the store: exactly the 30 accepted objects
    assertThat(store().list(prefix)).hasSize(30);

    // deleting frees room at once
    assertThat(send(key, "DELETE", "/v1/storage/quota/small-1").statusCode()).isEqualTo(204);
    assertThat(put(key, "/v1/storage/quota/small-30", "s").statusCode()).isEqualTo(200);
  }

  @Test
  void concurrentPutsNeverPassTheQuotaTogether() throws Exception {
    Team team = newTeam();
    Http.Response limits =
        new Http(restUrl(), operatorKey())
            .put("/v1/admin/tenants/" + team.id() + "/limits", "{\"maxStorageMib\":5}");
    assertThat(limits.status()).as(limits.body()).isEqualTo(200);
    long mib = 1024 * 1024;
    List<java.util.concurrent.Future<HttpResponse<String>>> puts = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(12)) {
      for (int i = 0; i < 12; i++) {
        String path = "/v1/storage/race/part-" + i;
        puts.add(pool.submit(() -> put(team.key(), path, new Pattern(mib), mib)));
      }
    }
    int stored = 0;
    for (var f : puts) {
      int status = f.get().statusCode();
      assertThat(status).isIn(200, 413);
      stored += status == 200 ? 1 : 0;
    }
    assertThat(stored).isEqualTo(5);
    assertThat(store().list("tenants/" + team.id() + "/storage/race/")).hasSize(5);
    assertThat(new Http(restUrl(), team.key()).get("/v1/storage/race").json().get("objects"))
        .hasSize(5);
  }

  /** Declares a body of {@code length} bytes, sends none, and reads the answer's first bytes. */
  String refusalOfDeclaredLength(String key, String path, long length) throws Exception {
    try (java.net.Socket socket =
        new java.net.Socket("127.0.0.1", URI.create(restUrl()).getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("PUT "
                      + path
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                      + key
                      + "\r\nContent-Length: "
                      + length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      byte[] answer = new byte[4096];
      int n = 0;
      while (n < answer.length
          && !new String(answer, 0, n, StandardCharsets.ISO_8859_1).contains("}")) {
        int r = socket.getInputStream().read(answer, n, answer.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      return new String(answer, 0, n, StandardCharsets.ISO_8859_1);
    }
  }

  /** A long, deterministic byte sequence that never sits in memory. */
  static final class Pattern extends InputStream {
    private final long size;
    private long position;

    Pattern(long size) {
      this.size = size;
    }

    static byte at(long i) {
      return (byte) ((i * 2654435761L) >>> 13);
    }

    static String md5(long size) throws Exception {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      byte[] buffer = new byte[65536];
      try (Pattern p = new Pattern(size)) {
        int n;
        while ((n = p.read(buffer)) > 0) {
          md5.update(buffer, 0, n);
        }
      }
      return HexFormat.of().formatHex(md5.digest());
    }

    @Override
    public int read() {
      return position < size ? at(position++) & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - position);
      for (int i = 0; i < n; i++) {
        b[off + i] = at(position++);
      }
      return n;
    }

    @Override
    public void close() throws IOException {}
  }
}
