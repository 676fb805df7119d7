package dev.quarry.server.runtimes;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.RuntimeNotFoundException;
import dev.quarry.backend.WorkerRuntime;
import dev.quarry.server.api.ApiException;
import dev.quarry.server.api.ErrorCode;
import dev.quarry.server.api.ErrorReason;
import dev.quarry.server.audit.AuditLog;
import dev.quarry.server.auth.Principal;
import dev.quarry.server.auth.Role;
import dev.quarry.server.backend.BackendPlugins;
import dev.quarry.server.backend.BackendRegistry;
import dev.quarry.server.backend.BackendRuntimes;
import dev.quarry.server.credentials.ProfileService;
import java.util.List;
import java.util.function.Function;
import org.springframework.stereotype.Service;

/**
 * List, deploy, update and delete the worker deployments a profile reaches (for Lambda: the
 * functions in the account the profile points at), through its backend plug-in's runtimes API.
 * Reading needs a viewer key; changes need an admin key and are audited. Deploy and update wait
 * until the platform reports the deployment ready.
 */
@Service
public class RuntimeService {
  private final BackendRegistry backends;
  private final BackendPlugins plugins;
  private final ProfileService profiles;
  private final AuditLog audit;

  public RuntimeService(
      BackendRegistry backends, BackendPlugins plugins, ProfileService profiles, AuditLog audit) {
    this.backends = backends;
    this.plugins = plugins;
    this.profiles = profiles;
    this.audit = audit;
  }

  /** The worker deployments visible through {@code profile}. */
  public List<WorkerRuntime> list(Principal caller, String profile) {
    caller.require(Role.VIEWER);
    return call(caller, profile, BackendRuntimes::list);
  }

  /** Deploys (idempotently) the worker {@code profile} runs on. */
  public WorkerRuntime deploy(Principal admin, String profile) {
    admin.require(Role.ADMIN);
    WorkerRuntime r = call(admin, profile, BackendRuntimes::deploy);
    audit.record(
        admin, "runtime.deploy", r.name() + " (" + r.change() + ", profile " + profile + ")");
    return r;
  }

  /**
   * Pushes this server's worker and {@code profile}'s configuration to the deployment {@code name}.
   */
  public WorkerRuntime update(Principal admin, String profile, String name) {
    admin.require(Role.ADMIN);
    WorkerRuntime r = call(admin, profile, rt -> rt.update(name));
    audit.record(admin, "runtime.update", name + " (profile " + profile + ")");
    return r;
  }

  /** Deletes the worker deployment {@code name}. */
  public WorkerRuntime delete(Principal admin, String profile, String name) {
    admin.require(Role.ADMIN);
    WorkerRuntime r = call(admin, profile, rt -> rt.delete(name));
    audit.record(admin, "runtime.delete", name + " (profile " + profile + ")");
    return r;
  }

  private void requireRuntimes(Principal caller, String profile) {
    var p =
        profiles
            .lookup(caller.tenantId(), profile)
            .orElseThrow(() -> ApiException.notFound(ErrorReason.PROFILE_NOT_FOUND, profile));
    boolean has = plugins.find(p.backend()).map(b -> b.hasRuntimes()).orElse(false);
    if (!has) {
      throw ApiException.invalid(
          "profile '"
              + profile
              + "' uses backend "
              + p.backend()
              + "; runtimes exist only for profiles of backends "
              + kindsWithRuntimes());
    }
  }

  private List<String> kindsWithRuntimes() {
    return plugins.kinds().stream()
        .filter(k -> plugins.find(k).map(b -> b.hasRuntimes()).orElse(false))
        .toList();
  }

  private <T> T call(Principal caller, String profile, Function<BackendRuntimes, T> action) {
    requireRuntimes(caller, profile);
    try {
      return action.apply(backends.runtimes(caller.tenantId(), profile));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    } catch (BackendException e) {
      if (e instanceof RuntimeNotFoundException) {
        throw new ApiException(ErrorReason.RUNTIME_NOT_FOUND, String.valueOf(e.getMessage()));
      }
      throw new ApiException(
          e.kind() == BackendException.Kind.PERMANENT
              ? ErrorCode.INVALID_ARGUMENT
              : ErrorCode.UNAVAILABLE,
          String.valueOf(e.getMessage()));
    }
  }
}
