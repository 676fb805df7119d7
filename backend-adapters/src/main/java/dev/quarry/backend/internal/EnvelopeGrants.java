package dev.quarry.backend.internal;

import dev.quarry.backend.BackendException;
import dev.quarry.backend.BackendException.Kind;
import dev.quarry.backend.internal.lambda.PresignedGrants;
import dev.quarry.backend.lambda.StorageTokens;
import dev.quarry.proto.v1.StorageApiAccess;
import dev.quarry.proto.v1.TaskEnvelope;
import dev.quarry.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * What a cloud function backend (Lambda, Azure Functions) grants an invocation, whose worker has no
 * channel to the server: refused once the backend is closed, then, when the backend has a store,
 * the envelope's objects granted through pre-signed URLs ({@link PresignedGrants}) so the worker
 * needs no storage credentials, and, when the backend issues {@link StorageTokens}, a token for its
 * tenant's Storage API (context functions), revoked when the invocation ends.
 */
public final class EnvelopeGrants {
  private final String backend;
  private final @Nullable PresignedGrants grants;
  private final @Nullable StorageTokens tokens;
  private final Duration grace;
  private final Duration maxTime;

  /**
   * @param backend how failures name the backend, e.g. {@code "the Lambda backend"}
   * @param store the store signing the grants; empty to send envelopes as they are
   * @param grace how long grants and tokens stay valid after the envelope's deadline
   * @param tokens issues Storage API tokens; empty: context functions get no storage
   * @param maxTime the platform's longest invocation: a token's lifetime without a deadline
   */
  public EnvelopeGrants(
      String backend,
      Optional<ObjectStore> store,
      Duration grace,
      Optional<StorageTokens> tokens,
      Duration maxTime) {
    this.backend = backend;
    this.grants = store.map(s -> new PresignedGrants(s, Clock.systemUTC(), grace)).orElse(null);
    this.tokens = tokens.orElse(null);
    this.grace = grace;
    this.maxTime = maxTime;
  }

  /**
   * The envelope to send.
   *
   * @throws BackendException {@link Kind#TRANSIENT} if the backend is closed, granting failed
   *     unexpectedly or the storage token could not be stored; the grant's own failure ({@link
   *     Kind#PERMANENT}) for a key outside the tenant or a store that cannot pre-sign
   */
  public TaskEnvelope prepare(TaskEnvelope envelope, boolean closed) {
    if (closed) {
      throw new BackendException(Kind.TRANSIENT, backend + " is closed");
    }
    if (grants != null) {
      try {
        envelope = grants.grant(envelope);
      } catch (BackendException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new BackendException(Kind.TRANSIENT, "cannot grant the invocation's objects", e);
      }
    }
    if (tokens != null) {
      try {
        envelope = withStorageApi(envelope, tokens);
      } catch (RuntimeException e) {
        throw new BackendException(
            Kind.TRANSIENT, "cannot issue the invocation's storage token", e);
      }
    }
    return envelope;
  }

  /**
   * The invocation's outcome once its storage token is revoked, on {@code executor} (revoking
   * writes to the database, so not on the HTTP client's thread): a token never outlives the outcome
   * the server records. {@code invoked} itself without tokens.
   */
  public <T> CompletableFuture<T> revokedAfter(
      CompletableFuture<T> invoked, TaskEnvelope envelope, Executor executor) {
    StorageTokens t = tokens;
    if (t == null) {
      return invoked;
    }
    String invocation = envelope.getInvocationId();
    CompletableFuture<T> done = new CompletableFuture<>();
    invoked.whenComplete(
        (result, error) -> {
          Runnable revoke =
              () -> {
                t.revoke(invocation);
                if (error != null) {
                  done.completeExceptionally(error);
                } else {
                  done.complete(result);
                }
              };
          try {
            executor.execute(revoke);
          } catch (RejectedExecutionException e) {
            revoke.run(); // closing
          }
        });
    return done;
  }

  /**
   * The envelope with a token for its tenant's Storage API, valid until the invocation's deadline
   * plus the grace (as its pre-signed URLs) and revoked when it ends.
   */
  private TaskEnvelope withStorageApi(TaskEnvelope envelope, StorageTokens tokens) {
    Instant deadline =
        envelope.getDeadlineMs() > 0
            ? Instant.ofEpochMilli(envelope.getDeadlineMs())
            : Instant.now().plus(maxTime);
    StorageTokens.Access access =
        tokens.issue(envelope.getTenantId(), envelope.getInvocationId(), deadline.plus(grace));
    return envelope.toBuilder()
        .setStorageApi(
            StorageApiAccess.newBuilder()
                .setUrl(access.url())
                .setToken(access.token())
                .setUnavailable(access.unavailable()))
        .build();
  }
}
