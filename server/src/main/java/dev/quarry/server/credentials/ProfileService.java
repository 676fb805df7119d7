package dev.quarry.server.credentials;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.backend.BackendPlugin;
import dev.quarry.server.backend.BackendPlugins;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Named backend profiles of a tenant (e.g. {@code aws-prod} = Lambda in eu-west-1 with
 * credentials {@code team-aws}). Admins write them; members submit jobs to them by name.
 */
@Service
public class ProfileService {
  private static final int MAX_SETTINGS = 32;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;
  private final CredentialService credentials;
  private final AuditLog audit;
  private final BackendPlugins plugins;

  public ProfileService(
      JdbcClient jdbc, CredentialService credentials, AuditLog audit, BackendPlugins plugins) {
    this.jdbc = jdbc;
    this.credentials = credentials;
    this.audit = audit;
    this.plugins = plugins;
  }

  /** A profile: which backend, its settings, and the credential set it uses (by name). */
  public record Profile(
      String name, String backend, Map<String, String> settings, @Nullable String credential,
      Instant createdAt, Instant updatedAt) {}

  /**
   * @throws ApiException INVALID_ARGUMENT for bad fields, NOT_FOUND for an unknown credential
   */
  public Profile put(
      Principal admin, String name, String backend, Map<String, String> settings,
      @Nullable String credential) {
    admin.require(Role.ADMIN);
    CredentialService.requireName(name);
    plugins.require(backend);
    if (settings.size() > MAX_SETTINGS
        || settings.entrySet().stream().anyMatch(e -> e.getKey().length() > 64 || e.getValue().length() > 1024)) {
      throw ApiException.invalid("settings: at most " + MAX_SETTINGS + " entries, keys up to 64 and values up to 1024 characters");
    }
    String kind = credential == null ? null : credentials.kind(admin.tenantId(), credential);
    if (credential != null && kind == null) {
      throw ApiException.notFound(ErrorReason.CREDENTIAL_NOT_FOUND, credential);
    }
    plugins.validate(backend, settings, kind);
    jdbc.sql(
            "insert into backend_profiles (tenant_id, name, backend, settings, credential_name)"
                + " values (?, ?, ?, ?::jsonb, ?) on conflict (tenant_id, name) do update set"
                + " backend = excluded.backend, settings = excluded.settings,"
                + " credential_name = excluded.credential_name, updated_at = now()")
        .params(admin.tenantId(), name, backend, JSON.writeValueAsString(new TreeMap<>(settings)), credential)
        .update();
    audit.record(admin, "profile.put", name);
    return find(admin.tenantId(), name).orElseThrow();
  }

  public List<Profile> list(Principal caller) {
    caller.require(Role.VIEWER);
    return jdbc.sql("select * from backend_profiles where tenant_id = ? order by name")
        .param(caller.tenantId())
        .query(ProfileService::map)
        .list();
  }

  /**
   * @throws ApiException NOT_FOUND for an unknown profile
   */
  public Profile delete(Principal admin, String name) {
    admin.require(Role.ADMIN);
    Profile existing = find(admin.tenantId(), name).orElseThrow(() -> ApiException.notFound(ErrorReason.PROFILE_NOT_FOUND, name));
    jdbc.sql("delete from backend_profiles where tenant_id = ? and name = ?").params(admin.tenantId(), name).update();
    audit.record(admin, "profile.delete", name);
    return existing;
  }

  /**
   * The profile a job is submitted to, checked against what this server can run; opens (and
   * audits) its credential when it has one.
   *
   * @throws ApiException NOT_FOUND for an unknown profile, INVALID_ARGUMENT for a backend this
   *     server does not run
   */
  public Profile forSubmit(Principal caller, String name) {
    Profile p = find(caller.tenantId(), name).orElseThrow(() -> ApiException.notFound(ErrorReason.PROFILE_NOT_FOUND, name));
    BackendPlugin plugin =
        plugins.find(p.backend()).orElseThrow(() -> ApiException.invalid(
            "profile '" + name + "' uses backend '" + p.backend()
                + "', which this server does not run (it runs " + plugins.kinds() + ")"));
    plugin.unavailable().ifPresent(why -> {
      throw ApiException.invalid("profile '" + name + "' cannot run here: " + why);
    });
    if (p.credential() != null) {
      credentials.open(caller, p.credential(), "job on profile " + name);
    }
    return p;
  }

  /** A tenant's profile by name, for the server's own use (no caller to check). */
  public Optional<Profile> lookup(String tenant, String name) {
    return find(tenant, name);
  }

  private Optional<Profile> find(String tenant, String name) {
    return jdbc.sql("select * from backend_profiles where tenant_id = ? and name = ?")
        .params(tenant, name)
        .query(ProfileService::map)
        .optional();
  }

  private static Profile map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    Map<String, String> settings =
        JSON.readValue(rs.getString("settings"), new tools.jackson.core.type.TypeReference<TreeMap<String, String>>() {});
    return new Profile(
        rs.getString("name"), rs.getString("backend"), settings, rs.getString("credential_name"),
        rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
  }
}
