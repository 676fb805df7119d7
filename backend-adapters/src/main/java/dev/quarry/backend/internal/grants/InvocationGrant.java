package dev.quarry.backend.internal.grants;

import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects one invocation may reach, derived from its envelope as the server built it: it reads
 * its function's manifest, payload and jars and its tasks' stored inputs, and writes its tasks'
 * results and logs and its status. The jars and payload named by a manifest are granted when the
 * worker reads the manifest. A grant lasts while its invocation is one its worker runs (the local
 * pipe, a pull worker's lease). Only keys under the invocation's tenant prefix ({@link
 * TenantScope}) are ever granted, whatever the envelope or a manifest names.
 */
public final class InvocationGrant {
  private final TenantScope scope;
  private final String manifestKey;
  private final Set<String> reads = ConcurrentHashMap.newKeySet();
  private final Set<String> writes = ConcurrentHashMap.newKeySet();

  private InvocationGrant(TenantScope scope, String manifestKey) {
    this.scope = scope;
    this.manifestKey = manifestKey;
  }

  /**
   * @throws IllegalArgumentException if the envelope's tenant id is not one
   */
  public static InvocationGrant of(TaskEnvelope envelope) {
    FunctionSpec fn = envelope.getFunction();
    InvocationGrant grant =
        new InvocationGrant(TenantScope.of(envelope.getTenantId()), fn.getManifestKey());
    grant.addFunction(fn);
    for (TaskInput task : envelope.getTasksList()) {
      if (task.hasKey()) {
        grant.reads.add(task.getKey());
      }
      if (!task.getResultKey().isEmpty()) {
        grant.writes.add(task.getResultKey());
      }
      if (!task.getLogKey().isEmpty()) {
        grant.writes.add(task.getLogKey());
      }
    }
    return grant;
  }

  public boolean mayRead(String key) {
    return scope.contains(key) && reads.contains(key);
  }

  public boolean mayWrite(String key) {
    return scope.contains(key) && writes.contains(key);
  }

  public boolean isManifest(String key) {
    return !manifestKey.isEmpty() && manifestKey.equals(key) && scope.contains(key);
  }

  /** Grants what a manifest read from storage names. */
  public void addFunction(FunctionSpec fn) {
    for (String key : fn.getJarKeysList()) {
      reads.add(key);
    }
    if (!fn.getPayloadKey().isEmpty()) {
      reads.add(fn.getPayloadKey());
    }
    if (!fn.getManifestKey().isEmpty()) {
      reads.add(fn.getManifestKey());
    }
  }
}
