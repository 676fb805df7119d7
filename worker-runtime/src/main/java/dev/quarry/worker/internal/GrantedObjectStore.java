package dev.quarry.worker.internal;

import dev.quarry.proto.v1.ObjectGrant;
import dev.quarry.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store of one invocation that holds no storage credentials: it reaches exactly the objects its
 * envelope grants, each through its own pre-signed URL (GET to read, PUT to write). Anything else
 * fails without a request; an expired or forged URL is refused by the store (HTTP 403).
 *
 * <p>Every PUT carries {@code x-ms-blob-type: BlockBlob}: Azure Blob Storage requires it on a PUT
 * to a SAS URL, and S3 ignores it (it is not an {@code x-amz-} header, and a pre-signed S3 URL
 * signs only the host), so one request works for both stores.
 */
public final class GrantedObjectStore extends InvocationScopedStore {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  static final String BLOB_TYPE_HEADER = "x-ms-blob-type";

  private final Map<String, URI> reads = new HashMap<>();
  private final Map<String, URI> writes = new HashMap<>();

  public GrantedObjectStore(List<ObjectGrant> grants) {
    for (ObjectGrant g : grants) {
      (g.getWrite() ? writes : reads).put(g.getKey(), URI.create(g.getUrl()));
    }
  }

  @Override
  public void put(String key, byte[] data) {
    URI url = granted(writes, key, "writing");
    HttpResponse<InputStream> r =
        send(
            HttpRequest.newBuilder(url)
                .header(BLOB_TYPE_HEADER, "BlockBlob")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)),
            key);
    drain(r);
    check(r, key);
  }

  @Override
  public Optional<InputStream> open(String key) {
    URI url = granted(reads, key, "reading");
    HttpResponse<InputStream> r = send(HttpRequest.newBuilder(url).GET(), key);
    if (r.statusCode() == 404) {
      drain(r);
      return Optional.empty();
    }
    if (r.statusCode() / 100 != 2) {
      drain(r);
      check(r, key);
    }
    return Optional.of(r.body());
  }

  @Override
  public Optional<Long> size(String key) {
    return read(key).map(b -> (long) b.length);
  }

  private static URI granted(Map<String, URI> grants, String key, String what) {
    URI url = grants.get(key);
    if (url == null) {
      throw new StorageException(
          "'" + key + "' is not granted to this invocation for " + what, false);
    }
    return url;
  }

  private static HttpResponse<InputStream> send(HttpRequest.Builder request, String key) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofMinutes(5)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new StorageException("request for '" + key + "' failed", true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted during a request for '" + key + "'", true, e);
    }
  }

  private static void check(HttpResponse<?> r, String key) {
    int status = r.statusCode();
    if (status / 100 == 2) {
      return;
    }
    boolean retryable = status == 429 || status >= 500;
    throw new StorageException(
        "storage answered HTTP "
            + status
            + " for '"
            + key
            + "'"
            + (status == 403 ? " (grant expired or refused)" : ""),
        retryable);
  }

  private static void drain(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      // the connection is discarded
    }
  }
}
