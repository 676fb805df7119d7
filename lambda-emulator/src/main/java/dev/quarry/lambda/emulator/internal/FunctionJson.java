package dev.quarry.lambda.emulator.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON shapes of the Lambda API: FunctionConfiguration and GetFunction's response. */
final class FunctionJson {

  private static final DateTimeFormatter LAST_MODIFIED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

  private FunctionJson() {}

  static String lastModified(Instant t) {
    return LAST_MODIFIED.format(t);
  }

  static ObjectNode configuration(LambdaFunction.View view) {
    FunctionConfig c = view.config();
    FunctionLifecycle.Status s = view.status();
    ObjectNode n = Json.object();
    n.put("FunctionName", c.name());
    n.put("FunctionArn", c.arn());
    n.put("Runtime", c.runtime());
    n.put("Role", c.role());
    n.put("Handler", c.handler());
    n.put("CodeSize", c.codeSize());
    n.put("Description", c.description());
    n.put("Timeout", c.timeoutSeconds());
    n.put("MemorySize", c.memoryMb());
    n.put("LastModified", lastModified(c.lastModified()));
    n.put("CodeSha256", c.codeSha256());
    n.put("Version", "$LATEST");
    if (!c.environment().isEmpty()) {
      ObjectNode vars = n.putObject("Environment").putObject("Variables");
      for (Map.Entry<String, String> e : c.environment().entrySet()) {
        vars.put(e.getKey(), e.getValue());
      }
    }
    n.putObject("TracingConfig").put("Mode", "PassThrough");
    n.put("RevisionId", c.revisionId());
    n.put("State", s.state().name());
    putIfSet(n, "StateReason", s.stateReason());
    putIfSet(n, "StateReasonCode", s.stateReasonCode());
    if (s.lastUpdateStatus() != null) {
      n.put("LastUpdateStatus", s.lastUpdateStatus().name());
    }
    putIfSet(n, "LastUpdateStatusReason", s.lastUpdateStatusReason());
    putIfSet(n, "LastUpdateStatusReasonCode", s.lastUpdateStatusReasonCode());
    n.put("PackageType", "Zip");
    ArrayNode arch = n.putArray("Architectures");
    c.architectures().forEach(arch::add);
    n.putObject("EphemeralStorage").put("Size", 512);
    ObjectNode snapStart = n.putObject("SnapStart");
    snapStart.put("ApplyOn", "None");
    snapStart.put("OptimizationStatus", "Off");
    ObjectNode logging = n.putObject("LoggingConfig");
    logging.put("LogFormat", "Text");
    logging.put("LogGroup", "/aws/lambda/" + c.name());
    return n;
  }

  static ObjectNode function(LambdaFunction.View view, String codeLocation) {
    ObjectNode n = Json.object();
    n.set("Configuration", configuration(view));
    ObjectNode code = n.putObject("Code");
    code.put("RepositoryType", "S3");
    code.put("Location", codeLocation);
    return n;
  }

  private static void putIfSet(
      ObjectNode n, String field, @org.jspecify.annotations.Nullable String value) {
    if (value != null) {
      n.put(field, value);
    }
  }
}
