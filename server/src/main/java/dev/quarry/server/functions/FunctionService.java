package dev.quarry.server.functions;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.jobs.FunctionRef;
import dev.quarry.worker.Builtins;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

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

  private final JdbcClient jdbc;
  private final BlobService blobs;
  private final java.util.concurrent.ConcurrentHashMap<String, FunctionRef> anonymous =
      new java.util.concurrent.ConcurrentHashMap<>();

  public FunctionService(JdbcClient jdbc, BlobService blobs) {
    this.jdbc = jdbc;
    this.blobs = blobs;
  }

  /** A registered function as listed by the API. */
  public record FunctionInfo(
      @Nullable UUID id, String name, String kind, String codec, @Nullable String entryClass,
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
    UUID id =
        jdbc.sql(
                "insert into functions (tenant_id, id, name, kind, codec, entry_class,"
                    + " jar_digests, bundle_digest) values (?, ?, ?, 'JAR_ENTRY', 'JSON', ?, ?, ?)"
                    + " on conflict (tenant_id, name) where name is not null do update set"
                    + " entry_class = excluded.entry_class, jar_digests = excluded.jar_digests,"
                    + " bundle_digest = excluded.bundle_digest, kind = excluded.kind,"
                    + " codec = excluded.codec, created_at = now() returning id")
            .params(
                tenant, UUID.randomUUID(), name, entryClass, jarDigests.toArray(String[]::new),
                bundle)
            .query(UUID.class)
            .single();
    return find(tenant, id.toString()).map(this::info).orElseThrow();
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
    jdbc.sql(
            "insert into functions (tenant_id, id, kind, codec, payload_digest, jar_digests,"
                + " bundle_digest) values (?, ?, 'SERIALIZED', 'JAVA', ?, ?, ?)"
                + " on conflict (tenant_id, bundle_digest) where name is null do nothing")
        .params(tenant, UUID.randomUUID(), payloadDigest, jarDigests.toArray(String[]::new), bundle)
        .update();
    FunctionRef ref =
        jdbc.sql("select * from functions where tenant_id = ? and bundle_digest = ? and name is null")
            .params(tenant, bundle)
            .query(FunctionService::map)
            .single();
    return info(ref);
  }

  /** Builtins first, then the tenant's registered functions by name. */
  public List<FunctionInfo> list(String tenant) {
    List<FunctionInfo> out = new ArrayList<>();
    for (String b : Builtins.names()) {
      out.add(new FunctionInfo(null, b, "BUILTIN", "JSON", null, null));
    }
    jdbc.sql(
            "select id, name, kind, codec, entry_class, created_at from functions"
                + " where tenant_id = ? and name is not null order by name")
        .param(tenant)
        .query(
            (rs, n) ->
                new FunctionInfo(
                    rs.getObject("id", UUID.class),
                    rs.getString("name"),
                    rs.getString("kind"),
                    rs.getString("codec"),
                    rs.getString("entry_class"),
                    rs.getTimestamp("created_at").toInstant()))
        .list()
        .forEach(out::add);
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
          jdbc.sql("select * from functions where tenant_id = ? and id = ?")
              .params(tenant, id)
              .query(FunctionService::map)
              .optional();
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
    return jdbc.sql("select * from functions where tenant_id = ? and name = ?")
        .params(tenant, function)
        .query(FunctionService::map)
        .optional();
  }

  private FunctionInfo info(FunctionRef ref) {
    Instant created =
        ref.id() == null
            ? null
            : jdbc.sql("select created_at from functions where id = ?")
                .param(ref.id())
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .optional()
                .orElse(null);
    return new FunctionInfo(ref.id(), ref.name(), ref.kind(), ref.codec(), ref.entryClass(), created);
  }

  private void requireUploaded(String tenant, List<String> digests) {
    if (digests.size() > MAX_JARS) {
      throw ApiException.invalid("at most " + MAX_JARS + " jars per function");
    }
    List<String> missing = blobs.missing(tenant, digests);
    if (!missing.isEmpty()) {
      throw new ApiException(ErrorReason.BLOB_NOT_UPLOADED,
          "blob(s) not uploaded: " + String.join(", ", missing.subList(0, Math.min(5, missing.size()))));
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

  private static FunctionRef map(ResultSet rs, int row) throws SQLException {
    UUID id = rs.getObject("id", UUID.class);
    String name = rs.getString("name");
    return new FunctionRef(
        id,
        name != null ? name : "anonymous:" + id,
        rs.getString("kind"),
        rs.getString("codec"),
        rs.getString("entry_class"),
        rs.getString("payload_digest"),
        textArray(rs.getArray("jar_digests")),
        rs.getString("bundle_digest"));
  }

  static List<String> textArray(Array array) throws SQLException {
    return List.of((String[]) array.getArray());
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
