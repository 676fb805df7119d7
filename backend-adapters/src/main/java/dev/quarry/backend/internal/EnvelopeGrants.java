package dev.quarry.backend.internal;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.internal.lambda.PresignedGrants;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The first step of an invocation on a cloud function backend (Lambda, Azure Functions): refused
 * once the backend is closed, then, when the backend has a store, the envelope's objects granted
 * through pre-signed URLs ({@link PresignedGrants}) so the worker needs no storage credentials.
 */
public final class EnvelopeGrants {
  private final String backend;
  private final @Nullable PresignedGrants grants;

  /**
   * @param backend how failures name the backend, e.g. {@code "the Lambda backend"}
   * @param store the store signing the grants; empty to send envelopes as they are
   * @param grace how long grants stay valid after the envelope's deadline
   */
  public EnvelopeGrants(String backend, Optional<ObjectStore> store, Duration grace) {
    this.backend = backend;
    this.grants = store.map(s -> new PresignedGrants(s, Clock.systemUTC(), grace)).orElse(null);
  }

  /**
   * The envelope to send.
   *
   * @throws BackendException {@link Kind#TRANSIENT} if the backend is closed or granting failed
   *     unexpectedly; the grant's own failure ({@link Kind#PERMANENT}) for a key outside the tenant
   *     or a store that cannot pre-sign
   */
  public TaskEnvelope prepare(TaskEnvelope envelope, boolean closed) {
    if (closed) {
      throw new BackendException(Kind.TRANSIENT, backend + " is closed");
    }
    if (grants == null) {
      return envelope;
    }
    try {
      return grants.grant(envelope);
    } catch (BackendException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BackendException(Kind.TRANSIENT, "cannot grant the invocation's objects", e);
    }
  }
}
