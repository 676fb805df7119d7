package dev.quarry.server.rest;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.storage.MultipartUploads;
import dev.quarry.server.storage.MultipartUploads.PartRef;
import dev.quarry.server.storage.MultipartUploads.UploadedPart;
import dev.quarry.server.storage.StoredObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Multipart uploads of the Storage API over HTTP: {@code POST /v1/storage-uploads} with {@code
 * {"bucket","key","size"[,"partSize"]}} starts one; {@code PUT /v1/storage-uploads/{id}/parts/{n}}
 * streams a part (with its {@code Content-Length}); {@code POST /v1/storage-uploads/{id}/complete}
 * with {@code {"parts":[{"partNumber":1,"etag":"\"…\""}]}} makes the object; {@code DELETE
 * /v1/storage-uploads/{id}} aborts.
 */
@RestController
public class StorageUploadController {
  private static final long MAX_START_BODY = 8 * 1024;

  /** Room for {@value MultipartUploads#MAX_PARTS} parts with their etags. */
  private static final long MAX_COMPLETE_BODY = 2L * 1024 * 1024;

  private final MultipartUploads uploads;

  public StorageUploadController(MultipartUploads uploads) {
    this.uploads = uploads;
  }

  /** What a start answers: the upload and the rules its parts follow. */
  record Started(
      String uploadId,
      String bucket,
      String key,
      long size,
      long partSize,
      long minPartSize,
      long maxPartSize,
      int maxParts,
      String expiresAt) {}

  @PostMapping("/v1/storage-uploads")
  ResponseEntity<Started> start(HttpServletRequest request) throws IOException {
    Principal p = Bodies.principal(request);
    JsonNode body =
        Bodies.object(request, MAX_START_BODY, Set.of("bucket", "key", "size", "partSize"));
    JsonNode size = body.get("size");
    if (size == null || !size.isIntegralNumber() || !size.canConvertToLong()) {
      throw ApiException.invalid("'size' is required and must be a whole number of bytes");
    }
    JsonNode partSize = body.get("partSize");
    if (partSize != null && (!partSize.isIntegralNumber() || !partSize.canConvertToLong())) {
      throw ApiException.invalid("'partSize' must be a whole number of bytes");
    }
    MultipartUploads.Upload u =
        uploads.start(
            p,
            Bodies.requiredText(body, "bucket"),
            Bodies.requiredText(body, "key"),
            size.asLong(),
            partSize == null ? 0 : partSize.asLong());
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(
            new Started(
                u.id().toString(),
                u.bucket(),
                u.key(),
                u.size(),
                u.partSize(),
                MultipartUploads.MIN_PART_SIZE,
                MultipartUploads.MAX_PART_SIZE,
                MultipartUploads.MAX_PARTS,
                u.expiresAt().toString()));
  }

  @PutMapping("/v1/storage-uploads/{id}/parts/{partNumber}")
  ResponseEntity<UploadedPart> part(
      @PathVariable String id, @PathVariable String partNumber, HttpServletRequest request)
      throws IOException {
    Principal p = Bodies.principal(request);
    int number;
    try {
      number = Integer.parseInt(partNumber);
    } catch (NumberFormatException e) {
      throw ApiException.invalid(
          "the part number must be 1 to " + MultipartUploads.MAX_PARTS + ", got a non-number");
    }
    long length = request.getContentLengthLong();
    if (length < 0) {
      throw ApiException.invalid("a part needs a Content-Length (chunked bodies are refused)");
    }
    uploads.checkPart(p, id, number, length);
    try (InputStream body = request.getInputStream()) {
      UploadedPart part = uploads.uploadPart(p, id, number, body, length);
      return ResponseEntity.ok().eTag(part.etag()).body(part);
    }
  }

  @PostMapping("/v1/storage-uploads/{id}/complete")
  ResponseEntity<StoredObject> complete(@PathVariable String id, HttpServletRequest request)
      throws IOException {
    Principal p = Bodies.principal(request);
    JsonNode body = Bodies.object(request, MAX_COMPLETE_BODY, Set.of("parts"));
    JsonNode parts = body.get("parts");
    if (parts == null || !parts.isArray()) {
      throw ApiException.invalid("'parts' is required: [{\"partNumber\":1,\"etag\":\"...\"}, ...]");
    }
    List<PartRef> refs = new ArrayList<>(parts.size());
    for (JsonNode part : parts) {
      JsonNode n = part.get("partNumber");
      JsonNode etag = part.get("etag");
      if (!part.isObject()
          || part.size() != 2
          || n == null
          || !n.isInt()
          || etag == null
          || !etag.isString()) {
        throw ApiException.invalid(
            "each part is {\"partNumber\": <1.."
                + MultipartUploads.MAX_PARTS
                + ">, \"etag\": \"...\"}");
      }
      refs.add(new PartRef(n.asInt(), etag.asString()));
    }
    StoredObject o = uploads.complete(p, id, refs);
    return ResponseEntity.ok().eTag(o.etag()).body(o);
  }

  @DeleteMapping("/v1/storage-uploads/{id}")
  void abort(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
    uploads.abort(Bodies.principal(request), id);
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
  }
}
