package dev.quarry.server.workers;

import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.HashedSecrets;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.backend.standalone.StandaloneBackendPlugin;
import dev.quarry.server.credentials.ProfileService;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Worker tokens: a tenant admin creates one for a profile of backend {@code standalone}; it reads
 * {@code qw_<prefix>_<secret>} and only its SHA-256 is stored (like API keys, which it never
 * replaces: a worker token opens only {@code WorkerService}, an API key never does). Creating and
 * revoking are audited; a revocation cuts the token's connected workers off at once.
 */
@Service
public class WorkerTokenService {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");

  /** Profile names as profiles are named (lower-case letters, digits and '-'). */
  private static final Pattern PROFILE = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  private static final int MAX_TOKEN_LENGTH = 200;

  /** Name of the tokens the server issues for a Kubernetes profile's pods. */
  public static final String POD_TOKEN_NAME = "kubernetes pods";

  /** Backends whose workers pull with a token: standalone machines and Kubernetes pods. */
  static final List<String> POOL_BACKENDS = List.of(StandaloneBackendPlugin.KIND, "kubernetes");

  private final WorkerTokenRepository repository;
  private final ProfileService profiles;
  private final WorkerSessions sessions;
  private final AuditLog audit;
  private final TransactionTemplate tx;

  WorkerTokenService(
      WorkerTokenRepository repository,
      ProfileService profiles,
      WorkerSessions sessions,
      AuditLog audit,
      TransactionTemplate tx) {
    this.repository = repository;
    this.profiles = profiles;
    this.sessions = sessions;
    this.audit = audit;
    this.tx = tx;
  }

  /** A token without its secret; {@code connected} counts its workers on this replica. */
  public record TokenInfo(
      UUID id,
      String prefix,
      String name,
      String profile,
      Instant createdAt,
      @Nullable Instant lastUsedAt,
      @Nullable Instant revokedAt,
      int connected) {}

  /** A new token and its secret, shown once. */
  public record Created(TokenInfo token, String secret) {}

  /**
   * @throws ApiException INVALID_ARGUMENT for a bad name or a profile of another backend, NOT_FOUND
   *     for an unknown profile, PERMISSION_DENIED unless an admin
   */
  public Created create(Principal admin, String name, String profile) {
    admin.require(Role.ADMIN);
    if (!NAME.matcher(name).matches()) {
      throw ApiException.invalid("token name must be 1-64 letters, digits, spaces or ._-");
    }
    if (!PROFILE.matcher(profile).matches()) {
      throw ApiException.invalid("'profile' must name a profile of backend standalone");
    }
    ProfileService.Profile p =
        profiles
            .lookup(admin.tenantId(), profile)
            .orElseThrow(() -> ApiException.notFound(ErrorReason.PROFILE_NOT_FOUND, profile));
    if (!POOL_BACKENDS.contains(p.backend())) {
      throw ApiException.invalid(
          "profile '"
              + profile
              + "' has backend "
              + p.backend()
              + ": worker tokens are for profiles of backend "
              + String.join(" or ", POOL_BACKENDS));
    }
    HashedSecrets.Issued issued = HashedSecrets.issue("qw");
    UUID id = UUID.randomUUID();
    return tx.execute(
        s -> {
          repository.save(
              new WorkerTokenEntity(
                  id,
                  admin.tenantId(),
                  profile,
                  issued.prefix(),
                  issued.hash(),
                  name,
                  admin.keyId()));
          audit.record(admin, "worker-token.create", id + " profile=" + profile);
          return new Created(find(admin.tenantId(), id).orElseThrow(), issued.secret());
        });
  }

  /**
   * The worker token of a Kubernetes profile's pods: {@code current} (the token the pool's Secret
   * holds) while it is valid for that tenant and profile, so that replicas and restarts share it;
   * else a new token named {@value #POD_TOKEN_NAME}, created by the server and audited as such.
   * Admins see and revoke it like any other worker token.
   */
  public String podToken(String tenant, String profile, @Nullable String current) {
    if (current != null) {
      try {
        WorkerIdentity id = authenticate("Bearer " + current);
        if (id.tenantId().equals(tenant) && id.profile().equals(profile)) {
          return current;
        }
      } catch (ApiException e) {
        // revoked or unknown: a new one replaces it in the Secret
      }
    }
    HashedSecrets.Issued issued = HashedSecrets.issue("qw");
    UUID id = UUID.randomUUID();
    tx.executeWithoutResult(
        s -> {
          repository.save(
              new WorkerTokenEntity(
                  id, tenant, profile, issued.prefix(), issued.hash(), POD_TOKEN_NAME, null));
          audit.recordServer(tenant, "worker-token.create", id + " profile=" + profile);
        });
    return issued.secret();
  }

  /**
   * @throws ApiException PERMISSION_DENIED unless an admin
   */
  public List<TokenInfo> list(Principal admin) {
    admin.require(Role.ADMIN);
    return repository.findByTenantIdOrderByCreatedAt(admin.tenantId()).stream()
        .map(this::info)
        .toList();
  }

  /**
   * Revokes a token and cuts its workers off at once (on other replicas within {@code
   * quarry.workers.token-recheck}); revoking twice is not an error.
   *
   * @throws ApiException NOT_FOUND for a token of another tenant or none
   */
  public TokenInfo revoke(Principal admin, UUID id) {
    admin.require(Role.ADMIN);
    TokenInfo revoked =
        tx.execute(
            s -> {
              if (repository.revoke(admin.tenantId(), id) == 0) {
                throw ApiException.notFound(ErrorReason.WORKER_TOKEN_NOT_FOUND, id.toString());
              }
              audit.record(admin, "worker-token.revoke", id.toString());
              return find(admin.tenantId(), id).orElseThrow();
            });
    sessions.revoke(id, "worker token revoked");
    return revoked;
  }

  /**
   * The identity of a worker presenting {@code authorization} ({@code Bearer qw_...}).
   *
   * @throws ApiException UNAUTHENTICATED if missing, malformed, unknown, revoked, or of a disabled
   *     tenant
   */
  public WorkerIdentity authenticate(@Nullable String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw unauthenticated("missing worker token: send 'authorization: Bearer <worker token>'");
    }
    String token = authorization.startsWith("Bearer ") ? authorization.substring(7).trim() : "";
    String[] parts = token.split("_", 3);
    if (token.length() > MAX_TOKEN_LENGTH || parts.length != 3 || !parts[0].equals("qw")) {
      throw unauthenticated("invalid worker token");
    }
    byte[] hash = HashedSecrets.sha256(token);
    WorkerTokenEntity found =
        repository
            .findUsable(parts[1])
            .filter(t -> t.hashMatches(hash))
            .orElseThrow(() -> unauthenticated("invalid worker token"));
    repository.touch(found.getId());
    return new WorkerIdentity(found.getId(), found.getTenantId(), found.getProfile());
  }

  private Optional<TokenInfo> find(String tenant, UUID id) {
    return repository.findByTenantIdAndId(tenant, id).map(this::info);
  }

  private TokenInfo info(WorkerTokenEntity t) {
    return new TokenInfo(
        t.getId(),
        t.getPrefix(),
        t.getName(),
        t.getProfile(),
        t.getCreatedAt(),
        t.getLastUsedAt(),
        t.getRevokedAt(),
        sessions.connected(t.getId()));
  }

  private static ApiException unauthenticated(String message) {
    return new ApiException(ErrorCode.UNAUTHENTICATED, message);
  }
}
