package dev.quarry.server.functions;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.jobs.FunctionRef;
import dev.quarry.worker.Builtins;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Functions a tenant can run: builtins shipped with the worker, jar entry classes registered by
 * name, and anonymous serialized functions (one per distinct bundle).
 */
@Service
public class FunctionService {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");
  private static final Pattern CLASS_NAME =
      Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*\\.)*[A-Za-z_$][A-Za-z0-9_$]*");
  private static final int MAX_JARS = 2000;

  private final FunctionRepository repository;
  private final TransactionTemplate tx;
  private final BlobService blobs;
  private final ConcurrentHashMap<String, FunctionRef> anonymous = new ConcurrentHashMap<>();

  FunctionService(FunctionRepository repository, TransactionTemplate tx, BlobService blobs) {
    this.repository = repository;
    this.tx = tx;
    this.blobs = blobs;
  }

  /** A registered function as listed by the API. */
  public record FunctionInfo(
      @Nullable UUID id,
      String name,
      String kind,
      String codec,
      @Nullable String entryClass,
      @Nullable Instant createdAt) {}

  /**
   * Registers (or replaces) a named jar-entry function whose jars are already uploaded.
   *
   * @throws ApiException INVALID_ARGUMENT for a bad name or class, or jars not uploaded
   */
  public FunctionInfo registerJarEntry(
      String tenant, String name, String entryClass, List<String> jarDigests) {
    validateJarEntry(name, entryClass);
    requireUploaded(tenant, jarDigests);
    if (jarDigests.isEmpty()) {
      throw ApiException.invalid("a jar-entry function needs at least one jar");
    }
    String bundle = bundleDigest("JAR_ENTRY", entryClass, null, jarDigests);
    return tx.execute(
        s -> {
          repository.upsertJarEntry(
              tenant,
              UUID.randomUUID(),
              name,
              entryClass,
              jarDigests.toArray(String[]::new),
              bundle);
          return repository.findByTenantIdAndName(tenant, name).orElseThrow().info();
        });
  }

  /**
   * Registers an anonymous serialized function (deduplicated by bundle) and returns it.
   *
   * @throws ApiException INVALID_ARGUMENT if the payload or a jar was not uploaded
   */
  public FunctionInfo registerSerialized(
      String tenant, String payloadDigest, List<String> jarDigests) {
    Digests.require(payloadDigest);
    List<String> all = new ArrayList<>(jarDigests);
    all.add(payloadDigest);
    requireUploaded(tenant, all);
    String bundle = bundleDigest("SERIALIZED", null, payloadDigest, jarDigests);
    return tx.execute(
        s -> {
          repository.insertSerialized(
              tenant, UUID.randomUUID(), payloadDigest, jarDigests.toArray(String[]::new), bundle);
          return repository.findAnonymous(tenant, bundle).orElseThrow().info();
        });
  }

  /** Builtins first, then the tenant's registered functions by name. */
  public List<FunctionInfo> list(String tenant) {
    List<FunctionInfo> out = new ArrayList<>();
    for (String b : Builtins.names()) {
      out.add(new FunctionInfo(null, b, "BUILTIN", "JSON", null, null));
    }
    repository.findNamed(tenant).forEach(f -> out.add(f.info()));
    return out;
  }

  /**
   * Finds a function by id, registered name or builtin name.
   *
   * @throws ApiException NOT_FOUND when there is none
   */
  public FunctionRef resolve(String tenant, String function) {
    if (function.isBlank()) {
      throw ApiException.invalid("function is required (a name like 'echo' or a function id)");
    }
    if (Builtins.names().contains(function)) {
      return new FunctionRef(
          null, function, "BUILTIN", "JSON", null, null, List.of(), "builtin:" + function);
    }
    return find(tenant, function)
        .orElseThrow(() -> ApiException.notFound(ErrorReason.FUNCTION_NOT_FOUND, clip(function)));
  }

  private Optional<FunctionRef> find(String tenant, String function) {
    UUID id = parseUuid(function);
    if (id != null) {
      FunctionRef cached = anonymous.get(tenant + "/" + id);
      if (cached != null) {
        return Optional.of(cached);
      }
      Optional<FunctionRef> found =
          repository.findByTenantIdAndId(tenant, id).map(FunctionEntity::ref);
      // Anonymous functions never change once registered, so they can be cached by id.
      found
          .filter(f -> f.name().startsWith("anonymous:"))
          .ifPresent(
              f -> {
                if (anonymous.size() > 10_000) {
                  anonymous.clear();
                }
                anonymous.put(tenant + "/" + id, f);
              });
      return found;
    }
    return repository.findByTenantIdAndName(tenant, function).map(FunctionEntity::ref);
  }

  private void requireUploaded(String tenant, List<String> digests) {
    if (digests.size() > MAX_JARS) {
      throw ApiException.invalid("at most " + MAX_JARS + " jars per function");
    }
    List<String> missing = blobs.missing(tenant, digests);
    if (!missing.isEmpty()) {
      throw new ApiException(
          ErrorReason.BLOB_NOT_UPLOADED,
          "blob(s) not uploaded: "
              + String.join(", ", missing.subList(0, Math.min(5, missing.size()))));
    }
  }

  /**
   * @throws ApiException INVALID_ARGUMENT for a bad function name or entry class name
   */
  public static void validateJarEntry(String name, String entryClass) {
    requireName(name);
    if (!CLASS_NAME.matcher(entryClass).matches() || entryClass.length() > 255) {
      throw ApiException.invalid("entryClass '" + clip(entryClass) + "' is not a Java class name");
    }
  }

  static void requireName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw ApiException.invalid(
          "function name must match [A-Za-z][A-Za-z0-9._-]{0,63}, got '" + clip(name) + "'");
    }
    if (Builtins.names().contains(name)) {
      throw ApiException.invalid("'" + name + "' is a builtin function name");
    }
  }

  private static String bundleDigest(
      String kind, @Nullable String entry, @Nullable String payload, List<String> jars) {
    MessageDigest md = Digests.sha256();
    String text = kind + "\n" + entry + "\n" + payload + "\n" + String.join("\n", jars);
    return Digests.hex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static @Nullable UUID parseUuid(String s) {
    if (s.length() != 36) {
      return null;
    }
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
