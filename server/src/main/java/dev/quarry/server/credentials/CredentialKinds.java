package dev.quarry.server.credentials;

import dev.quarry.server.api.ApiException;
import java.util.Map;
import java.util.Set;

/** The fields each kind of credential takes, and which combinations are complete. */
final class CredentialKinds {
  private static final int MAX_VALUE = 65_536;
  private static final Map<String, Set<String>> FIELDS =
      Map.of(
          "aws", Set.of("accessKeyId", "secretAccessKey", "sessionToken", "roleArn", "externalId"),
          "azure", Set.of("tenantId", "clientId", "clientSecret", "subscriptionId"),
          "kubernetes", Set.of("kubeconfig", "token", "server", "caCertificate"));

  private CredentialKinds() {}

  /**
   * @throws ApiException INVALID_ARGUMENT for an unknown kind, unknown or missing fields
   */
  static void validate(String kind, Map<String, String> fields) {
    Set<String> allowed = FIELDS.get(kind);
    if (allowed == null) {
      throw ApiException.invalid("kind must be one of " + FIELDS.keySet() + ", got '" + kind + "'");
    }
    for (var e : fields.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw ApiException.invalid(
            "unknown field '" + e.getKey() + "' for kind " + kind + "; allowed: " + allowed);
      }
      if (e.getValue().isEmpty() || e.getValue().length() > MAX_VALUE) {
        throw ApiException.invalid(
            "field '" + e.getKey() + "' must be 1-" + MAX_VALUE + " characters");
      }
    }
    boolean complete =
        switch (kind) {
          case "aws" ->
              fields.containsKey("accessKeyId") && fields.containsKey("secretAccessKey")
                  || fields.containsKey("roleArn") && !fields.containsKey("accessKeyId");
          case "azure" -> fields.keySet().containsAll(allowed);
          default ->
              fields.containsKey("kubeconfig")
                  || fields.containsKey("token") && fields.containsKey("server");
        };
    if (!complete) {
      throw ApiException.invalid(
          switch (kind) {
            case "aws" -> "aws credentials need accessKeyId and secretAccessKey, or roleArn";
            case "azure" ->
                "azure credentials need tenantId, clientId, clientSecret and subscriptionId";
            default -> "kubernetes credentials need kubeconfig, or token and server";
          });
    }
  }
}
