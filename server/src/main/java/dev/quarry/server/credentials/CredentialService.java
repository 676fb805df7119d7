package dev.quarry.server.credentials;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.secrets.SecretCipher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Named credential sets of a tenant. Writing replaces the whole set; nothing reads the secret
 * back through the API: listings show name, kind and dates only. The server opens a set only to
 * deploy or invoke for a job ({@link #open}), which is audited.
 */
@Service
public class CredentialService {
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;
  private final SecretCipher cipher;
  private final AuditLog audit;

  public CredentialService(JdbcClient jdbc, SecretCipher cipher, AuditLog audit) {
    this.jdbc = jdbc;
    this.cipher = cipher;
    this.audit = audit;
  }

  /** A credential set as listed: never its values. */
  public record CredentialInfo(String name, String kind, Instant createdAt, Instant updatedAt) {}

  /**
   * @throws ApiException INVALID_ARGUMENT for a bad name, kind or fields
   */
  public CredentialInfo put(Principal admin, String name, String kind, Map<String, String> fields) {
    admin.require(Role.ADMIN);
    requireName(name);
    CredentialKinds.validate(kind, fields);
    byte[] plaintext = JSON.writeValueAsBytes(new TreeMap<>(fields));
    SecretCipher.Sealed sealed = cipher.seal(plaintext, aad(admin.tenantId(), name));
    jdbc.sql(
            "insert into credentials (tenant_id, name, kind, key_id, sealed) values (?, ?, ?, ?, ?)"
                + " on conflict (tenant_id, name) do update set kind = excluded.kind,"
                + " key_id = excluded.key_id, sealed = excluded.sealed, updated_at = now()")
        .params(admin.tenantId(), name, kind, sealed.keyId(), sealed.bytes())
        .update();
    audit.record(admin, "credential.put", name);
    return find(admin.tenantId(), name);
  }

  public List<CredentialInfo> list(Principal admin) {
    admin.require(Role.ADMIN);
    return jdbc.sql("select name, kind, created_at, updated_at from credentials where tenant_id = ? order by name")
        .param(admin.tenantId())
        .query(CredentialService::map)
        .list();
  }

  /**
   * @throws ApiException NOT_FOUND for an unknown name, CONFLICT while a profile uses it
   */
  public CredentialInfo delete(Principal admin, String name) {
    admin.require(Role.ADMIN);
    CredentialInfo existing = find(admin.tenantId(), name);
    List<String> users =
        jdbc.sql("select name from backend_profiles where tenant_id = ? and credential_name = ?")
            .params(admin.tenantId(), name)
            .query(String.class)
            .list();
    if (!users.isEmpty()) {
      throw new ApiException(ErrorReason.RESOURCE_IN_USE, "credential '" + name + "' is used by profile(s) " + users);
    }
    jdbc.sql("delete from credentials where tenant_id = ? and name = ?").params(admin.tenantId(), name).update();
    audit.record(admin, "credential.delete", name);
    return existing;
  }

  /**
   * Opens a credential set for the server's own use (deploy, invoke) and audits the use.
   *
   * @throws ApiException NOT_FOUND for an unknown name
   */
  public Map<String, String> open(Principal caller, String name, String purpose) {
    SecretCipher.Sealed sealed = sealed(caller.tenantId(), name);
    audit.record(caller, "credential.use", name + " (" + purpose + ")");
    return unseal(caller.tenantId(), name, sealed);
  }


  /** Reseals every credential under the active master key; returns how many changed. */
  public int rotate(Principal operator) {
    operator.require(Role.OPERATOR);
    var rows =
        jdbc.sql("select tenant_id, name, key_id, sealed from credentials where key_id <> ?")
            .param(cipher.activeKeyId())
            .query((rs, n) -> new Object[] {rs.getString(1), rs.getString(2), new SecretCipher.Sealed(rs.getString(3), rs.getBytes(4))})
            .list();
    for (Object[] r : rows) {
      String aad = aad((String) r[0], (String) r[1]);
      SecretCipher.Sealed resealed = cipher.rotate((SecretCipher.Sealed) r[2], aad);
      jdbc.sql("update credentials set key_id = ?, sealed = ? where tenant_id = ? and name = ? and key_id = ?")
          .params(resealed.keyId(), resealed.bytes(), r[0], r[1], ((SecretCipher.Sealed) r[2]).keyId())
          .update();
    }
    return rows.size();
  }

  public String activeKeyId() {
    return cipher.activeKeyId();
  }

  boolean exists(String tenant, String name) {
    return kind(tenant, name) != null;
  }

  /** The kind of a tenant's credential, or null when there is none by that name. */
  @org.jspecify.annotations.Nullable
  String kind(String tenant, String name) {
    return jdbc.sql("select kind from credentials where tenant_id = ? and name = ?")
        .params(tenant, name)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  /**
   * Opens a credential set for the server's own use on a tenant's behalf (the dispatcher deploying
   * or invoking on a profile) and audits the use as the server.
   *
   * @throws ApiException NOT_FOUND for an unknown name
   */
  public Map<String, String> openForServer(String tenant, String name, String purpose) {
    SecretCipher.Sealed sealed = sealed(tenant, name);
    audit.recordServer(tenant, "credential.use", name + " (" + purpose + ")");
    return unseal(tenant, name, sealed);
  }

  private SecretCipher.Sealed sealed(String tenant, String name) {
    return jdbc.sql("select key_id, sealed from credentials where tenant_id = ? and name = ?")
        .params(tenant, name)
        .query((rs, n) -> new SecretCipher.Sealed(rs.getString(1), rs.getBytes(2)))
        .optional()
        .orElseThrow(() -> ApiException.notFound(ErrorReason.CREDENTIAL_NOT_FOUND, name));
  }

  private Map<String, String> unseal(String tenant, String name, SecretCipher.Sealed sealed) {
    byte[] plaintext = cipher.open(sealed, aad(tenant, name));
    return JSON.readValue(plaintext, new tools.jackson.core.type.TypeReference<TreeMap<String, String>>() {});
  }


  private CredentialInfo find(String tenant, String name) {
    return jdbc.sql("select name, kind, created_at, updated_at from credentials where tenant_id = ? and name = ?")
        .params(tenant, name)
        .query(CredentialService::map)
        .optional()
        .orElseThrow(() -> ApiException.notFound(ErrorReason.CREDENTIAL_NOT_FOUND, name));
  }

  static void requireName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw ApiException.invalid("name must be 1-63 lower-case letters, digits or '-', starting with a letter");
    }
  }

  private static String aad(String tenant, String name) {
    return "credential:" + tenant + ":" + name;
  }

  private static CredentialInfo map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new CredentialInfo(
        rs.getString("name"), rs.getString("kind"), rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }
}
