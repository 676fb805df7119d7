package dev.quarry.backend;

/** An update or delete of a backend's worker deployment named none that exists. */
public class RuntimeNotFoundException extends BackendException {

  /**
   * @param message says which deployment was not found, e.g. "no Lambda function named x"
   */
  public RuntimeNotFoundException(String message) {
    super(Kind.PERMANENT, message);
  }
}
