package dev.quarry.server.data;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.functions.FunctionService;
import dev.quarry.server.limits.LimitsService;
import dev.quarry.server.storage.ObjectContent;
import dev.quarry.server.storage.ObjectPage;
import dev.quarry.server.storage.RangeRequest;
import dev.quarry.server.storage.StoredObject;
import dev.quarry.server.storage.TenantStorage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Plans a map over stored data: lists the objects (or looks up the named keys), splits each into
 * byte ranges, and moves every split point forward to just after the next newline, so each line
 * lies in exactly one range (a line belongs to the range holding its first byte) — Lithops'
 * partitioner, done once on the server instead of in every worker. A split point with no newline
 * within {@value #MAX_LINE} bytes is dropped (its range merges with the next), so planning reads at
 * most that much per split point.
 *
 * <p>Bounded: at most the tenant's {@code maxInputsPerJob} ranges (checked before any object is
 * read), at most {@value #MAX_KEYS} named keys.
 */
@Component
public class DataPlanner {
  /** Longest line a split point looks past for its newline. */
  public static final int MAX_LINE = 1 << 20;

  /** Most keys a map may name. */
  public static final int MAX_KEYS = 10_000;

  /** Most URLs a map may name (as the Java client's {@code StoredData.MAX_URLS}). */
  public static final int MAX_URLS = 1000;

  /** Smallest chunk size (as the Java client's {@code StoredData.MIN_CHUNK_SIZE}). */
  public static final long MIN_CHUNK_SIZE = 1024;

  /** Most ranges per object by number. */
  public static final int MAX_CHUNK_NUMBER = 10_000;

  private final TenantStorage storage;
  private final FunctionService functions;
  private final LimitsService limits;
  private final UrlPlanner urls;

  DataPlanner(
      TenantStorage storage, FunctionService functions, LimitsService limits, UrlPlanner urls) {
    this.urls = urls;
    this.storage = storage;
    this.functions = functions;
    this.limits = limits;
  }

  /**
   * The inputs of a map of {@code function} over {@code spec}, one per range, each a description of
   * its range encoded in the function's codec: a JSON object {@code {bucket, key, start, end, size,
   * etag, part}} for JSON functions, a Java-serialized {@code LinkedHashMap} of the same for Java
   * functions.
   *
   * <p>A URL's description is {@code {url, start, end, size, etag, part, privateAllowed}}, its
   * range nominal (the worker moves its ends to line starts).
   *
   * @throws ApiException INVALID_ARGUMENT / INVALID_OBJECT_NAME for bad settings or names,
   *     OBJECT_NOT_FOUND for a named key that does not exist or a prefix without objects,
   *     URL_REFUSED / URL_UNREADABLE for a URL, PAYLOAD_TOO_LARGE ({@code maxInputsPerJob}) for too
   *     many ranges, PERMISSION_DENIED below the member role, FUNCTION_NOT_FOUND
   */
  public Planned inputs(Principal caller, String function, DataSpec spec) {
    caller.require(Role.MEMBER);
    boolean java = "JAVA".equals(functions.resolve(caller.tenantId(), function).codec());
    List<byte[]> out = new ArrayList<>();
    List<String> objects = new ArrayList<>();
    for (Partition p : plan(caller, spec)) {
      out.add(java ? PartitionCodec.javaBytes(p) : PartitionCodec.jsonBytes(p));
      objects.add(p.object());
    }
    return new Planned(out, objects);
  }

  /** The inputs of a map over data, and the object (key) or URL of each. */
  public record Planned(List<byte[]> inputs, List<String> objects) {}

  /** The ranges of {@code spec}, in key order (or the keys' order), then range order. */
  public List<Partition> plan(Principal caller, DataSpec spec) {
    validate(spec);
    int maxRanges = limits.of(caller.tenantId()).maxInputsPerJob();
    if (!spec.urls().isEmpty()) {
      return urls.plan(spec.urls(), size -> chunkSize(size, spec), maxRanges);
    }
    List<StoredObject> objects = objects(caller, spec, maxRanges);
    long planned = 0;
    for (StoredObject o : objects) {
      planned += nominalRanges(o.size(), spec);
      if (planned > maxRanges) {
        throw tooMany(maxRanges, "at least " + planned);
      }
    }
    List<Partition> out = new ArrayList<>((int) planned);
    for (StoredObject o : objects) {
      split(caller, o, spec, out);
    }
    return out;
  }

  private static void validate(DataSpec spec) {
    if (spec.chunkSize() != 0 && spec.chunkSize() < MIN_CHUNK_SIZE) {
      throw ApiException.invalid(
          "objChunkSize must be at least " + MIN_CHUNK_SIZE + " bytes, got " + spec.chunkSize());
    }
    if (spec.chunkNumber() < 0 || spec.chunkNumber() > MAX_CHUNK_NUMBER) {
      throw ApiException.invalid(
          "objChunkNumber must be between 0 and "
              + MAX_CHUNK_NUMBER
              + ", got "
              + spec.chunkNumber());
    }
    if (spec.chunkSize() != 0 && spec.chunkNumber() != 0) {
      throw ApiException.invalid("set objChunkSize or objChunkNumber, not both");
    }
    if (spec.keys().size() > MAX_KEYS) {
      throw ApiException.invalid(
          "a map may name at most " + MAX_KEYS + " keys, got " + spec.keys().size());
    }
    if (!spec.keys().isEmpty() && !spec.prefix().isEmpty()) {
      throw ApiException.invalid("name keys or a prefix, not both");
    }
    if (spec.urls().size() > MAX_URLS) {
      throw ApiException.invalid(
          "a map may name at most " + MAX_URLS + " URLs, got " + spec.urls().size());
    }
    if (!spec.urls().isEmpty()
        && (!spec.bucket().isEmpty() || !spec.prefix().isEmpty() || !spec.keys().isEmpty())) {
      throw ApiException.invalid("name URLs or a bucket's objects, not both");
    }
  }

  private List<StoredObject> objects(Principal caller, DataSpec spec, int maxRanges) {
    List<StoredObject> objects = new ArrayList<>();
    if (!spec.keys().isEmpty()) {
      for (String key : spec.keys()) {
        objects.add(storage.head(caller, spec.bucket(), key));
      }
      return objects;
    }
    String token = null;
    do {
      ObjectPage page =
          storage.list(caller, spec.bucket(), spec.prefix(), token, TenantStorage.MAX_PAGE);
      objects.addAll(page.objects());
      if (objects.size() > maxRanges) {
        throw tooMany(maxRanges, "more than " + maxRanges + " objects");
      }
      token = page.nextPageToken().isEmpty() ? null : page.nextPageToken();
    } while (token != null);
    if (objects.isEmpty()) {
      throw new ApiException(
          ErrorReason.OBJECT_NOT_FOUND,
          "no objects in bucket '" + spec.bucket() + "' under prefix '" + spec.prefix() + "'");
    }
    return objects;
  }

  private static long chunkSize(long size, DataSpec spec) {
    if (spec.chunkSize() > 0) {
      return spec.chunkSize();
    }
    if (spec.chunkNumber() > 0) {
      return Math.max(1, (size + spec.chunkNumber() - 1) / spec.chunkNumber());
    }
    return Long.MAX_VALUE;
  }

  private static long nominalRanges(long size, DataSpec spec) {
    long chunk = chunkSize(size, spec);
    return size == 0 || chunk == Long.MAX_VALUE ? 1 : (size + chunk - 1) / chunk;
  }

  private void split(Principal caller, StoredObject o, DataSpec spec, List<Partition> out) {
    long size = o.size();
    long chunk = chunkSize(size, spec);
    long start = 0;
    int part = 0;
    for (long nominal = chunk; nominal < size && chunk != Long.MAX_VALUE; nominal += chunk) {
      if (nominal <= start) {
        continue; // an earlier split point moved past this one
      }
      long boundary = lineStartFrom(caller, o, nominal);
      if (boundary < 0 || boundary >= size) {
        continue;
      }
      out.add(new Partition(o.bucket(), o.key(), start, boundary, size, o.etag(), part++));
      start = boundary;
    }
    out.add(new Partition(o.bucket(), o.key(), start, size, size, o.etag(), part));
  }

  /**
   * The first position {@code >= at} where a line starts (just after a newline), or -1 when there
   * is no newline within {@value #MAX_LINE} bytes from {@code at - 1}.
   */
  private long lineStartFrom(Principal caller, StoredObject o, long at) {
    long from = at - 1; // a line starts at `at` when the byte before it is a newline
    try (ObjectContent c =
            storage.get(caller, o.bucket(), o.key(), RangeRequest.of(from, MAX_LINE));
        InputStream in = new BufferedInputStream(c.stream(), 1 << 16)) {
      for (long pos = from; ; pos++) {
        int b = in.read();
        if (b < 0) {
          return -1;
        }
        if (b == '\n') {
          return pos + 1;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "reading '" + o.bucket() + "/" + o.key() + "' to plan its ranges failed", e);
    }
  }

  static ApiException tooMany(int limit, String got) {
    return ApiException.overLimit(
        ErrorReason.PAYLOAD_TOO_LARGE,
        "maxInputsPerJob",
        "maxInputsPerJob: a job may have at most "
            + limit
            + " inputs; the data would be split into "
            + got
            + ". Use larger chunks or fewer objects.");
  }
}
