package dev.quarry.lambda.emulator.internal;

import dev.quarry.emulator.pool.InstanceFactory;
import dev.quarry.emulator.pool.InstancePool;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One function: its configuration, lifecycle, instances and in-flight count. Configuration changes
 * take effect for invocations when the update completes; until then the API already reports the new
 * values with {@code LastUpdateStatus=InProgress}, as Lambda does.
 */
final class LambdaFunction {

  /** A consistent view for the API. */
  record View(FunctionConfig config, FunctionLifecycle.Status status, int liveInstances) {}

  private final String name;
  private final String arn;
  private final FunctionLifecycle lifecycle = new FunctionLifecycle();
  private final InstancePool<Deployment, Instance> pool;
  private final AtomicInteger inFlight = new AtomicInteger();
  private FunctionConfig config;
  private CodePackage code;
  private @Nullable Deployment pending;
  private volatile boolean invocable;
  private volatile boolean deleted;

  LambdaFunction(
      FunctionConfig config,
      CodePackage code,
      int maxInstances,
      InstanceFactory<Deployment, Instance> factory) {
    this.name = config.name();
    this.arn = config.arn();
    this.config = config;
    this.code = code;
    this.pool = new InstancePool<>(maxInstances, factory, new Deployment(config, code));
  }

  String name() {
    return name;
  }

  String arn() {
    return arn;
  }

  InstancePool<Deployment, Instance> pool() {
    return pool;
  }

  synchronized View view() {
    return new View(config, lifecycle.status(), pool.liveInstances());
  }

  /** The view a client asked for (GetFunction): counts as having seen a transitional state. */
  synchronized View read() {
    lifecycle.markRead();
    return view();
  }

  /** Whether the pending transition may complete: deleted, or its state was read by a client. */
  synchronized boolean transitionMayComplete() {
    return deleted || lifecycle.transitionSeen();
  }

  /** Ends creation: Pending -> Active. */
  synchronized void activate() {
    if (!deleted) {
      lifecycle.activate();
      invocable = true;
    }
  }

  /**
   * Starts an update: the API reports the changed configuration at once, invocations get it when
   * {@link #completeUpdate()} runs.
   *
   * @throws ApiException 412 if {@code revisionId} is stale, 409 if not Active or already updating
   */
  synchronized View beginUpdate(
      @Nullable String revisionId,
      @Nullable CodePackage newCode,
      UnaryOperator<FunctionConfig> change) {
    if (revisionId != null && !revisionId.equals(config.revisionId())) {
      throw new ApiException(
          412,
          "PreconditionFailedException",
          "The Revision Id provided does not match the latest Revision Id. Call the"
              + " GetFunction/GetAlias API to retrieve the latest Revision Id");
    }
    lifecycle.beginUpdate(arn);
    if (newCode != null) {
      code = newCode;
      config = config.withCode(newCode, Instant.now());
    }
    config = change.apply(config);
    pending = new Deployment(config, code);
    return view();
  }

  /** Ends an update: InProgress -> Successful; new invocations run the new deployment. */
  synchronized void completeUpdate() {
    if (deleted || pending == null) {
      return;
    }
    lifecycle.completeUpdate();
    pool.deploy(pending);
    pending = null;
  }

  /**
   * @throws ApiException 409 unless Active
   */
  void requireInvocable() {
    if (!invocable) {
      synchronized (this) {
        lifecycle.requireInvocable();
      }
    }
  }

  /** Counts an invocation in flight unless {@code limit} are already; false if over the limit. */
  boolean tryEnter(int limit) {
    if (inFlight.incrementAndGet() > limit) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  void enter() {
    inFlight.incrementAndGet();
  }

  void exit() {
    inFlight.decrementAndGet();
  }

  boolean isDeleted() {
    return deleted;
  }

  /** Deletes: kills its instances; waiting invocations fail. */
  void delete() {
    synchronized (this) {
      deleted = true;
      invocable = false;
    }
    pool.close();
  }
}
