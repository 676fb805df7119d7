package dev.quarry.server.runtimes;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.lambda.LambdaRuntime;
import dev.quarry.backend.lambda.LambdaRuntimes;
import dev.quarry.backend.lambda.RuntimeNotFoundException;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.backend.BackendRegistry;
import dev.quarry.server.credentials.ProfileService;
import java.util.List;
import java.util.function.Function;
import org.springframework.stereotype.Service;

/**
 * List, deploy, update and delete the worker functions in the account a Lambda profile points at.
 * Reading needs a viewer key; changes need an admin key and are audited. Deploy and update wait
 * until Lambda reports the function ready.
 */
@Service
public class RuntimeService {
  private final BackendRegistry backends;
  private final ProfileService profiles;
  private final AuditLog audit;

  public RuntimeService(BackendRegistry backends, ProfileService profiles, AuditLog audit) {
    this.backends = backends;
    this.profiles = profiles;
    this.audit = audit;
  }

  /** The worker functions visible through {@code profile}. */
  public List<LambdaRuntime> list(Principal caller, String profile) {
    caller.require(Role.VIEWER);
    return call(caller, profile, LambdaRuntimes::list);
  }

  /** Deploys (idempotently) the function {@code profile} runs on. */
  public LambdaRuntime deploy(Principal admin, String profile) {
    admin.require(Role.ADMIN);
    var spec = backends.lambdaSettings(admin.tenantId(), requireLambda(admin, profile)).runtime();
    LambdaRuntime r = call(admin, profile, rt -> rt.deploy(spec));
    audit.record(admin, "runtime.deploy", r.name() + " (" + r.change() + ", profile " + profile + ")");
    return r;
  }

  /** Pushes this server's worker and {@code profile}'s configuration to the function {@code name}. */
  public LambdaRuntime update(Principal admin, String profile, String name) {
    admin.require(Role.ADMIN);
    var spec = backends.lambdaSettings(admin.tenantId(), requireLambda(admin, profile)).runtime();
    LambdaRuntime r = call(admin, profile, rt -> rt.update(name, spec));
    audit.record(admin, "runtime.update", name + " (profile " + profile + ")");
    return r;
  }

  /** Deletes the worker function {@code name}. */
  public LambdaRuntime delete(Principal admin, String profile, String name) {
    admin.require(Role.ADMIN);
    LambdaRuntime r = call(admin, profile, rt -> rt.delete(name));
    audit.record(admin, "runtime.delete", name + " (profile " + profile + ")");
    return r;
  }

  private String requireLambda(Principal caller, String profile) {
    var p = profiles.lookup(caller.tenantId(), profile).orElseThrow(() -> ApiException.notFound(ErrorReason.PROFILE_NOT_FOUND, profile));
    if (!p.backend().equals("lambda")) {
      throw ApiException.invalid("profile '" + profile + "' uses backend " + p.backend() + "; runtimes exist only for lambda profiles");
    }
    return profile;
  }

  private <T> T call(Principal caller, String profile, Function<LambdaRuntimes, T> action) {
    requireLambda(caller, profile);
    try {
      return action.apply(backends.runtimes(caller.tenantId(), profile));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    } catch (BackendException e) {
      String message = String.valueOf(e.getMessage());
      if (e instanceof RuntimeNotFoundException) {
        throw new ApiException(ErrorReason.RUNTIME_NOT_FOUND, message);
      }
      throw new ApiException(
          e.kind() == BackendException.Kind.PERMANENT ? ErrorCode.INVALID_ARGUMENT : ErrorCode.UNAVAILABLE, message);
    }
  }
}
