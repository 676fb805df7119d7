package dev.quarry.lambda.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A function's current configuration as the Lambda API reports it.
 *
 * @param name the function name
 * @param arn {@code arn:aws:lambda:<region>:000000000000:function:<name>}
 * @param runtime e.g. {@code java21}
 * @param handler e.g. {@code com.example.Handler::handleRequest}
 * @param role the execution role ARN given at creation
 * @param description the description, empty if none
 * @param memorySizeMb memory size in MB
 * @param timeoutSeconds timeout in seconds
 * @param environment the function's environment variables
 * @param architectures e.g. {@code [x86_64]}
 * @param codeSha256 base64 of the SHA-256 of the deployment zip, as AWS reports it
 * @param codeSize size of the deployment zip in bytes
 * @param lastModified when the configuration or code last changed
 * @param revisionId changes with every configuration or code change
 * @param state {@code Pending}, {@code Active}, ...
 * @param lastUpdateStatus {@code InProgress}, {@code Successful}, or null while the function is
 *     being created
 * @param liveInstances instances (child JVMs or in-process) currently alive for this function
 */
public record FunctionInfo(
    String name,
    String arn,
    String runtime,
    String handler,
    String role,
    String description,
    int memorySizeMb,
    int timeoutSeconds,
    Map<String, String> environment,
    List<String> architectures,
    String codeSha256,
    long codeSize,
    Instant lastModified,
    String revisionId,
    String state,
    @Nullable String lastUpdateStatus,
    int liveInstances) {

  public FunctionInfo {
    environment = Map.copyOf(environment);
    architectures = List.copyOf(architectures);
  }
}
