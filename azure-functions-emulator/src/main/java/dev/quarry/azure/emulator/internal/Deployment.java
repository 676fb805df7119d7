package dev.quarry.azure.emulator.internal;

import java.util.Map;

/**
 * What a function's instances run: the package, the function, the app settings they see. The
 * instance pool tells deployments apart by identity, so a new deployment or settings change drains
 * older instances even when nothing in it differs.
 */
record Deployment(AppPackage pkg, AppPackage.FunctionDef function, Map<String, String> settings) {}
