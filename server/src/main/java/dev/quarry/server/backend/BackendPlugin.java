package dev.quarry.server.backend;

import dev.quarry.backend.BackendException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One kind of compute backend ({@code local}, {@code lambda}, ...): everything the server knows
 * about it. Implementations are Spring beans; {@link BackendPlugins} collects them and {@link
 * BackendRegistry} looks them up by a profile's {@code backend}, so adding a backend means adding
 * one class that implements this interface (see the package documentation).
 *
 * <p>Settings common to every kind (the resilience settings of {@link ProfileSettings}) are checked
 * by {@link BackendPlugins}; a plug-in checks only its own.
 */
public interface BackendPlugin {

  /** The name profiles and {@code quarry.backend.type} use, e.g. {@code lambda}. */
  String kind();

  /** The settings a profile of this kind may carry beyond the common resilience settings. */
  Set<String> settingNames();

  /**
   * Checks this kind's own settings when a profile is written (and when a lane is opened: rows
   * stored before a rule existed fail then).
   *
   * @throws dev.quarry.server.api.ApiException INVALID_ARGUMENT naming the first bad setting
   */
  void validate(Map<String, String> settings);

  /** Which credentials a profile of this kind may or must name. */
  CredentialRule credentials();

  /**
   * Why this server cannot run profiles of this kind as configured (e.g. Lambda needs S3 storage),
   * or empty when it can. Checked when a job is submitted and at start for the default backend.
   */
  default Optional<String> unavailable() {
    return Optional.empty();
  }

  /**
   * Why this server cannot run a profile of this kind with {@code settings} (its own and the common
   * ones, e.g. its {@code bucket}); by default {@link #unavailable()}. Checked when a job is
   * submitted to the profile.
   */
  default Optional<String> unavailable(Map<String, String> settings) {
    return unavailable();
  }

  /**
   * Throws when {@link #unavailable()} says why this server cannot run the kind; {@link #open}
   * calls it first.
   *
   * @throws BackendException PERMANENT with that reason
   */
  default void requireAvailable() {
    Optional<String> why = unavailable();
    if (why.isPresent()) {
      throw new BackendException(BackendException.Kind.PERMANENT, why.get());
    }
  }

  /**
   * Opens the backend of one lane: a profile of this kind, or the server's default backend. The
   * registry wraps the result in the resilience decorator and closes it when the lane is replaced
   * (after its last invocation) or the server stops.
   *
   * @throws dev.quarry.backend.BackendException PERMANENT when the lane cannot be used (its
   *     credential is gone or of the wrong shape, a package is missing)
   * @throws dev.quarry.server.api.ApiException INVALID_ARGUMENT for a stored setting that is no
   *     longer valid
   */
  OpenedLane open(LaneRequest request);

  /**
   * Whether a profile of this kind may name its own bucket ({@code bucket}): its workers then reach
   * that bucket instead of the server's store.
   */
  default boolean supportsProfileBucket() {
    return true;
  }

  /**
   * The prices a profile of this kind (with these already validated settings) is charged, for cost
   * estimates; empty for kinds without a cost model (local processes, machines of one's own).
   */
  default Optional<Pricing> pricing(Map<String, String> settings) {
    return Optional.empty();
  }

  /** Whether lanes of this kind have a runtimes API ({@link OpenedLane#runtimes()}). */
  default boolean hasRuntimes() {
    return false;
  }
}
