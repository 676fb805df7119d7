package dev.quarry.azure.emulator.internal;

import java.io.IOException;

/** An error Azure Resource Manager answers: a status and {@code {"error":{"code","message"}}}. */
final class ArmError extends IOException {

  private final int status;
  private final String code;

  ArmError(int status, String code, String message) {
    super(message, null);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  static ArmError notFound(String type, String name, String group) {
    return new ArmError(
        404,
        "ResourceNotFound",
        "The Resource '"
            + type
            + "/"
            + name
            + "' under resource group '"
            + group
            + "' was not found. For more details please go to"
            + " https://aka.ms/ARMResourceNotFoundFix");
  }
}
