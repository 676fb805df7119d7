package dev.quarry.lambda.emulator.internal;

import org.jspecify.annotations.Nullable;

/**
 * A function's {@code State} and {@code LastUpdateStatus}, and the only place that changes them:
 * {@code Pending -> Active} after creation, {@code Successful -> InProgress -> Successful} for each
 * update. Not thread-safe; {@link LambdaFunction} guards it.
 */
final class FunctionLifecycle {

  enum State {
    Pending,
    Active
  }

  enum UpdateStatus {
    InProgress,
    Successful
  }

  /** What the API reports. */
  record Status(
      State state,
      @Nullable String stateReason,
      @Nullable String stateReasonCode,
      @Nullable UpdateStatus lastUpdateStatus,
      @Nullable String lastUpdateStatusReason,
      @Nullable String lastUpdateStatusReasonCode) {}

  private State state = State.Pending;
  private @Nullable UpdateStatus lastUpdateStatus;
  private boolean transitionSeen;

  /** A client read the state (GetFunction and the like) while it was Pending or InProgress. */
  void markRead() {
    if (transitional()) {
      transitionSeen = true;
    }
  }

  /** Whether a client has read the current Pending or InProgress state at least once. */
  boolean transitionSeen() {
    return transitionSeen;
  }

  private boolean transitional() {
    return state == State.Pending || lastUpdateStatus == UpdateStatus.InProgress;
  }

  /** Pending -> Active; the creation counts as the first successful update. */
  void activate() {
    if (state != State.Pending) {
      throw new IllegalStateException("cannot activate a function in state " + state);
    }
    state = State.Active;
    lastUpdateStatus = UpdateStatus.Successful;
    transitionSeen = false;
  }

  /**
   * @throws ApiException 409 while the function is Pending or another update is InProgress
   */
  void beginUpdate(String arn) {
    if (state != State.Active) {
      throw notReady();
    }
    if (lastUpdateStatus == UpdateStatus.InProgress) {
      throw ApiException.conflict(
          "The operation cannot be performed at this time. An update is in progress for resource: "
              + arn);
    }
    lastUpdateStatus = UpdateStatus.InProgress;
    transitionSeen = false;
  }

  void completeUpdate() {
    if (lastUpdateStatus != UpdateStatus.InProgress) {
      throw new IllegalStateException("no update in progress");
    }
    lastUpdateStatus = UpdateStatus.Successful;
    transitionSeen = false;
  }

  /**
   * @throws ApiException 409 unless the function is Active
   */
  void requireInvocable() {
    if (state != State.Active) {
      throw notReady();
    }
  }

  boolean isActive() {
    return state == State.Active;
  }

  Status status() {
    if (state == State.Pending) {
      return new Status(state, "The function is being created.", "Creating", null, null, null);
    }
    if (lastUpdateStatus == UpdateStatus.InProgress) {
      return new Status(
          state, null, null, lastUpdateStatus, "The function is being updated.", "Updating");
    }
    return new Status(state, null, null, lastUpdateStatus, null, null);
  }

  private ApiException notReady() {
    return ApiException.conflict(
        "The operation cannot be performed at this time. The function is currently in the"
            + " following state: "
            + state);
  }
}
