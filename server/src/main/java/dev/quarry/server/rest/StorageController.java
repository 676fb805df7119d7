package dev.quarry.server.rest;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.storage.ObjectContent;
import dev.quarry.server.storage.ObjectPage;
import dev.quarry.server.storage.RangeRequest;
import dev.quarry.server.storage.StoredObject;
import dev.quarry.server.storage.TenantStorage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The Storage API over HTTP: {@code PUT|GET|HEAD|DELETE /v1/storage/{bucket}/{key...}} (HEAD
 * through the GET route, as Spring maps it) with streaming bodies, single {@code Range} requests
 * (206), {@code ETag}, {@code If-None-Match} and {@code If-Match} (a get or head of another version
 * is 409 {@code OBJECT_CHANGED}, so the ranges of one version can be read by several calls); {@code
 * GET /v1/storage/{bucket}?prefix=&pageToken=&limit=} lists a page; {@code POST
 * /v1/storage/{bucket}} with {@code {"delete":[keys]}} deletes up to 1000 objects.
 */
@RestController
public class StorageController {
  private static final int BUFFER = 64 * 1024;
  private static final long MAX_DELETE_BODY = 2L * 1024 * 1024;

  private final TenantStorage storage;

  public StorageController(TenantStorage storage) {
    this.storage = storage;
  }

  @PutMapping("/v1/storage/{bucket}/{*key}")
  ResponseEntity<StoredObject> put(
      @PathVariable String bucket, @PathVariable String key, HttpServletRequest request)
      throws IOException {
    Principal caller = Bodies.principal(request);
    try (InputStream body = request.getInputStream()) {
      StoredObject o = storage.put(caller, bucket, key(key), body, request.getContentLengthLong());
      return ResponseEntity.ok().eTag(o.etag()).body(o);
    }
  }

  @GetMapping("/v1/storage/{bucket}/{*key}")
  void get(
      @PathVariable String bucket,
      @PathVariable String key,
      HttpServletRequest request,
      HttpServletResponse response)
      throws IOException {
    Principal p = Bodies.principal(request);
    String ifMatch = ifMatch(request);
    if (request.getMethod().equals("HEAD")) {
      // Spring routes HEAD here; answer from the index without opening the object
      StoredObject o = storage.head(p, bucket, key(key));
      if (ifMatch != null && !ifMatch.equals(o.etag())) {
        throw new ApiException(
            ErrorReason.OBJECT_CHANGED,
            bucket + key + " was replaced: its etag is no longer " + ifMatch);
      }
      describe(response, o);
      response.setContentLengthLong(o.size());
      return;
    }
    RangeRequest range = RangeRequest.parseHeader(request.getHeader("Range")).orElse(null);
    ObjectContent content;
    try {
      content = storage.get(p, bucket, key(key), range, ifMatch);
    } catch (ApiException e) {
      if (e.reason() == ErrorReason.RANGE_NOT_SATISFIABLE) {
        response.setHeader("Content-Range", "bytes */" + e.metadata().get("size"));
      }
      throw e;
    }
    try (content) {
      describe(response, content.info());
      String match = request.getHeader("If-None-Match");
      if (match != null && (match.equals(content.info().etag()) || match.equals("*"))) {
        response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
        return;
      }
      if (content.partial()) {
        response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
        long last = content.offset() + content.length() - 1;
        response.setHeader(
            "Content-Range",
            "bytes " + content.offset() + "-" + last + "/" + content.info().size());
      }
      response.setContentLengthLong(content.length());
      OutputStream out = response.getOutputStream();
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = content.stream().read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
      out.flush();
    }
  }

  @DeleteMapping("/v1/storage/{bucket}/{*key}")
  void delete(
      @PathVariable String bucket,
      @PathVariable String key,
      HttpServletRequest request,
      HttpServletResponse response) {
    storage.delete(Bodies.principal(request), bucket, List.of(key(key)));
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
  }

  @GetMapping("/v1/storage/{bucket}")
  ObjectPage list(
      @PathVariable String bucket,
      @RequestParam(defaultValue = "") String prefix,
      @RequestParam(required = false) @Nullable String pageToken,
      @RequestParam(defaultValue = "1000") int limit,
      HttpServletRequest request) {
    return storage.list(Bodies.principal(request), bucket, prefix, pageToken, limit);
  }

  @PostMapping("/v1/storage/{bucket}")
  Map<String, Integer> deleteMany(@PathVariable String bucket, HttpServletRequest request)
      throws IOException {
    Principal p = Bodies.principal(request);
    JsonNode body = Bodies.object(request, MAX_DELETE_BODY, Set.of("delete"));
    JsonNode keys = body.get("delete");
    if (keys == null || !keys.isArray()) {
      throw ApiException.invalid("'delete' is required and must be an array of keys");
    }
    List<String> list = new ArrayList<>();
    for (JsonNode k : keys) {
      if (!k.isString()) {
        throw ApiException.invalid("'delete' must hold only strings (object keys)");
      }
      list.add(k.asString());
    }
    return Map.of("deleted", storage.delete(p, bucket, list));
  }

  /**
   * The {@code If-Match} header: one strong etag, as a head or get returned it; null when absent or
   * {@code *} (any version). A weak or listed etag never matches a stored object's.
   */
  private static @Nullable String ifMatch(HttpServletRequest request) {
    String match = request.getHeader("If-Match");
    return match == null || match.strip().equals("*") ? null : match.strip();
  }

  /** The {@code {*key}} capture without its leading slash. */
  private static String key(String captured) {
    return captured.startsWith("/") ? captured.substring(1) : captured;
  }

  private static void describe(HttpServletResponse response, StoredObject o) {
    response.setContentType("application/octet-stream");
    response.setHeader("ETag", o.etag());
    response.setHeader("Accept-Ranges", "bytes");
    response.setHeader(
        "Last-Modified",
        DateTimeFormatter.RFC_1123_DATE_TIME.format(o.updatedAt().atOffset(ZoneOffset.UTC)));
  }
}
