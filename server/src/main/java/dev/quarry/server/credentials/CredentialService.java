package dev.quarry.server.credentials;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.db.TenantScopedName;
import dev.quarry.server.secrets.SecretCipher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Named credential sets of a tenant. Writing replaces the whole set; nothing reads the secret back
 * through the API: listings show name, kind and dates only. The server opens a set only to deploy
 * or invoke for a job ({@link #open}), which is audited.
 */
@Service
public class CredentialService {
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final CredentialRepository repository;
  private final ProfileRepository profiles;
  private final SecretCipher cipher;
  private final AuditLog audit;
  private final TransactionTemplate tx;

  CredentialService(
      CredentialRepository repository,
      ProfileRepository profiles,
      SecretCipher cipher,
      AuditLog audit,
      TransactionTemplate tx) {
    this.repository = repository;
    this.profiles = profiles;
    this.cipher = cipher;
    this.audit = audit;
    this.tx = tx;
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
    return tx.execute(
        s -> {
          repository.upsert(admin.tenantId(), name, kind, sealed.keyId(), sealed.bytes());
          audit.record(admin, "credential.put", name);
          return find(admin.tenantId(), name);
        });
  }

  public List<CredentialInfo> list(Principal admin) {
    admin.require(Role.ADMIN);
    return repository.findByTenant(admin.tenantId()).stream().map(CredentialEntity::info).toList();
  }

  /**
   * @throws ApiException NOT_FOUND for an unknown name, CONFLICT while a profile uses it
   */
  public CredentialInfo delete(Principal admin, String name) {
    admin.require(Role.ADMIN);
    return tx.execute(
        s -> {
          CredentialInfo existing = find(admin.tenantId(), name);
          List<String> users = profiles.findNamesUsing(admin.tenantId(), name);
          if (!users.isEmpty()) {
            throw new ApiException(
                ErrorReason.RESOURCE_IN_USE,
                "credential '" + name + "' is used by profile(s) " + users);
          }
          repository.delete(new TenantScopedName(admin.tenantId(), name));
          audit.record(admin, "credential.delete", name);
          return existing;
        });
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
    List<CredentialEntity> rows = repository.findSealedUnderOtherKey(cipher.activeKeyId());
    for (CredentialEntity r : rows) {
      String aad = aad(r.id().tenantId(), r.id().name());
      SecretCipher.Sealed resealed =
          cipher.rotate(new SecretCipher.Sealed(r.keyId(), r.sealed()), aad);
      repository.reseal(r.id(), r.keyId(), resealed.keyId(), resealed.bytes());
    }
    return rows.size();
  }

  public String activeKeyId() {
    return cipher.activeKeyId();
  }

  /**
   * When a tenant's credential was last written, for caches of what was opened with it; empty when
   * there is none by that name.
   */
  public java.util.Optional<Instant> version(String tenant, String name) {
    return repository.findById(new TenantScopedName(tenant, name)).map(c -> c.info().updatedAt());
  }

  boolean exists(String tenant, String name) {
    return kind(tenant, name) != null;
  }

  /** The kind of a tenant's credential, or null when there is none by that name. */
  @org.jspecify.annotations.Nullable
  String kind(String tenant, String name) {
    return repository.findKind(new TenantScopedName(tenant, name)).orElse(null);
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
    return repository
        .findById(new TenantScopedName(tenant, name))
        .map(c -> new SecretCipher.Sealed(c.keyId(), c.sealed()))
        .orElseThrow(() -> ApiException.notFound(ErrorReason.CREDENTIAL_NOT_FOUND, name));
  }

  private Map<String, String> unseal(String tenant, String name, SecretCipher.Sealed sealed) {
    byte[] plaintext = cipher.open(sealed, aad(tenant, name));
    return JSON.readValue(
        plaintext, new tools.jackson.core.type.TypeReference<TreeMap<String, String>>() {});
  }

  private CredentialInfo find(String tenant, String name) {
    return repository
        .findById(new TenantScopedName(tenant, name))
        .map(CredentialEntity::info)
        .orElseThrow(() -> ApiException.notFound(ErrorReason.CREDENTIAL_NOT_FOUND, name));
  }

  static void requireName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw ApiException.invalid(
          "name must be 1-63 lower-case letters, digits or '-', starting with a letter");
    }
  }

  private static String aad(String tenant, String name) {
    return "credential:" + tenant + ":" + name;
  }
}
