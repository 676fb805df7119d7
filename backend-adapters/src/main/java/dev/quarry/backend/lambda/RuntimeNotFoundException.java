package dev.quarry.backend.lambda;

import dev.quarry.backend.BackendException;

/** {@link LambdaRuntimes#update} or {@link LambdaRuntimes#delete} named no existing function. */
public class RuntimeNotFoundException extends BackendException {

  /** @param name the function name that was not found */
  public RuntimeNotFoundException(String name) {
    super(Kind.PERMANENT, "no Lambda function named " + name);
  }
}
