package dev.quarry.backend.internal.local;

import dev.quarry.proto.v1.FunctionSpec;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.proto.v1.TaskInput;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects one invocation may reach, derived from its envelope as the server built it: it reads
 * its function's manifest, payload and jars and its tasks' stored inputs, and writes its tasks'
 * results and its status. The jars and payload named by a manifest are granted when the worker
 * reads the manifest. A grant lasts while its invocation is the one its worker runs.
 */
final class InvocationGrant {
  private final String manifestKey;
  private final Set<String> reads = ConcurrentHashMap.newKeySet();
  private final Set<String> writes = ConcurrentHashMap.newKeySet();

  private InvocationGrant(String manifestKey) {
    this.manifestKey = manifestKey;
  }

  static InvocationGrant of(TaskEnvelope envelope) {
    FunctionSpec fn = envelope.getFunction();
    InvocationGrant grant = new InvocationGrant(fn.getManifestKey());
    grant.addFunction(fn);
    for (TaskInput task : envelope.getTasksList()) {
      if (task.hasKey()) {
        grant.reads.add(task.getKey());
      }
      if (!task.getResultKey().isEmpty()) {
        grant.writes.add(task.getResultKey());
      }
    }
    return grant;
  }

  boolean mayRead(String key) {
    return reads.contains(key);
  }

  boolean mayWrite(String key) {
    return writes.contains(key);
  }

  boolean isManifest(String key) {
    return !manifestKey.isEmpty() && manifestKey.equals(key);
  }

  /** Grants what a manifest read from storage names. */
  void addFunction(FunctionSpec fn) {
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
