package dev.quarry.lambda.emulator.internal;

/** The Lambda API operations the emulator serves, named as AWS names them. */
enum Operation {
  CreateFunction,
  GetFunction,
  GetFunctionConfiguration,
  UpdateFunctionCode,
  UpdateFunctionConfiguration,
  DeleteFunction,
  ListFunctions,
  Invoke
}
