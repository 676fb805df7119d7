package dev.quarry.lambda.emulator.internal;

/**
 * What instances run: a configuration and its code. Instances of an older deployment are retired
 * when a new one takes effect; the instance pool tells deployments apart by identity.
 */
record Deployment(FunctionConfig config, CodePackage code) {}
