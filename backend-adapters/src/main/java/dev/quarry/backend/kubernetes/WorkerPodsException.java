package dev.quarry.backend.kubernetes;

/** The Kubernetes API server refused a request of the pod scaler or could not be reached. */
public final class WorkerPodsException extends RuntimeException {
  public WorkerPodsException(String message, Throwable cause) {
    super(message, cause);
  }
}
