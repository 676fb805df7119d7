package dev.quarry.backend.internal.resilience;

import dev.quarry.backend.BackendException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Classifies failures of the wrapped backend. */
final class Failures {
  private Failures() {}

  /** Strips {@link CompletionException} and {@link ExecutionException} wrappers. */
  static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  /** A {@link BackendException} as is; anything else (an SPI violation) as transient. */
  static BackendException toBackendException(Throwable error, String backendName) {
    Throwable cause = unwrap(error);
    if (cause instanceof BackendException backendException) {
      return backendException;
    }
    return new BackendException(
        BackendException.Kind.TRANSIENT, "backend '" + backendName + "' failed: " + cause, cause);
  }

  /** Counted as a circuit breaker failure: transient failures and crashes. */
  static boolean recorded(Throwable error) {
    Throwable cause = unwrap(error);
    return !(cause instanceof BackendException e && e.kind() == BackendException.Kind.PERMANENT);
  }

  /** Ignored by the circuit breaker: the caller's fault says nothing about the backend. */
  static boolean ignored(Throwable error) {
    return !recorded(error);
  }
}
